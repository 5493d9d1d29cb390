/*
 * Mounting and formatting. The superblock is the one thing read from
 * disk before anything can be checked against it, so mount checks it
 * whole before trusting any field: the magic, the size against the
 * device, and that every region sits where the layout rule puts it
 * (superblock, log, inodes, bitmap, data, each right after the last).
 * A bad image gets an error and a sentence saying what is wrong. Mount
 * then replays a committed log, checks that the root is a directory and
 * frees orphans (inodes a crash left with no links).
 *
 * fs_format writes an empty file system following the same rule, so
 * mkfs and the tests build images exactly as mount expects them.
 */
#include <string.h>
#include "bio.h"
#include "blk.h"
#include "fs.h"
#include "log.h"

#define ROOT_ENTRIES 2                 /* "." and ".." */

struct superblock fs_sb;

static uint8_t scratch[BLOCK_SIZE];    /* staging for fs_format */

/* Blocks needed for n things of which per_block fit a block. */
static uint32_t blocks_for(uint32_t n, uint32_t per_block)
{
	return n / per_block + (n % per_block != 0);
}

/* The superblock the layout rule gives for size blocks, ninodes inodes and nlog log blocks. */
static struct superblock layout(uint32_t size, uint32_t ninodes, uint32_t nlog)
{
	struct superblock sb = {
		.magic = FS_MAGIC, .size = size, .ninodes = ninodes, .nlog = nlog,
		.logstart = LOG_START,
	};
	sb.inodestart = sb.logstart + nlog;
	sb.bmapstart = sb.inodestart + blocks_for(ninodes, INODES_PER_BLOCK);
	uint32_t data = sb.bmapstart + blocks_for(size, BITS_PER_BLOCK);
	sb.nblocks = data < size ? size - data : 0;
	return sb;
}

/* What is wrong with sb on a device of dev_blocks blocks, or NULL if nothing. */
static const char *super_problem(const struct superblock *sb, uint32_t dev_blocks)
{
	if (sb->magic != FS_MAGIC)
		return "bad magic number: not a file system image";
	if (sb->size > dev_blocks)
		return "file system is larger than the device";
	if (sb->size > MAX_FS_BLOCKS)
		return "file system is larger than MAX_FS_BLOCKS";
	if (sb->ninodes <= ROOT_INUM || sb->ninodes > MAX_INODES)
		return "inode count out of range";
	if (sb->nlog < LOG_MIN_BLOCKS || sb->nlog > 1 + LOG_MAX_ENTRIES)
		return "log size out of range";
	struct superblock want = layout(sb->size, sb->ninodes, sb->nlog);
	if (sb->logstart != want.logstart || sb->inodestart != want.inodestart ||
	    sb->bmapstart != want.bmapstart)
		return "regions overlap or are out of place";
	if (want.nblocks == 0 || sb->nblocks != want.nblocks)
		return "data region size does not match the file system size";
	return NULL;
}

/* Check that the root is a directory; 0 or an error. */
static int check_root(void)
{
	struct inode *root;
	int r = inode_get(ROOT_INUM, &root);
	if (r < 0)
		return r;
	if ((r = inode_load(root)) >= 0 && root->d.type != T_DIR)
		r = -FS_E_CORRUPT;
	inode_put(root);
	return r;
}

/* Fail a mount: nothing is usable afterwards. */
static int mount_failed(int err, const char **why, const char *reason)
{
	memset(&fs_sb, 0, sizeof(fs_sb));
	*why = reason;
	return err;
}

/* Mount the file system on a device of dev_blocks blocks; 0, or an error with *why (if why) saying what is wrong. */
int fs_mount(uint32_t dev_blocks, const char **why)
{
	const char *ignored;
	struct superblock sb;
	struct buf *b;
	if (!why)
		why = &ignored;
	*why = NULL;
	bio_init(dev_blocks);
	inode_table_init();
	block_init();
	memset(&fs_sb, 0, sizeof(fs_sb));
	if (dev_blocks <= SUPER_BLOCK)
		return mount_failed(-E_INVAL, why, "device too small to hold a superblock");
	int r = bio_read(SUPER_BLOCK, &b);
	if (r < 0)
		return mount_failed(r, why, "cannot read the superblock");
	memcpy(&sb, b->data, sizeof(sb));
	bio_release(b);
	const char *problem = super_problem(&sb, dev_blocks);
	if (problem)
		return mount_failed(-E_INVAL, why, problem);
	fs_sb = sb;
	if ((r = log_init(sb.logstart, sb.nlog, sb.size, inode_invalidate_all)) < 0)
		return mount_failed(r, why, "cannot recover the log");
	if ((r = check_root()) < 0)
		return mount_failed(r, why, "root inode is not a directory");
	if ((r = inode_reclaim_orphans()) < 0)
		return mount_failed(r, why, "cannot free orphaned inodes");
	return 0;
}

