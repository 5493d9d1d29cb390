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
 *
 * This file holds the RAM disk, the helpers and the basic tests;
 * test_fs_crash.c the crash tests, test_fs_corrupt.c the corrupt images
 * and the fuzz test; fs_test.h what they share.
 */
#include "fs_test.h"

/* --- the RAM disk ------------------------------------------------------ */

uint8_t disk[DISK_BLOCKS][BLOCK_SIZE];      /* (fs_test.h says what each is) */
uint8_t saved[DISK_BLOCKS][BLOCK_SIZE];
long write_budget = -1;
int tear;
uint32_t writes;
uint32_t first_header_write;
uint32_t fail_block = NO_BLOCK;

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
void trace_reset(void)
{
	writes = 0;
	first_header_write = NO_BLOCK;
}

/* --- helpers ----------------------------------------------------------- */

uint8_t big[2 * MiB], back[2 * MiB];

/* Mount the RAM disk as a device of dev blocks; the mount result. */
int mount_dev(uint32_t dev)
{
	return fs_mount(dev, NULL);
}

/* A freshly formatted and mounted file system. */
void fresh_fs(uint32_t blocks, uint32_t inodes)
{
	memset(disk, 0, sizeof(disk));
	write_budget = -1;
	fail_block = NO_BLOCK;
	if (fs_format(blocks, inodes) < 0 || mount_dev(blocks) < 0)
		printf("# format or mount failed\n");
}

/* The default fresh file system. */
void fresh(void)
{
	fresh_fs(DISK_BLOCKS, DISK_INODES);
}

/* Pattern byte i of a file seeded seed. */
uint8_t pattern(uint32_t i, uint32_t seed)
{
	return (uint8_t)((i * 2654435761U + seed) >> 13);
}

/* Fill buf with n pattern bytes. */
void fill(uint8_t *buf, uint32_t n, uint32_t seed)
{
	for (uint32_t i = 0; i < n; i++)
		buf[i] = pattern(i, seed);
}

/* Create path holding n pattern bytes; the write result. */
int make_file(const char *path, uint32_t n, uint32_t seed)
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
int file_ok(const char *path, uint32_t n, uint32_t seed)
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
int stat_path(const char *path, struct fs_stat *st)
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
uint32_t free_blocks(void)
{
	struct fs_usage u;
	return fs_usage(&u) == 0 ? u.free_blocks : 0;
}

/* Free inodes now. */
uint32_t free_inodes(void)
{
	struct fs_usage u;
	return fs_usage(&u) == 0 ? u.free_inodes : 0;
}

/* Nothing held between operations. */
int no_leaks(void)
{
	return bio_held() == 0 && inode_table_used() == 0;
}

/* Copy of a dinode on the RAM disk. */
struct dinode *disk_inode(uint32_t inum)
{
	return (struct dinode *)(disk[INODE_BLOCK(inum, fs_sb)] + inum % INODES_PER_BLOCK * DINODE_BYTES);
}

/* Inode number of path, or 0. */
uint32_t inum_of(const char *path)
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
uint64_t digest(void)
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
	fs_crash_tests();
	fs_corrupt_tests();
	return check_summary();
}
