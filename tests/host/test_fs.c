/*
 * Host unit test for the file system's on-disk layer (servers/fs: bio,
 * log, balloc, inode, dir, fs, fsops) over a RAM disk.
 *
 * The RAM disk implements blk.h. It can lose power: after write_budget
 * more writes, later writes vanish, and with tear set the first lost
 * write lands its first 512-byte sector only. A crash test runs one
 * operation with every possible budget, remounts (which recovers the
 * log) and checks that the tree is exactly as before or exactly as
 * after the operation, and which: before iff the header write did not
 * land. Corruption tests poke bytes into the image and expect errors;
 * the fuzz test pokes random bytes and expects only that nothing
 * crashes or leaks (build with -fsanitize=address,undefined too).
 *
 * Prints one "@@ PASS host/fs_<name>" or "@@ FAIL ..." line per check.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blk.h"
#include "bio.h"
#include "fs.h"
#include "log.h"
#include "check.h"

#define DISK_BLOCKS  16384                /* 16 MiB, mkfs's default */
#define DISK_INODES  1024
#define SMALL_BLOCKS 2048                 /* a small file system for running out */
#define SMALL_INODES 64
#define SECTOR       512
#define KiB          1024U
#define MiB          (1024U * KiB)
#define SINGLE_START (NDIRECT * BLOCK_SIZE)                 /* first byte via the indirect block */
#define DOUBLE_START ((NDIRECT + NINDIRECT) * BLOCK_SIZE)   /* first byte via the double-indirect */
#define L2_SPAN      (NINDIRECT * BLOCK_SIZE)               /* bytes one second-level block maps */
#define MANY_FILES   800                  /* > NDIRECT blocks of entries */
#define FUZZ_ROUNDS  300
#define FUZZ_POKES   4
#define WALK_DEPTH   4
#define WALK_BYTES   (1 * MiB)            /* contents hashed per file */
#define WALK_ENTRIES 4096                 /* entries hashed per directory */
#define CHUNK        (8 * KiB)
#define NO_BLOCK     UINT32_MAX
#define FNV64_OFFSET 14695981039346656037ULL
#define FNV64_PRIME  1099511628211ULL
#define FNV32_OFFSET 2166136261U
#define FNV32_PRIME  16777619U

/* --- the RAM disk ------------------------------------------------------ */

static uint8_t disk[DISK_BLOCKS][BLOCK_SIZE];
static uint8_t saved[DISK_BLOCKS][BLOCK_SIZE];
static long write_budget = -1;            /* writes that still land; -1 = all */
static int tear;                          /* the first lost write lands one sector */
static uint32_t writes;                   /* writes issued since reset */
static uint32_t first_header_write;       /* index of the first write to the log header */
static uint32_t fail_block = NO_BLOCK;    /* reads of this block fail */

/* Read block b of the RAM disk; reads of fail_block fail. */
int blk_read(uint32_t b, void *buf)
{
	if (b >= DISK_BLOCKS)
		return -E_RANGE;
	if (b == fail_block)
		return -E_FAULT;
	memcpy(buf, disk[b], BLOCK_SIZE);
	return 0;
}

/* Write block b of the RAM disk, unless the power is off (see write_budget, tear). */
int blk_write(uint32_t b, const void *buf)
{
	if (b >= DISK_BLOCKS)
		return -E_RANGE;
	if (b == LOG_START && first_header_write == NO_BLOCK)
		first_header_write = writes;
	writes++;
	if (write_budget == 0) {
		if (tear)
			memcpy(disk[b], buf, SECTOR);
		tear = 0;
		return 0;
	}
	if (write_budget > 0)
		write_budget--;
	memcpy(disk[b], buf, BLOCK_SIZE);
	return 0;
}

/* Count writes from now on. */
static void trace_reset(void)
{
	writes = 0;
	first_header_write = NO_BLOCK;
}

/* --- helpers ----------------------------------------------------------- */

static uint8_t big[2 * MiB], back[2 * MiB];

/* Mount the RAM disk as a device of dev blocks; the mount result. */
static int mount_dev(uint32_t dev)
{
	return fs_mount(dev, NULL);
}

/* A freshly formatted and mounted file system. */
static void fresh_fs(uint32_t blocks, uint32_t inodes)
{
	memset(disk, 0, sizeof(disk));
	write_budget = -1;
	fail_block = NO_BLOCK;
	if (fs_format(blocks, inodes) < 0 || mount_dev(blocks) < 0)
		printf("# format or mount failed\n");
}

/* The default fresh file system. */
static void fresh(void)
{
	fresh_fs(DISK_BLOCKS, DISK_INODES);
}

/* Pattern byte i of a file seeded seed. */
static uint8_t pattern(uint32_t i, uint32_t seed)
{
	return (uint8_t)((i * 2654435761U + seed) >> 13);
}

/* Fill buf with n pattern bytes. */
static void fill(uint8_t *buf, uint32_t n, uint32_t seed)
{
	for (uint32_t i = 0; i < n; i++)
		buf[i] = pattern(i, seed);
}

/* Create path holding n pattern bytes; the write result. */
static int make_file(const char *path, uint32_t n, uint32_t seed)
{
	struct inode *ip;
	int r = fs_create(NULL, path, T_FILE, 0, 0, &ip);
	if (r < 0)
		return r;
	fill(big, n, seed);
	r = n ? fs_write(ip, big, 0, n) : 0;
	inode_put(ip);
	return r;
}

