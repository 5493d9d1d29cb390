/*
 * File-system host tests, damaged images (see test_fs.c): corrupt
 * superblocks, logs, inodes and directory entries are refused with an
 * error, a failing disk read is reported, and random pokes crash nothing.
 */
#include "fs_test.h"

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
/* Every test of a damaged image. */
void fs_corrupt_tests(void)
{
	test_bad_super();
	test_bad_log();
	test_bad_inodes();
	test_bad_dirents();
	test_io_error();
	test_fuzz();
}
