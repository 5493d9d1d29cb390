/*
 * mkfs: build a file-system image on the host.
 *
 *	mkfs IMAGE [--size BLOCKS] [--inodes N] [DEST=]FILE...
 *	mkfs --update IMAGE [DEST=]FILE...
 *	mkfs --get IMAGE PATH
 *
 * Each FILE goes into "/" under its base name, a leading '_' removed
 * (build/apps/_ls -> /ls); DEST=FILE puts it at the path DEST instead,
 * making the directories on the way (bin/ls=build/apps/ls.elf). Device
 * nodes are init's business, not mkfs's.
 *
 * --update opens an existing IMAGE instead (recovering its log as a mount
 * does) and puts each FILE on it: a file already at DEST is overwritten,
 * every other file on the image is left as it is. `make qemu` uses it to
 * bring the programs on the user's disk up to date after a build.
 *
 * --get copies the file at PATH on IMAGE to standard output, leaving the
 * image as it is: how a file a program wrote in the guest (a trace from
 * `pagerctl record`) reaches the host.
 *
 * The image is built with the file server's own code (servers/fs: format,
 * mount, create, write) over a block device that is an array in memory,
 * then written out whole, so there is one implementation of the format
 * and an image is exactly what the server would have written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blk.h"
#include "fs.h"

#define DEFAULT_BLOCKS 16384   /* 16 MiB: room for big files past the double-indirect threshold */
#define DEFAULT_INODES 1024
#define COPY_CHUNK     (64 * 1024)
#define PATH_MAX_LEN   256

static uint8_t *image;
static uint32_t image_blocks;
static int updating;            /* --update: files may replace files already there */

/* Read block b of the in-memory image. */
int blk_read(uint32_t b, void *buf)
{
	if (b >= image_blocks)
		return -E_RANGE;
	memcpy(buf, image + (size_t)b * BLOCK_SIZE, BLOCK_SIZE);
	return 0;
}

/* Write block b of the in-memory image. */
int blk_write(uint32_t b, const void *buf)
{
	if (b >= image_blocks)
		return -E_RANGE;
	memcpy(image + (size_t)b * BLOCK_SIZE, buf, BLOCK_SIZE);
	return 0;
}

/* Print a message and exit with failure. */
static void die(const char *what, const char *detail)
{
	fprintf(stderr, "mkfs: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	exit(1);
}

/* Print the usage line and exit with failure. */
static void usage(void)
{
	fprintf(stderr, "usage: mkfs IMAGE [--size BLOCKS] [--inodes N] [DEST=]FILE...\n"
	                "       mkfs --update IMAGE [DEST=]FILE...\n"
	                "       mkfs --get IMAGE PATH\n");
	exit(1);
}

/* Parse a positive number no larger than max, or die. */
static uint32_t number(const char *s, uint32_t max)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);
	if (!*s || *end || v == 0 || v > max)
		die("bad number", s);
	return (uint32_t)v;
}

/* The default image path of host file: "/" and its base name without a leading '_'. */
static void default_dest(const char *host, char *dest)
{
	const char *base = strrchr(host, '/');
	base = base ? base + 1 : host;
	if (*base == '_')
		base++;
	if (!*base)
		die("no file name in", host);
	snprintf(dest, PATH_MAX_LEN, "/%s", base);
}

/* Die unless every component of dest fits a directory entry. */
static void check_names(const char *dest)
{
	size_t len;
	for (const char *p = dest; *p; p += len) {
		p += strspn(p, "/");
		len = strcspn(p, "/");
		if (len > DIRSIZ)
			die("a name is longer than DIRSIZ (14) bytes", dest);
	}
}

/* Make every directory on the way to dest, like mkdir -p on its parent. */
static void make_parents(const char *dest)
{
	char path[PATH_MAX_LEN];
	struct inode *ip;
	struct fs_stat st;
	for (const char *slash = strchr(dest + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		snprintf(path, sizeof(path), "%.*s", (int)(slash - dest), dest);
		int r = fs_create(NULL, path, T_DIR, 0, 0, &ip);
		if (r == -FS_E_EXIST && fs_lookup(NULL, path, &ip) == 0) {
			r = fs_stat(ip, &st) == 0 && st.type == T_DIR ? 0 : -FS_E_NOTDIR;
		}
		if (r < 0)
			die(path, fs_error_message(r));
		inode_put(ip);
	}
}

/* Copy host file into the image at dest. */
static void add_file(const char *dest, const char *host)
{
	static uint8_t buf[COPY_CHUNK];
	struct inode *ip;
	FILE *f = fopen(host, "rb");
	if (!f)
		die("cannot open", host);
	check_names(dest);
	make_parents(dest);
	int r;
	if (fs_lookup(NULL, dest, &ip) == 0) {
		if (!updating)
			die("two files at", dest);
		if ((r = fs_truncate(ip)) < 0)
			die(dest, fs_error_message(r));
	} else if ((r = fs_create(NULL, dest, T_FILE, 0, 0, &ip)) < 0) {
		die(dest, fs_error_message(r));
	}
	uint32_t off = 0;
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (n > MAXFILE_BYTES - off)
			die("file too large", host);
		r = fs_write(ip, buf, off, n);
		if (r != (int)n)
			die(dest, r < 0 ? fs_error_message(r) : "disk full");
		off += n;
	}
	if (ferror(f))
		die("cannot read", host);
	fclose(f);
	inode_put(ip);
}