/* Does path hold exactly n pattern bytes? */
static int file_ok(const char *path, uint32_t n, uint32_t seed)
{
	struct inode *ip;
	struct fs_stat st;
	if (fs_lookup(NULL, path, &ip) < 0)
		return 0;
	int r = fs_read(ip, back, 0, n + 1);
	int ok = fs_stat(ip, &st) == 0 && st.size == n && r == (int)n;
	inode_put(ip);
	fill(big, n, seed);
	return ok && memcmp(big, back, n) == 0;
}

/* Stat path into *st; 0 or an error. */
static int stat_path(const char *path, struct fs_stat *st)
{
	struct inode *ip;
	int r = fs_lookup(NULL, path, &ip);
	if (r < 0)
		return r;
	r = fs_stat(ip, st);
	inode_put(ip);
	return r;
}

/* Free data blocks now. */
static uint32_t free_blocks(void)
{
	struct fs_usage u;
	return fs_usage(&u) == 0 ? u.free_blocks : 0;
}

/* Free inodes now. */
static uint32_t free_inodes(void)
{
	struct fs_usage u;
	return fs_usage(&u) == 0 ? u.free_inodes : 0;
}

/* Nothing held between operations. */
static int no_leaks(void)
{
	return bio_held() == 0 && inode_table_used() == 0;
}

/* Copy of a dinode on the RAM disk. */
static struct dinode *disk_inode(uint32_t inum)
{
	return (struct dinode *)(disk[INODE_BLOCK(inum, fs_sb)] + inum % INODES_PER_BLOCK * DINODE_BYTES);
}

/* Inode number of path, or 0. */
static uint32_t inum_of(const char *path)
{
	struct fs_stat st;
	return stat_path(path, &st) == 0 ? st.inum : 0;
}

/* --- tree digest, for the crash tests ---------------------------------- */

/* Fold bytes into a 64-bit FNV-1a hash. */
static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const uint8_t *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * FNV64_PRIME;
	return h;
}

static uint64_t digest_dir(struct inode *dp, int depth, uint64_t h);

/* Hash one inode: its metadata, contents, and (for a directory) its tree. */
static uint64_t digest_inode(uint32_t inum, int depth, uint64_t h)
{
	struct inode *ip;
	struct fs_stat st;
	if (inode_get(inum, &ip) < 0)
		return mix(h, "?", 1);
	if (fs_stat(ip, &st) == 0) {
		h = mix(h, &st, sizeof(st));
		for (uint32_t off = 0; off < st.size && off < WALK_BYTES; off += CHUNK) {
			int r = fs_read(ip, back, off, CHUNK);
			if (r <= 0)
				break;
			h = mix(h, back, r);
		}
		if (st.type == T_DIR && depth < WALK_DEPTH)
			h = digest_dir(ip, depth + 1, h);
	}
	inode_put(ip);
	return h;
}

/* Hash the entries of directory dp and everything below them. */
static uint64_t digest_dir(struct inode *dp, int depth, uint64_t h)
{
	struct dirent de;
	for (uint32_t off = 0; off < WALK_ENTRIES * sizeof(de) &&
	     fs_read(dp, &de, off, sizeof(de)) == sizeof(de); off += sizeof(de)) {
		if (de.inum == 0 || dir_name_is_dot(de.name))
			continue;
		h = mix(h, &de, sizeof(de));
		h = digest_inode(de.inum, depth, h);
	}
	return h;
}

/* Hash of the whole mounted tree and its free counts. */
static uint64_t digest(void)
{
	uint32_t counts[2] = { free_blocks(), free_inodes() };
	return digest_inode(ROOT_INUM, 0, mix(FNV64_OFFSET, counts, sizeof(counts)));
}

/* --- tests: basics ----------------------------------------------------- */

/* Format, mount, and find "/" with "." and "..". */
static void test_format(void)
{
	struct fs_stat st;
	struct inode *a, *b;
	fresh();
	CHECK("fs_format_mount", fs_mount(DISK_BLOCKS, NULL) == 0);
	CHECK("fs_root_is_dir", stat_path("/", &st) == 0 && st.type == T_DIR && st.inum == ROOT_INUM);
	CHECK("fs_root_dot", fs_lookup(NULL, "/.", &a) == 0 && a->inum == ROOT_INUM);
	CHECK("fs_root_dotdot", fs_lookup(NULL, "/..", &b) == 0 && b->inum == ROOT_INUM);
	inode_put(a);
	inode_put(b);
	CHECK("fs_free_inodes_fresh", free_inodes() == DISK_INODES - 2);
	CHECK("fs_free_blocks_fresh", free_blocks() == fs_sb.nblocks - 1);
	CHECK("fs_format_no_leaks", no_leaks());
}

/* Small file: write, read back, read past the end, overwrite the middle. */
static void test_small(void)
{
	struct inode *ip;
	uint8_t buf[64];
	fresh();
	CHECK("fs_small_create_write", make_file("/hello", 100, 1) == 100);
	CHECK("fs_small_read_back", file_ok("/hello", 100, 1));
	fs_lookup(NULL, "/hello", &ip);
	CHECK("fs_small_read_at_end", fs_read(ip, buf, 100, 10) == 0);
	CHECK("fs_small_read_short", fs_read(ip, buf, 90, 64) == 10 && buf[0] == pattern(90, 1));
	CHECK("fs_small_overwrite", fs_write(ip, "XYZ", 50, 3) == 3);
	CHECK("fs_small_overwrite_read", fs_read(ip, buf, 49, 5) == 5 && memcmp(buf + 1, "XYZ", 3) == 0 &&
	      buf[0] == pattern(49, 1) && buf[4] == pattern(53, 1));
	CHECK("fs_small_truncate", fs_truncate(ip) == 0 && fs_read(ip, buf, 0, 10) == 0);
	inode_put(ip);
	CHECK("fs_small_truncate_frees", free_blocks() == fs_sb.nblocks - 1);
	CHECK("fs_small_no_leaks", no_leaks());
}

