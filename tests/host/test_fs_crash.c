/*
 * File-system host tests, crash consistency (see test_fs.c): each operation
 * runs with every possible write budget, and the tree after the remount is
 * exactly the one before it or the one after.
 */
#include "fs_test.h"

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

/* Every crash test. */
void fs_crash_tests(void)
{
	crash_test("write", op_write);
	crash_test("create", op_create);
	crash_test("mkdir", op_mkdir);
	crash_test("link", op_link);
	crash_test("unlink", op_unlink);
	crash_test("rmdir", op_rmdir);
	test_lost_log_block();
}