/* Read the existing image at path into memory (--update). */
static void load(const char *path)
{
	FILE *f = fopen(path, "rb");
	long size;
	if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
		die("cannot read", path);
	if (size % BLOCK_SIZE || size / BLOCK_SIZE == 0 || size / BLOCK_SIZE > MAX_FS_BLOCKS)
		die("not a whole number of blocks, or too many", path);
	image_blocks = (uint32_t)(size / BLOCK_SIZE);
	if (!(image = malloc((size_t)size)))
		die("out of memory", NULL);
	if (fread(image, BLOCK_SIZE, image_blocks, f) != image_blocks)
		die("cannot read", path);
	fclose(f);
}

/* Write the whole image to path. */
static void save(const char *path)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(image, BLOCK_SIZE, image_blocks, f) != image_blocks || fclose(f) != 0)
		die("cannot write", path);
}

/* mkfs --get IMAGE PATH: the file at PATH on the image to standard output; the image is not written. */
static int get_file(const char *path, const char *file)
{
	static uint8_t buf[COPY_CHUNK];
	const char *why = NULL;
	struct inode *ip;
	struct fs_stat st;
	load(path);
	int r = fs_mount(image_blocks, &why);
	if (r < 0)
		die("cannot mount the image", why);
	if ((r = fs_lookup(NULL, file, &ip)) < 0 || (r = fs_stat(ip, &st)) < 0)
		die(file, fs_error_message(r));
	if (st.type != T_FILE)
		die("not a file", file);
	for (uint32_t off = 0; off < st.size; off += (uint32_t)r) {
		uint32_t want = st.size - off < sizeof(buf) ? st.size - off : (uint32_t)sizeof(buf);
		if ((r = fs_read(ip, buf, off, want)) <= 0)
			die(file, r < 0 ? fs_error_message(r) : "shorter than its size");
		if (fwrite(buf, 1, (size_t)r, stdout) != (size_t)r)
			die("cannot write", "standard output");
	}
	inode_put(ip);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* Parse the arguments, build the image in memory, write it out. */
int main(int argc, char **argv)
{
	const char *out = NULL, *why = NULL;
	const char *files[argc];
	int nfiles = 0;
	uint32_t inodes = DEFAULT_INODES;
	image_blocks = DEFAULT_BLOCKS;
	if (argc >= 2 && !strcmp(argv[1], "--get")) {
		if (argc != 4)
			usage();
		return get_file(argv[2], argv[3]);
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--update"))
			updating = 1;
		else if (!strcmp(argv[i], "--size") && i + 1 < argc)
			image_blocks = number(argv[++i], MAX_FS_BLOCKS);
		else if (!strcmp(argv[i], "--inodes") && i + 1 < argc)
			inodes = number(argv[++i], MAX_INODES);
		else if (argv[i][0] == '-')
			usage();
		else if (!out)
			out = argv[i];
		else
			files[nfiles++] = argv[i];
	}
	if (!out)
		usage();
	int r;
	if (updating) {
		load(out);
		if ((r = fs_mount(image_blocks, &why)) < 0)
			die("cannot mount the image to update", why);
	} else {
		if (!(image = calloc(image_blocks, BLOCK_SIZE)))
			die("out of memory", NULL);
		if ((r = fs_format(image_blocks, inodes)) < 0)
			die("cannot format: size or inode count out of range", NULL);
		if ((r = fs_mount(image_blocks, &why)) < 0)
			die("cannot mount the new image", why);
	}
	for (int i = 0; i < nfiles; i++) {
		char dest[PATH_MAX_LEN];
		const char *eq = strchr(files[i], '=');
		if (eq)
			snprintf(dest, sizeof(dest), "%s%.*s", files[i][0] == '/' ? "" : "/",
			         (int)(eq - files[i]), files[i]);
		else
			default_dest(files[i], dest);
		add_file(dest, eq ? eq + 1 : files[i]);
	}
	struct fs_usage u;
	if ((r = fs_usage(&u)) < 0)
		die("cannot count free space", fs_error_message(r));
	save(out);
	printf("mkfs: %s: %u blocks of %d bytes, %u data (%u free), %u inodes (%u free), %d files\n",
	       out, image_blocks, BLOCK_SIZE, u.data_blocks, u.free_blocks, u.inodes, u.free_inodes, nfiles);
	return 0;
}