/* Big files: through the indirect block, into the double-indirect, two second-level blocks. */
static void test_big(void)
{
	fresh();
	uint32_t free0 = free_blocks();
	uint32_t single = SINGLE_START + 5 * KiB, dbl = DOUBLE_START + 20 * KiB, two = 1 * MiB;
	CHECK("fs_big_single_indirect", make_file("/single", single, 2) == (int)single);
	CHECK("fs_big_single_read", file_ok("/single", single, 2));
	CHECK("fs_big_double_indirect", make_file("/double", dbl, 3) == (int)dbl);
	CHECK("fs_big_double_read", file_ok("/double", dbl, 3));
	CHECK("fs_big_two_l2", make_file("/mib", two, 4) == (int)two);
	CHECK("fs_big_two_l2_read", file_ok("/mib", two, 4));
	/* data blocks + indirect + double root + one L2 per NINDIRECT blocks past DOUBLE_START */
	uint32_t used = single / BLOCK_SIZE + 1 + dbl / BLOCK_SIZE + 1 + 1 + 1 +
	                two / BLOCK_SIZE + 1 + 1 + (two - DOUBLE_START + L2_SPAN - 1) / L2_SPAN;
	CHECK("fs_big_block_count", free0 - free_blocks() == used);
	CHECK("fs_big_survives_remount", mount_dev(DISK_BLOCKS) == 0 && file_ok("/mib", two, 4));
	CHECK("fs_big_unlink_frees", fs_unlink(NULL, "/single") == 0 && fs_unlink(NULL, "/double") == 0 &&
	      fs_unlink(NULL, "/mib") == 0 && free_blocks() == free0);
	CHECK("fs_big_no_leaks", no_leaks());
}

/* The largest single write: unaligned, crossing from the indirect into the double-indirect range. */
static void test_worst_write(void)
{
	struct inode *ip;
	fresh();
	fs_create(NULL, "/w", T_FILE, 0, 0, &ip);
	fill(big, FS_OP_WRITE_MAX, 5);
	uint32_t off = DOUBLE_START - 100;
	CHECK("fs_worst_write_fits_log", fs_write(ip, big, off, FS_OP_WRITE_MAX) == FS_OP_WRITE_MAX);
	CHECK("fs_worst_write_read", fs_read(ip, back, off, FS_OP_WRITE_MAX) == FS_OP_WRITE_MAX &&
	      memcmp(big, back, FS_OP_WRITE_MAX) == 0);
	CHECK("fs_hole_reads_zero", fs_read(ip, back, 0, 4 * KiB) == 4 * KiB && back[0] == 0 && back[4095] == 0);
	inode_put(ip);
	CHECK("fs_worst_write_no_leaks", no_leaks());
}

/* Sparse writes and the largest file. */
static void test_sparse_and_max(void)
{
	struct inode *ip;
	struct fs_stat st;
	fresh();
	uint32_t free0 = free_blocks();
	fs_create(NULL, "/sparse", T_FILE, 0, 0, &ip);
	CHECK("fs_sparse_write", fs_write(ip, "abc", 5 * MiB, 3) == 3);
	CHECK("fs_sparse_size", fs_stat(ip, &st) == 0 && st.size == 5 * MiB + 3);
	CHECK("fs_sparse_blocks", free0 - free_blocks() == 3);          /* data, double root, L2 */
	CHECK("fs_sparse_middle_zero", fs_read(ip, back, 2 * MiB, 100) == 100 && back[0] == 0 && back[99] == 0);
	CHECK("fs_max_file_last_block", fs_write(ip, "z", MAXFILE_BYTES - 1, 1) == 1 &&
	      fs_stat(ip, &st) == 0 && st.size == MAXFILE_BYTES);
	CHECK("fs_max_file_past_end", fs_write(ip, "z", MAXFILE_BYTES, 1) == -E_INVAL);
	CHECK("fs_max_file_straddle", fs_write(ip, "zz", MAXFILE_BYTES - 1, 2) == -E_INVAL);
	inode_put(ip);
	CHECK("fs_sparse_unlink_frees", fs_unlink(NULL, "/sparse") == 0 && free_blocks() == free0);
	CHECK("fs_sparse_no_leaks", no_leaks());
}

/* Many files in one directory, growing it past its direct blocks; all freed again. */
static void test_many(void)
{
	char path[32];
	int made = 0, found = 0, gone = 0;
	fresh();
	uint32_t blocks0 = free_blocks(), inodes0 = free_inodes();
	CHECK("fs_many_mkdir", fs_mkdir(NULL, "/many") == 0);
	for (int i = 0; i < MANY_FILES; i++) {
		snprintf(path, sizeof(path), "/many/f%d", i);
		made += make_file(path, i % 50, i) == i % 50;
	}
	CHECK("fs_many_create", made == MANY_FILES);
	struct fs_stat st;
	CHECK("fs_many_dir_indirect", stat_path("/many", &st) == 0 && st.size > SINGLE_START);
	for (int i = 0; i < MANY_FILES; i++) {
		snprintf(path, sizeof(path), "/many/f%d", i);
		found += file_ok(path, i % 50, i);
	}
	CHECK("fs_many_lookup", found == MANY_FILES);
	CHECK("fs_many_remount", mount_dev(DISK_BLOCKS) == 0 && file_ok("/many/f799", 799 % 50, 799));
	CHECK("fs_many_rmdir_nonempty", fs_unlink(NULL, "/many") == -FS_E_NOTEMPTY);
	for (int i = 0; i < MANY_FILES; i++) {
		snprintf(path, sizeof(path), "/many/f%d", i);
		gone += fs_unlink(NULL, path) == 0;
	}
	CHECK("fs_many_unlink", gone == MANY_FILES);
	CHECK("fs_many_rmdir", fs_unlink(NULL, "/many") == 0);
	CHECK("fs_many_frees_inodes", free_inodes() == inodes0);
	CHECK("fs_many_frees_blocks", free_blocks() == blocks0);
	CHECK("fs_many_no_leaks", no_leaks());
}

