/*
 * Program images: where the bytes of an executable come from. An image is
 * either a file in the boot archive (bytes in memory) or a file on the
 * file-system server (read with FS_PREAD). Regions of a process point at
 * an image, so text and data are paged in on demand from it; images are
 * reference counted, since fork shares them, and an fs file is closed when
 * its last region goes.
 */
#include <string.h>
#include "pager.h"
#include "abi/bootinfo.h"

#define MAX_IMAGES 64

struct image {
	int refs;
	const char *data;          /* archive bytes, or NULL for an fs file */
	long fd;                   /* the pager's fs descriptor */
	uint64_t size;
};

static struct image images[MAX_IMAGES];
static const struct archive_header *archive;
static uint64_t archive_size;

/* Remember where the boot archive is. */
void image_init_archive(const void *data, uint64_t size)
{
	archive = data;
	archive_size = size;
}

/* Take a free image slot. */
static int image_slot(void)
{
	for (int i = 0; i < MAX_IMAGES; i++)
		if (images[i].refs == 0) {
			memset(&images[i], 0, sizeof(images[i]));
			images[i].refs = 1;
			return i;
		}
	return -E_NOMEM;
}

/* Is there a program `name` in the boot archive? */
int image_in_archive(const char *name)
{
	int img = image_open_archive(name);
	image_unref(img);
	return img >= 0;
}

/* Open program `name` from the boot archive; image index or -E_NOENT. */
int image_open_archive(const char *name)
{
	if (!archive || archive->magic != ARCHIVE_MAGIC ||
	    archive->count > (archive_size - sizeof(*archive)) / sizeof(struct archive_entry))
		return -E_NOENT;
	for (uint64_t i = 0; i < archive->count; i++) {
		const struct archive_entry *e = &archive->entries[i];
		if (strncmp(e->name, name, ARCHIVE_NAME_MAX) != 0 || e->offset > archive_size ||
		    e->size > archive_size - e->offset)
			continue;
		int img = image_slot();
		if (img >= 0) {
			images[img].data = (const char *)archive + e->offset;
			images[img].size = e->size;
		}
		return img;
	}
	return -E_NOENT;
}

/* Open program `path` on the file system; image index or an error. */
int image_open_file(const char *path)
{
	int img = image_slot();
	if (img < 0)
		return img;
	long fd = fs_open_file(path, &images[img].size);
	if (fd < 0) {
		images[img].refs = 0;
		return (int)fd;
	}
	images[img].fd = fd;
	return img;
}

/* Read len bytes at off; returns bytes read (short at the end of the image). */
long image_read(int img, uint64_t off, void *buf, uint64_t len)
{
	struct image *im = &images[img];
	if (off >= im->size)
		return 0;
	if (len > im->size - off)
		len = im->size - off;
	if (im->data) {
		memcpy(buf, im->data + off, len);
		return (long)len;
	}
	return fs_pread(im->fd, off, buf, len);
}

/* The image's size in bytes. */
uint64_t image_size(int img)
{
	return images[img].size;
}

/* One more region uses img. */
void image_ref(int img)
{
	images[img].refs++;
}

/* One region fewer; close the file with the last. */
void image_unref(int img)
{
	if (img < 0 || --images[img].refs > 0)
		return;
	if (!images[img].data)
		fs_close_file(images[img].fd);
}
