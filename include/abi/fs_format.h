/*
 * The on-disk format of the file system, shared by the fs server
 * (servers/fs) and the host tool that builds images (tools/mkfs.c).
 *
 * The disk is an array of BLOCK_SIZE blocks, laid out in fixed regions
 * that the superblock describes:
 *
 *   block 0        unused (room for a boot block)
 *   block 1        superblock
 *   logstart       log: one header block, then nlog - 1 block images
 *   inodestart     inodes, INODES_PER_BLOCK to a block; inode 0 is never used
 *   bmapstart      free bitmap, one bit per block of the whole disk (1 = used)
 *   data start     file and directory contents, indirect blocks
 *
 * Every update goes through the log (servers/fs/log.c): the changed
 * blocks are first written to the log, then the header names them (the
 * commit point), then they are copied home and the header is cleared.
 * Mount finishes a committed log, so a crash leaves each operation
 * either wholly applied or not at all.
 *
 * A block is 1 KiB: two virtio sectors, little waste for the many small
 * files and directories, a 64 KiB buffer cache in the server, and one
 * 8 KiB write request (IPC_BUF_MAX) touches at most 9 data blocks, so
 * its whole transaction fits the OP_MAX_BLOCKS log. 4 KiB blocks would
 * make the log and the cache four times larger for the same request.
 *
 * A file addresses NDIRECT blocks directly, NINDIRECT through one
 * indirect block and NINDIRECT^2 through one double-indirect block:
 * (11 + 256 + 65536) KiB = 67,382,272 bytes (about 64.3 MiB) at most.
 *
 * All integers are little-endian, the byte order of both RISC-V and the
 * hosts mkfs runs on.
 */
#ifndef ABI_FS_FORMAT_H
#define ABI_FS_FORMAT_H

#include <stdint.h>

#define BLOCK_SIZE  1024
#define FS_MAGIC    0x53466b4dU        /* "MkFS" as bytes on disk */
#define SUPER_BLOCK 1                  /* block number of the superblock */
#define LOG_START   2                  /* the log follows the superblock */
#define ROOT_INUM   1                  /* inode of "/" */

/* Inode types (dinode.type); 0 is a free inode. */
#define T_FREE   0
#define T_DIR    1
#define T_FILE   2
#define T_DEVICE 3

/* The superblock: where each region starts and how big it is. */
struct superblock {
	uint32_t magic;                /* FS_MAGIC */
	uint32_t size;                 /* whole file system, in blocks */
	uint32_t nblocks;              /* data blocks */
	uint32_t ninodes;              /* inodes, including the unused inode 0 */
	uint32_t nlog;                 /* log blocks, header included */
	uint32_t logstart;             /* first log block (the header) */
	uint32_t inodestart;           /* first inode block */
	uint32_t bmapstart;            /* first free-bitmap block */
};

/* Block addresses of a file. */
#define NDIRECT        11
#define ADDR_BYTES     4               /* a block address is a uint32_t */
#define NINDIRECT      (BLOCK_SIZE / ADDR_BYTES)
#define NDINDIRECT     (NINDIRECT * NINDIRECT)
#define INDIRECT_SLOT  NDIRECT         /* addrs[] index of the indirect block */
#define DINDIRECT_SLOT (NDIRECT + 1)   /* addrs[] index of the double-indirect block */
#define NADDRS         (NDIRECT + 2)
#define MAXFILE_BLOCKS (NDIRECT + NINDIRECT + NDINDIRECT)
#define MAXFILE_BYTES  ((uint32_t)MAXFILE_BLOCKS * BLOCK_SIZE)

/* An inode on disk. A block address of 0 is a hole (reads as zeros). */
struct dinode {
	uint16_t type;                 /* T_FREE, T_DIR, T_FILE, T_DEVICE */
	uint16_t major;                /* device number (T_DEVICE only) */
	uint16_t minor;
	uint16_t nlink;                /* directory entries naming this inode */
	uint32_t size;                 /* bytes of content */
	uint32_t addrs[NADDRS];        /* direct, indirect, double indirect */
};

#define DINODE_BYTES     64
#define INODES_PER_BLOCK (BLOCK_SIZE / DINODE_BYTES)
#define INODE_BLOCK(inum, sb) ((inum) / INODES_PER_BLOCK + (sb).inodestart)
#define BITS_PER_BYTE    8
#define BITS_PER_BLOCK   (BLOCK_SIZE * BITS_PER_BYTE)
#define BITMAP_BLOCK(b, sb) ((b) / BITS_PER_BLOCK + (sb).bmapstart)

/*
 * A directory is a file of dirents. inum 0 marks a free slot. A name is
 * 1..DIRSIZ bytes, NUL-padded; a name of exactly DIRSIZ bytes has no NUL.
 * A 16-bit inum keeps an entry at 16 bytes (64 to a block) and limits a
 * file system to MAX_INODES inodes.
 */
#define DIRSIZ     14
#define DIRENT_BYTES 16
#define MAX_INODES 65536
struct dirent {
	uint16_t inum;
	char name[DIRSIZ];
};

/*
 * Transactions. OP_MAX_BLOCKS is the most distinct blocks one operation
 * may log; the log region must hold that many after its header. The
 * free bitmap is limited to MAX_BITMAP_BLOCKS so that freeing the
 * largest file (its bitmap blocks, its inode, its directory entry)
 * fits one transaction; that caps a file system at MAX_FS_BLOCKS.
 */
#define OP_MAX_BLOCKS     32
#define LOG_MIN_BLOCKS    (1 + OP_MAX_BLOCKS)
#define MAX_BITMAP_BLOCKS 16
#define MAX_FS_BLOCKS     (MAX_BITMAP_BLOCKS * BITS_PER_BLOCK)   /* 128 MiB */

/*
 * The log header, the first block of the log. n > 0 means a committed
 * transaction: block[i] is the home of log block logstart + 1 + i. sum
 * is a 32-bit FNV-1a hash over n, block[0..n) and the n logged blocks'
 * contents, so a torn header write (the disk writes 512-byte sectors)
 * or a lost log block reads as "not committed". n == 0: nothing to do.
 */
#define LOG_MAX_ENTRIES (BLOCK_SIZE / ADDR_BYTES - 2)
struct log_header {
	uint32_t n;
	uint32_t sum;
	uint32_t block[LOG_MAX_ENTRIES];
};

_Static_assert(sizeof(struct superblock) == 32, "superblock layout");
_Static_assert(sizeof(uint32_t) == ADDR_BYTES, "block address size");
_Static_assert(sizeof(struct dinode) == DINODE_BYTES, "dinode layout");
_Static_assert(BLOCK_SIZE % DINODE_BYTES == 0, "whole inodes per block");
_Static_assert(sizeof(struct dirent) == DIRENT_BYTES, "dirent layout");
_Static_assert(BLOCK_SIZE % DIRENT_BYTES == 0, "whole dirents per block");
_Static_assert(sizeof(struct log_header) == BLOCK_SIZE, "log header is one block");
_Static_assert(OP_MAX_BLOCKS <= LOG_MAX_ENTRIES, "a transaction fits the header");
_Static_assert(MAXFILE_BLOCKS == 65803, "max file is 65803 blocks");
_Static_assert(MAX_BITMAP_BLOCKS + 3 <= OP_MAX_BLOCKS, "freeing a file fits a transaction");

#endif