/* Link counts of files and directories. */
static void test_links(void)
{
	struct fs_stat st, root0, root1;
	fresh();
	uint32_t inodes0 = free_inodes();
	make_file("/a", 3000, 7);
	CHECK("fs_link_initial", stat_path("/a", &st) == 0 && st.nlink == 1);
	CHECK("fs_link_add", fs_link(NULL, "/a", "/b") == 0);
	CHECK("fs_link_count_two", stat_path("/a", &st) == 0 && st.nlink == 2 && inum_of("/b") == st.inum);
	CHECK("fs_link_existing_name", fs_link(NULL, "/a", "/b") == -FS_E_EXIST);
	CHECK("fs_link_missing", fs_link(NULL, "/nope", "/c") == -E_NOENT);
	CHECK("fs_unlink_one_name", fs_unlink(NULL, "/a") == 0 && stat_path("/a", &st) == -E_NOENT);
	CHECK("fs_link_other_name_intact", stat_path("/b", &st) == 0 && st.nlink == 1 && file_ok("/b", 3000, 7));
	CHECK("fs_unlink_last_name", fs_unlink(NULL, "/b") == 0 && free_inodes() == inodes0);
	stat_path("/", &root0);
	CHECK("fs_mkdir_nlink", fs_mkdir(NULL, "/d") == 0 && stat_path("/d", &st) == 0 && st.nlink == 1);
	CHECK("fs_mkdir_parent_nlink", stat_path("/", &root1) == 0 && root1.nlink == root0.nlink + 1);
	fs_mkdir(NULL, "/d/e");
	CHECK("fs_mkdir_nested_nlink", stat_path("/d", &st) == 0 && st.nlink == 2);
	CHECK("fs_rmdir_nlink", fs_unlink(NULL, "/d/e") == 0 && stat_path("/d", &st) == 0 && st.nlink == 1);
	CHECK("fs_link_dir_refused", fs_link(NULL, "/d", "/d2") == -FS_E_ISDIR);
	CHECK("fs_rmdir_root_nlink", fs_unlink(NULL, "/d") == 0 && stat_path("/", &st) == 0 &&
	      st.nlink == root0.nlink && free_inodes() == inodes0);
	CHECK("fs_links_no_leaks", no_leaks());
}

/* Nested directories, relative paths, "." and "..". */
static void test_paths(void)
{
	struct inode *cwd, *ip;
	fresh();
	CHECK("fs_path_mkdir_nested", fs_mkdir(NULL, "/a") == 0 && fs_mkdir(NULL, "a/b") == 0 &&
	      fs_mkdir(NULL, "/a/b/c") == 0);
	CHECK("fs_path_create_deep", make_file("/a/b/c/f", 10, 9) == 10);
	CHECK("fs_path_slashes", file_ok("//a///b/c//f", 10, 9));
	fs_lookup(NULL, "/a/b", &cwd);
	CHECK("fs_path_relative", fs_lookup(cwd, "c/f", &ip) == 0 && ip->inum == inum_of("/a/b/c/f"));
	inode_put(ip);
	CHECK("fs_path_dotdot", fs_lookup(cwd, "../b/./c/../c/f", &ip) == 0 && ip->inum == inum_of("/a/b/c/f"));
	inode_put(ip);
	CHECK("fs_path_dot_is_cwd", fs_lookup(cwd, ".", &ip) == 0 && ip == cwd);
	inode_put(ip);
	CHECK("fs_path_dotdot_of_root", fs_lookup(cwd, "../../../..", &ip) == 0 && ip->inum == ROOT_INUM);
	inode_put(ip);
	CHECK("fs_path_absolute_ignores_cwd", fs_lookup(cwd, "/a", &ip) == 0 && ip->inum == inum_of("/a"));
	inode_put(ip);
	CHECK("fs_path_create_relative", fs_mkdir(cwd, "x") == 0 && inum_of("/a/b/x") != 0);
	CHECK("fs_path_empty", fs_lookup(cwd, "", &ip) == -E_NOENT);
	CHECK("fs_path_missing", fs_lookup(NULL, "/a/zz/c", &ip) == -E_NOENT);
	inode_put(cwd);
	CHECK("fs_paths_no_leaks", no_leaks());
}

