/*
 * Images: where the bytes of a program or a mapped file come from. An
 * image is either a file in the boot archive (bytes in memory) or a file
 * on the file-system server (read with FS_PREAD, written back with
 * FS_PWRITE). Regions of a process point at an image, so their pages are
 * read in on demand; images are reference counted, since fork and every
 * process running the same program share one, and an fs file is closed
 * when its last region goes.
 *
 * An fs image reads and writes through a descriptor of the pager's own,
 * never a program's: exec opens the path read-only, and mmap opens the
 * program's file afresh (FS_REOPEN), read-only or, for a shared writable
 * mapping, read-write. There is one image per file (inode): a later
 * opener shares it, the image takes the file's size as it is now, and
 * it takes the newcomer's descriptor if that one may write and its own
 * may not, so write-back works whoever opened the file first.
 *
 * Table share. Exec needs an image, and mmap could otherwise take them
 * all (a process may map 11 files, each a new image). So the last
 * IMAGE_EXEC_RESERVE free images are exec's alone: a mapping is refused
 * (-E_NOMEM) while no more than that many are free, even one that would
 * only share an image already open. After the table last had more free,
 * every image made is then a program some process runs, one a process:
 * exec fails only once IMAGE_EXEC_RESERVE processes run as many
 * different program files, all started since. The table cannot outgrow
 * the pager's fs descriptors (FS_PAGER_FDS), one an fs image, so it has
 * no room to give every process an image of its own.
 */
#include <string.h>
#include "pager.h"
#include "abi/bootinfo.h"

#define MAX_IMAGES 64
#define IMAGE_EXEC_RESERVE 32          /* the last free images: for exec, never for a mapping */

struct image {
	int refs;
	const char *data;          /* archive bytes, or NULL for an fs file */
	long fd;                   /* the pager's fs descriptor: always readable */
	int writable;              /* fd may write (a shared writable mapping needs it) */
	uint64_t size, inum;       /* size when last opened; inum: the file's inode, one image per file */
	char name[IMAGE_NAME_MAX]; /* the path it was opened by, for maps and kill lines; "" if unknown */
	struct symtab_info syms;   /* where its symbol table is (symbols.c), found on first use */
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
			image_set_name(img, name);
		}
		return img;
	}
	return -E_NOENT;
}

/* The fs image of inode inum, or -1. */
static int image_of_inode(uint64_t inum)
{
	for (int i = 0; i < MAX_IMAGES; i++)
		if (images[i].refs && !images[i].data && images[i].inum == inum)
			return i;
	return -1;
}

/* One more user of fs image img, who opened it as fd (taken over) and found it size bytes long. */
static void image_share(int img, long fd, int writable, uint64_t size)
{
	struct image *im = &images[img];
	im->refs++;
	im->size = size;
	if (writable && !im->writable) {
		long old = im->fd;             /* keep the descriptor that may write back */
		im->fd = fd;
		im->writable = 1;
		fd = old;
	}
	fs_close_file(fd);
}

/* How many image slots are free. */
static int images_free(void)
{
	int n = 0;
	for (int i = 0; i < MAX_IMAGES; i++)
		n += images[i].refs == 0;
	return n;
}

/* An image for the pager's fs descriptor fd (taken over; it may write if writable); the index, or an error. */
static int image_adopt_fd(long fd, int writable)
{
	uint64_t size, inum;
	long err = fs_file_info(fd, &size, &inum);
	int img = err ? -1 : image_of_inode(inum);
	if (img >= 0) {
		image_share(img, fd, writable, size);
		return img;
	}
	img = err ? (int)err : image_slot();
	if (img < 0) {
		fs_close_file(fd);
		return img;
	}
	images[img].fd = fd;
	images[img].writable = writable;
	images[img].size = size;
	images[img].inum = inum;
	return img;
}

/*
 * An image for a mapping, through the pager's fs descriptor fd (taken
 * over; it may write if writable); the index, or an error: -E_NOMEM while
 * only exec's reserve is free.
 */
int image_open_fd(long fd, int writable)
{
	if (images_free() <= IMAGE_EXEC_RESERVE) {
		fs_close_file(fd);
		return -E_NOMEM;
	}
	return image_adopt_fd(fd, writable);
}

/* Open program `path` on the file system (for exec, which may use the reserve); image index or an error. */
int image_open_file(const char *path)
{
	long fd = fs_open_file(path);
	int img = fd < 0 ? (int)fd : image_adopt_fd(fd, 0);
	if (img >= 0)
		image_set_name(img, path);
	return img;
}

/* Name image img by the path it was opened by (cut to IMAGE_NAME_MAX - 1 bytes). */
void image_set_name(int img, const char *name)
{
	strncpy(images[img].name, name, IMAGE_NAME_MAX - 1);
	images[img].name[IMAGE_NAME_MAX - 1] = '\0';
}

/* The name image img was opened by, or "" when it was opened by descriptor alone (mmap). */
const char *image_name(int img)
{
	return img >= 0 && img < MAX_IMAGES && images[img].refs ? images[img].name : "";
}

/* The fs inode of image img, or 0 for an archive image. */
uint64_t image_inum(int img)
{
	return images[img].data ? 0 : images[img].inum;
}

/* Where image img's symbol table is, cached (symbols.c fills it in). */
struct symtab_info *image_symtab(int img)
{
	return &images[img].syms;
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
	long done = 0, r = 0;
	while ((uint64_t)done < len && (r = fs_pread(im->fd, off + done, (char *)buf + done, len - done)) > 0)
		done += r;
	return r < 0 ? r : done;
}

/* Is img a file on the fs server (read by calls to it), not bytes of the boot archive? */
int image_on_fs(int img)
{
	return img >= 0 && !images[img].data;
}

/* Write len bytes at off of an fs image (a shared mapping's page); bytes written or an error. */
long image_write(int img, uint64_t off, const void *buf, uint64_t len)
{
	struct image *im = &images[img];
	return im->data ? -E_PERM : fs_pwrite(im->fd, off, buf, len);
}

/* The image's size in bytes when it was last opened. */
uint64_t image_size(int img)
{
	return images[img].size;
}

/* The size of the image's file now (asked of the fs server) in *size; 0 or an error. */
long image_file_size(int img, uint64_t *size)
{
	uint64_t inum;
	*size = images[img].size;
	return images[img].data ? 0 : fs_file_info(images[img].fd, size, &inum);
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
