/*
 * The file system's on-disk format (kernel/fs.h) under xv6's names. The
 * format is include/abi/fs_format.h, which the fs server and mkfs use;
 * these names are defined from it, so they cannot disagree:
 *
 *   BSIZE    1024 bytes, as in xv6
 *   NDIRECT  11 direct blocks (xv6: 12), then one indirect block of
 *            NINDIRECT (256) and one double-indirect block, as in the
 *            large-files lab
 *   MAXFILE  11 + 256 + 256 * 256 = 65,803 blocks (xv6: 268)
 *   DIRSIZ   14, struct dirent is 16 bytes, as in xv6; ROOTINO 1
 *   FSMAGIC  "MkFS" (xv6: 0x10203040): the two formats differ (a log
 *            header with a checksum, 16-bit dinode fields), so neither
 *            system mounts the other's images
 *
 * struct superblock has xv6's fields in xv6's order; struct dinode is
 * 64 bytes as in xv6, with unsigned 16-bit type, major, minor and nlink.
 * A directory read with read() gives struct dirent records; inum 0 is a
 * free slot.
 */
#ifndef XV6_FS_H
#define XV6_FS_H

#include "abi/fs_format.h"

#define BSIZE    BLOCK_SIZE
#define FSMAGIC  FS_MAGIC
#define ROOTINO  ROOT_INUM
#define MAXFILE  MAXFILE_BLOCKS

/* Inodes per block, and the block holding inode i. */
#define IPB           INODES_PER_BLOCK
#define IBLOCK(i, sb) INODE_BLOCK(i, sb)

/* Bitmap bits per block, and the bitmap block holding block b's bit. */
#define BPB           BITS_PER_BLOCK
#define BBLOCK(b, sb) BITMAP_BLOCK(b, sb)

#endif