/* What must be refused. */
static void test_rejects(void)
{
	struct inode *ip, *ip2;
	struct fs_stat st;
	fresh();
	make_file("/f", 5, 1);
	fs_mkdir(NULL, "/d");
	make_file("/d/x", 5, 1);
	uint32_t inodes0 = free_inodes();
	CHECK("fs_reject_unlink_nonempty", fs_unlink(NULL, "/d") == -FS_E_NOTEMPTY && inum_of("/d/x"));
	CHECK("fs_reject_unlink_dot", fs_unlink(NULL, "/d/.") == -E_INVAL);
	CHECK("fs_reject_unlink_dotdot", fs_unlink(NULL, "/d/..") == -E_INVAL);
	CHECK("fs_reject_unlink_root", fs_unlink(NULL, "/") == -E_INVAL);
	CHECK("fs_reject_unlink_missing", fs_unlink(NULL, "/nope") == -E_NOENT);
	CHECK("fs_reject_create_under_file", fs_create(NULL, "/f/x", T_FILE, 0, 0, &ip) == -FS_E_NOTDIR);
	CHECK("fs_reject_mkdir_under_file", fs_mkdir(NULL, "/f/d") == -FS_E_NOTDIR);
	CHECK("fs_reject_name_too_long", fs_create(NULL, "/abcdefghijklmno", T_FILE, 0, 0, &ip) == -FS_E_NAMELEN);
	CHECK("fs_reject_long_component", fs_lookup(NULL, "/abcdefghijklmnop/x", &ip) == -FS_E_NAMELEN);
	CHECK("fs_name_max_len_ok", make_file("/abcdefghijklmn", 4, 2) == 4 && file_ok("/abcdefghijklmn", 4, 2));
	CHECK("fs_name_prefix_differs", fs_lookup(NULL, "/abcdefghijklm", &ip) == -E_NOENT);
	CHECK("fs_reject_mkdir_exists", fs_mkdir(NULL, "/d") == -FS_E_EXIST);
	CHECK("fs_reject_mkdir_over_file", fs_mkdir(NULL, "/f") == -FS_E_EXIST);
	CHECK("fs_reject_file_over_dir", fs_create(NULL, "/d", T_FILE, 0, 0, &ip) == -FS_E_EXIST);
	CHECK("fs_reject_bad_type", fs_create(NULL, "/t", 7, 0, 0, &ip) == -E_INVAL);
	CHECK("fs_create_existing_returns_it", fs_create(NULL, "/f", T_FILE, 0, 0, &ip) == 0 &&
	      ip->inum == inum_of("/f") && fs_stat(ip, &st) == 0 && st.size == 5);
	inode_put(ip);
	CHECK("fs_create_device", fs_create(NULL, "/console", T_DEVICE, 1, 2, &ip) == 0 &&
	      fs_stat(ip, &st) == 0 && st.type == T_DEVICE && st.major == 1 && st.minor == 2);
	CHECK("fs_create_file_opens_device", fs_create(NULL, "/console", T_FILE, 0, 0, &ip2) == 0 && ip2 == ip);
	inode_put(ip);
	inode_put(ip2);
	CHECK("fs_reject_write_dir", fs_lookup(NULL, "/d", &ip) == 0 && fs_write(ip, "x", 0, 1) == -FS_E_ISDIR);
	inode_put(ip);
	CHECK("fs_rejects_change_nothing", free_inodes() == inodes0 - 2);   /* the long name, /console */
	CHECK("fs_rejects_no_leaks", no_leaks());
}

/* A removed file lives while held; a crash while held leaves an orphan that mount frees. */
static void test_orphans(void)
{
	struct inode *ip;
	fresh();
	uint32_t inodes0 = free_inodes(), blocks0 = free_blocks();
	make_file("/o", 20 * KiB, 3);
	fs_lookup(NULL, "/o", &ip);
	CHECK("fs_unlink_open_file", fs_unlink(NULL, "/o") == 0 && inum_of("/o") == 0);
	CHECK("fs_unlinked_still_readable", fs_read(ip, back, 0, 20 * KiB) == 20 * KiB &&
	      back[100] == pattern(100, 3));
	CHECK("fs_unlinked_not_freed_yet", free_inodes() == inodes0 - 1);
	inode_put(ip);
	CHECK("fs_last_put_frees", free_inodes() == inodes0 && free_blocks() == blocks0);
	make_file("/o", 20 * KiB, 3);
	fs_lookup(NULL, "/o", &ip);
	fs_unlink(NULL, "/o");
	CHECK("fs_orphan_reclaimed_at_mount", mount_dev(DISK_BLOCKS) == 0 &&
	      free_inodes() == inodes0 && free_blocks() == blocks0);
	CHECK("fs_orphans_no_leaks", no_leaks());
}

/* Running out of blocks and inodes; a failed operation changes nothing. */
static void test_full(void)
{
	struct inode *ip;
	char path[32];
	int made = 0, r, topped = 0;
	fresh_fs(SMALL_BLOCKS, SMALL_INODES);
	uint32_t blocks0 = free_blocks(), inodes0 = free_inodes(), off = 0;
	fs_create(NULL, "/fill", T_FILE, 0, 0, &ip);
	fill(big, CHUNK, 1);
	while ((r = fs_write(ip, big, off, CHUNK)) == CHUNK)
		off += CHUNK;
	CHECK("fs_full_short_write", r < (int)CHUNK && (r >= 0 || r == -FS_E_NOSPACE));
	CHECK("fs_full_then_nospace", fs_write(ip, big, off + (r > 0 ? r : 0), CHUNK) == -FS_E_NOSPACE);
	inode_put(ip);
	while (free_blocks() > 0 && topped < SMALL_INODES / 2) {   /* a block an index block could not use */
		snprintf(path, sizeof(path), "/top%d", topped++);
		make_file(path, 1, 0);
	}
	uint32_t inodes1 = free_inodes();
	CHECK("fs_full_disk_full", free_blocks() == 0);
	CHECK("fs_full_mkdir_fails", fs_mkdir(NULL, "/x") == -FS_E_NOSPACE);
	CHECK("fs_full_mkdir_rolled_back", free_inodes() == inodes1 && inum_of("/x") == 0);
	for (int i = 0; i < topped; i++) {
		snprintf(path, sizeof(path), "/top%d", i);
		fs_unlink(NULL, path);
	}
	CHECK("fs_full_unlink_frees", fs_unlink(NULL, "/fill") == 0 && free_blocks() == blocks0 &&
	      free_inodes() == inodes0);
	for (int i = 0; i < SMALL_INODES; i++) {
		snprintf(path, sizeof(path), "/i%d", i);
		made += make_file(path, 0, 0) == 0;
	}
	CHECK("fs_inodes_run_out", made == (int)inodes0 && free_inodes() == 0);
	CHECK("fs_inodes_out_error", fs_create(NULL, "/one_more", T_FILE, 0, 0, &ip) == -FS_E_NOSPACE);
	CHECK("fs_full_no_leaks", no_leaks());
}