/* Write scratch to block b. */
static int put_scratch(uint32_t b)
{
	return blk_write(b, scratch);
}

/* Write the bitmap with blocks [0, used) marked in use; 0 or an error. */
static int format_bitmap(const struct superblock *sb, uint32_t used)
{
	for (uint32_t i = 0; i < sb->size - sb->nblocks - sb->bmapstart; i++) {
		memset(scratch, 0, BLOCK_SIZE);
		for (uint32_t b = i * BITS_PER_BLOCK; b < used && b < (i + 1) * BITS_PER_BLOCK; b++)
			scratch[b % BITS_PER_BLOCK / BITS_PER_BYTE] |= 1U << (b % BITS_PER_BYTE);
		int r = put_scratch(sb->bmapstart + i);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Write the root directory: its inode, and a data block holding "." and ".."; 0 or an error. */
static int format_root(const struct superblock *sb, uint32_t block)
{
	struct dinode root = { .type = T_DIR, .nlink = 1, .size = ROOT_ENTRIES * DIRENT_BYTES };
	struct dirent dot = { .inum = ROOT_INUM, .name = "." }, dotdot = { .inum = ROOT_INUM, .name = ".." };
	root.addrs[0] = block;
	memset(scratch, 0, BLOCK_SIZE);
	memcpy(scratch + ROOT_INUM % INODES_PER_BLOCK * DINODE_BYTES, &root, DINODE_BYTES);
	int r = put_scratch(INODE_BLOCK(ROOT_INUM, *sb));
	if (r < 0)
		return r;
	memset(scratch, 0, BLOCK_SIZE);
	memcpy(scratch, &dot, DIRENT_BYTES);
	memcpy(scratch + DIRENT_BYTES, &dotdot, DIRENT_BYTES);
	return put_scratch(block);
}

/* Write an empty file system (only "/") on a device of dev_blocks blocks; mount it afterwards. 0 or an error. */
int fs_format(uint32_t dev_blocks, uint32_t ninodes)
{
	struct superblock sb = layout(dev_blocks, ninodes, LOG_MIN_BLOCKS);
	if (super_problem(&sb, dev_blocks))
		return -E_INVAL;
	uint32_t data = sb.size - sb.nblocks;
	memset(scratch, 0, BLOCK_SIZE);
	for (uint32_t b = 0; b < data; b++) {
		int r = put_scratch(b);
		if (r < 0)
			return r;
	}
	memcpy(scratch, &sb, sizeof(sb));
	int r = put_scratch(SUPER_BLOCK);
	if (r >= 0)
		r = format_bitmap(&sb, data + 1);       /* the metadata and the root's block */
	if (r >= 0)
		r = format_root(&sb, data);
	return r;
}

/* Fill *u with the mounted file system's space; 0 or an error. */
int fs_usage(struct fs_usage *u)
{
	memset(u, 0, sizeof(*u));
	u->data_blocks = fs_sb.nblocks;
	u->inodes = fs_sb.ninodes ? fs_sb.ninodes - 1 : 0;
	int r = block_count_free(&u->free_blocks);
	return r < 0 ? r : inode_count_free(&u->free_inodes);
}

/* A sentence for a negative error code from this file system. */
const char *fs_error_message(int err)
{
	switch (-err) {
	case E_OK:     return "success";
	case E_NOENT:  return "no such file or directory";
	case E_INVAL:  return "invalid name or argument, name exists, or not a directory";
	case E_PERM:   return "is a directory, or directory not empty";
	case E_NOMEM:  return "out of disk blocks, inodes or table space";
	case E_RANGE:  return "file system is corrupt (a value out of range)";
	case E_FAULT:  return "bad address";
	default:       return err < 0 ? "I/O or other error" : "no error";
	}
}
