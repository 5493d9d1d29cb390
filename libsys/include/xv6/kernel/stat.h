/*
 * File status (kernel/stat.h) as fstat and stat fill it, with xv6's
 * fields and file types. dev is 0 (ROOTDEV) for every file here: there
 * is one disk.
 */
#ifndef XV6_STAT_H
#define XV6_STAT_H

#define T_DIR    1   /* directory */
#define T_FILE   2   /* file */
#define T_DEVICE 3   /* device */

struct stat {
	int dev;               /* the disk the file is on (always ROOTDEV, 0) */
	unsigned int ino;      /* inode number */
	short type;            /* T_DIR, T_FILE or T_DEVICE */
	short nlink;           /* number of links to the file */
	unsigned long size;    /* size of the file in bytes */
};

#endif