/* A transaction bigger than the log is thrown away whole. */
static void test_log_overflow(void)
{
	struct buf *b;
	fresh();
	uint32_t first = fs_sb.size - fs_sb.nblocks + 1;
	CHECK("fs_log_begin", log_begin() == 0);
	for (uint32_t i = 0; i <= OP_MAX_BLOCKS; i++) {
		if (bio_read(first + i, &b) < 0)
			break;
		b->data[0] = 0xee;
		log_write(b);
		bio_release(b);
	}
	CHECK("fs_log_overflow_fails", log_end(0) == -FS_E_NOSPACE);
	CHECK("fs_log_overflow_disk_unchanged", disk[first][0] == 0 && disk[first + OP_MAX_BLOCKS][0] == 0);
	CHECK("fs_log_overflow_cache_dropped", bio_read(first, &b) == 0 && b->data[0] == 0);
	bio_release(b);
	CHECK("fs_log_overflow_unlogged_dropped", bio_read(first + OP_MAX_BLOCKS, &b) == 0 && b->data[0] == 0);
	bio_release(b);
	CHECK("fs_log_still_works", make_file("/after", 10, 1) == 10 && file_ok("/after", 10, 1));
	CHECK("fs_log_overflow_no_leaks", no_leaks());
}

/* --- crash consistency ------------------------------------------------- */

typedef int (*op_fn)(void);

/* Operations, each one transaction, on the tree crash_setup builds. */

/* Write FS_OP_WRITE_MAX bytes into /d/f, growing it into its indirect block. */
static int op_write(void)
{
	struct inode *ip;
	int r = fs_lookup(NULL, "/d/f", &ip);
	if (r < 0)
		return r;
	fill(big, FS_OP_WRITE_MAX, 11);
	r = fs_write(ip, big, SINGLE_START - 300, FS_OP_WRITE_MAX);
	inode_put(ip);
	return r;
}
/* Create /d/new. */
static int op_create(void)
{
	struct inode *ip;
	int r = fs_create(NULL, "/d/new", T_FILE, 0, 0, &ip);
	if (r == 0)
		inode_put(ip);
	return r;
}
/* Make /d/sub. */
static int op_mkdir(void)
{
	return fs_mkdir(NULL, "/d/sub");
}

/* Name /d/f also /g. */
static int op_link(void)
{
	return fs_link(NULL, "/d/f", "/g");
}

/* Remove /big, freeing its double-indirect tree. */
static int op_unlink(void)
{
	return fs_unlink(NULL, "/big");
}

/* Remove the empty directory /e. */
static int op_rmdir(void)
{
	return fs_unlink(NULL, "/e");
}

/* The tree every crash test starts from. */
static void crash_setup(void)
{
	fresh();
	fs_mkdir(NULL, "/d");
	fs_mkdir(NULL, "/e");
	make_file("/d/f", 5000, 1);
	make_file("/big", DOUBLE_START + 40 * KiB, 2);
}

/* Restore the saved image and mount it. */
static void restore(void)
{
	memcpy(disk, saved, sizeof(disk));
	write_budget = -1;
	tear = 0;
	mount_dev(DISK_BLOCKS);
}

/* Crash op at every write, torn and not; after remount the tree is before or after, as the header decides. */
static void crash_test(const char *name, op_fn op)
{
	char label[64];
	int wrong = 0, runs = 0;
	crash_setup();
	memcpy(saved, disk, sizeof(disk));
	restore();
	uint64_t before = digest();
	trace_reset();
	int r = op();
	uint32_t total = writes, commit = first_header_write;
	uint64_t after = digest();
	snprintf(label, sizeof(label), "fs_crash_%s_op", name);
	CHECK(label, r >= 0 && before != after && commit != NO_BLOCK && total > commit);
	for (uint32_t p = 0; p <= total; p++)
		for (int t = 0; t < 2; t++) {
			restore();
			write_budget = p;
			tear = t;
			op();
			write_budget = -1;
			if (mount_dev(DISK_BLOCKS) < 0) {
				wrong++;
				continue;
			}
			uint64_t d = digest();
			int torn_header = t && p == commit;
			wrong += !(d == (p > commit ? after : before) || (torn_header && (d == before || d == after)));
			wrong += !no_leaks();
			runs++;
		}
	snprintf(label, sizeof(label), "fs_crash_%s_all_or_nothing", name);
	CHECK(label, wrong == 0 && runs == 2 * (int)(total + 1));
	if (wrong)
		printf("# %s: %d of %u crash points wrong\n", name, wrong, 2 * (total + 1));
}

/* A committed header whose log block never landed reads as not committed. */
static void test_lost_log_block(void)
{
	crash_setup();
	memcpy(saved, disk, sizeof(disk));
	restore();
	uint64_t before = digest();
	trace_reset();
	op_write();
	uint32_t commit = first_header_write;
	restore();
	write_budget = commit + 1;               /* log blocks and header land, nothing installed */
	op_write();
	write_budget = -1;
	disk[LOG_START + 1][7] ^= 0xff;          /* but one log block is not what was written */
	CHECK("fs_crash_lost_log_block_ignored", mount_dev(DISK_BLOCKS) == 0 && digest() == before);
	CHECK("fs_crash_header_cleared", ((struct log_header *)disk[LOG_START])->n == 0);
}

/* --- corrupt images ---------------------------------------------------- */

/* The superblock on the RAM disk. */
static struct superblock *disk_sb(void)
{
	return (struct superblock *)disk[SUPER_BLOCK];
}

/* Mount after a poke; 1 if it fails with err and gives a reason. */
static int mount_refuses(int err)
{
	const char *why = NULL;
	int r = fs_mount(DISK_BLOCKS, &why);
	return r == err && why != NULL;
}

/* Superblocks that must not mount. */
static void test_bad_super(void)
{
	const char *why = NULL;
	struct inode *ip;
	struct superblock good;
	fresh();
	good = *disk_sb();
	struct dinode *root = disk_inode(ROOT_INUM);    /* while fs_sb is valid */
	disk_sb()->magic ^= 1;
	CHECK("fs_corrupt_bad_magic", mount_refuses(-E_INVAL));
	CHECK("fs_corrupt_unmounted_ops_fail", fs_lookup(NULL, "/", &ip) < 0 && no_leaks());
	*disk_sb() = good;
	CHECK("fs_corrupt_device_smaller", fs_mount(DISK_BLOCKS - 1, &why) == -E_INVAL && why);
	CHECK("fs_corrupt_device_tiny", fs_mount(1, &why) == -E_INVAL && why);
	disk_sb()->size = 0xfffffff0;
	CHECK("fs_corrupt_size_huge", mount_refuses(-E_INVAL));
	*disk_sb() = good;
	disk_sb()->nblocks += 1;
	CHECK("fs_corrupt_nblocks", mount_refuses(-E_INVAL));
	*disk_sb() = good;
	disk_sb()->inodestart += 1;
	CHECK("fs_corrupt_regions", mount_refuses(-E_INVAL));
	*disk_sb() = good;
	disk_sb()->ninodes = 0;
	CHECK("fs_corrupt_ninodes", mount_refuses(-E_INVAL));
	*disk_sb() = good;
	disk_sb()->nlog = 2;
	CHECK("fs_corrupt_nlog", mount_refuses(-E_INVAL));
	*disk_sb() = good;
	root->type = T_FILE;
	CHECK("fs_corrupt_root_not_dir", mount_refuses(-FS_E_CORRUPT));
	root->type = T_DIR;
	memset(disk[SUPER_BLOCK], 0, BLOCK_SIZE);
	CHECK("fs_corrupt_blank_disk", mount_refuses(-E_INVAL));
	*disk_sb() = good;
	CHECK("fs_good_super_mounts", fs_mount(DISK_BLOCKS, &why) == 0 && why == NULL);
	CHECK("fs_bad_super_no_leaks", no_leaks());
}

/* 32-bit FNV-1a, as the log uses. */
static uint32_t fnv32(uint32_t h, const void *p, size_t n)
{
	const uint8_t *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * FNV32_PRIME;
	return h;
}

/* Log headers: garbage is ignored, a well-formed one naming a bad block refuses the mount. */
static void test_bad_log(void)
{
	fresh();
	make_file("/f", 10, 1);
	memcpy(saved, disk, sizeof(disk));
	struct log_header *h = (struct log_header *)disk[LOG_START];
	h->n = 3;
	h->sum = 12345;
	h->block[0] = SUPER_BLOCK;
	CHECK("fs_corrupt_log_garbage_ignored", mount_dev(DISK_BLOCKS) == 0 && file_ok("/f", 10, 1) &&
	      h->n == 0);
	h->n = 1;
	h->block[0] = SUPER_BLOCK;
	h->sum = fnv32(fnv32(FNV32_OFFSET, &h->n, sizeof(h->n)), h->block, sizeof(h->block[0]));
	h->sum = fnv32(h->sum, disk[LOG_START + 1], BLOCK_SIZE);
	CHECK("fs_corrupt_log_bad_target", mount_refuses(-FS_E_CORRUPT) && disk_sb()->magic == FS_MAGIC);
	memcpy(disk, saved, sizeof(disk));
	CHECK("fs_bad_log_no_leaks", mount_dev(DISK_BLOCKS) == 0 && no_leaks());
}

/* Impossible values inside the file system give errors, never wild reads. */
static void test_bad_inodes(void)
{
	struct inode *ip;
	fresh();
	make_file("/f", 3 * KiB, 1);
	make_file("/g", SINGLE_START + 4 * KiB, 2);
	make_file("/h", 10, 3);
	make_file("/k", 10, 4);
	uint32_t f = inum_of("/f"), g = inum_of("/g"), h = inum_of("/h"), k = inum_of("/k");
	disk_inode(f)->addrs[1] = SUPER_BLOCK;
	uint32_t ind = disk_inode(g)->addrs[INDIRECT_SLOT];
	uint32_t bad = SUPER_BLOCK, far = 0x7ffffff0;  /* metadata, and past the device */
	memcpy(disk[ind] + 2 * ADDR_BYTES, &bad, ADDR_BYTES);
	memcpy(disk[ind] + 3 * ADDR_BYTES, &far, ADDR_BYTES);
	disk_inode(h)->type = 9;
	disk_inode(k)->size = MAXFILE_BYTES + 1;
	mount_dev(DISK_BLOCKS);
	CHECK("fs_corrupt_inode_addr", fs_lookup(NULL, "/f", &ip) == -FS_E_CORRUPT);
	CHECK("fs_corrupt_inode_type", fs_lookup(NULL, "/h", &ip) == -FS_E_CORRUPT);
	CHECK("fs_corrupt_inode_size", fs_lookup(NULL, "/k", &ip) == -FS_E_CORRUPT);
	CHECK("fs_corrupt_indirect_lookup_ok", fs_lookup(NULL, "/g", &ip) == 0);
	CHECK("fs_corrupt_indirect_read", fs_read(ip, back, SINGLE_START + 2 * KiB, 10) == -FS_E_CORRUPT);
	CHECK("fs_corrupt_indirect_short_read", fs_read(ip, back, 0, SINGLE_START + 4 * KiB) ==
	      (int)(SINGLE_START + 2 * KiB));
	CHECK("fs_corrupt_indirect_far", fs_read(ip, back, SINGLE_START + 3 * KiB, 10) == -FS_E_CORRUPT);
	CHECK("fs_corrupt_indirect_write", fs_write(ip, "x", SINGLE_START + 2 * KiB, 1) == -FS_E_CORRUPT &&
	      disk_sb()->magic == FS_MAGIC);
	inode_put(ip);
	uint32_t blocks0 = free_blocks();
	CHECK("fs_corrupt_unlink_fails_whole", fs_unlink(NULL, "/g") == -FS_E_CORRUPT &&
	      inum_of("/g") == g && free_blocks() == blocks0);
	CHECK("fs_corrupt_unlink_bad_inode", fs_unlink(NULL, "/f") == -FS_E_CORRUPT);
	CHECK("fs_corrupt_inodes_no_leaks", no_leaks());
}

/* Directory entries naming impossible or free inodes. */
static void test_bad_dirents(void)
{
	struct inode *ip;
	fresh();
	make_file("/x", 10, 1);
	make_file("/y", 10, 2);
	struct dirent *ents = (struct dirent *)disk[disk_inode(ROOT_INUM)->addrs[0]];
	for (int i = 0; i < BLOCK_SIZE / DIRENT_BYTES; i++) {
		if (strncmp(ents[i].name, "x", DIRSIZ) == 0)
			ents[i].inum = 60000;           /* past ninodes */
		if (strncmp(ents[i].name, "y", DIRSIZ) == 0)
			ents[i].inum = DISK_INODES - 1; /* a free inode */
	}
	mount_dev(DISK_BLOCKS);
	CHECK("fs_corrupt_dirent_inum", fs_lookup(NULL, "/x", &ip) == -FS_E_CORRUPT);
	CHECK("fs_corrupt_dirent_free_inode", fs_lookup(NULL, "/y", &ip) == -FS_E_CORRUPT);
	CHECK("fs_corrupt_dirent_others_fine", make_file("/z", 10, 3) == 10 && file_ok("/z", 10, 3));
	CHECK("fs_corrupt_dirents_no_leaks", no_leaks());
}

/* A read error is returned, not a crash, and the next read works. */
static void test_io_error(void)
{
	struct inode *ip;
	fresh();
	make_file("/f", 10, 1);
	uint32_t f = inum_of("/f");
	mount_dev(DISK_BLOCKS);
	fail_block = disk_inode(f)->addrs[0];
	CHECK("fs_io_error_returned", fs_lookup(NULL, "/f", &ip) == 0 && fs_read(ip, back, 0, 10) == -E_FAULT);
	inode_put(ip);
	fail_block = NO_BLOCK;
	CHECK("fs_io_error_recovers", file_ok("/f", 10, 1));
	CHECK("fs_io_error_no_leaks", no_leaks());
}

/* Random bytes poked into the metadata: whatever happens, no crash and no leak. */
static void test_fuzz(void)
{
	char path[32];
	int leaks = 0, mounted = 0;
	fresh();
	fs_mkdir(NULL, "/d");
	for (int i = 0; i < 20; i++) {
		snprintf(path, sizeof(path), i % 2 ? "/d/f%d" : "/f%d", i);
		make_file(path, i * 3000, i);
	}
	memcpy(saved, disk, sizeof(disk));
	uint32_t span = fs_sb.size - fs_sb.nblocks + 64;   /* metadata and the first data blocks */
	srand(12345);
	for (int round = 0; round < FUZZ_ROUNDS; round++) {
		memcpy(disk, saved, sizeof(disk));
		for (int i = 0; i < FUZZ_POKES; i++)
			disk[1 + rand() % (span - 1)][rand() % BLOCK_SIZE] = rand();
		if (mount_dev(DISK_BLOCKS) < 0)
			continue;
		mounted++;
		digest();
		make_file("/new", 20 * KiB, round);
		fs_unlink(NULL, "/f4");
		fs_unlink(NULL, "/d/f5");
		fs_mkdir(NULL, "/d/sub");
		digest();
		leaks += !no_leaks();
		mount_dev(DISK_BLOCKS);
		digest();
		leaks += !no_leaks();
	}
	CHECK("fs_fuzz_no_crash", mounted > 0);
	CHECK("fs_fuzz_no_leaks", leaks == 0);
}

/* Run every test; exit status 0 iff all passed. */
int main(void)
{
	test_format();
	test_small();
	test_big();
	test_worst_write();
	test_sparse_and_max();
	test_many();
	test_links();
	test_paths();
	test_rejects();
	test_orphans();
	test_full();
	test_log_overflow();
	crash_test("write", op_write);
	crash_test("create", op_create);
	crash_test("mkdir", op_mkdir);
	crash_test("link", op_link);
	crash_test("unlink", op_unlink);
	crash_test("rmdir", op_rmdir);
	test_lost_log_block();
	test_bad_super();
	test_bad_log();
	test_bad_inodes();
	test_bad_dirents();
	test_io_error();
	test_fuzz();
	return check_summary();
}
