/* File status as xv6 programs see it (fstat, stat). */
#ifndef XV6_STAT_H
#define XV6_STAT_H

#define T_DIR    1   /* directory */
#define T_FILE   2   /* file */
#define T_DEVICE 3   /* device */

struct stat {
	int dev;               /* file system's disk device */
	unsigned int ino;      /* inode number */
	short type;            /* type of file */
	short nlink;           /* number of links to file */
	unsigned long size;    /* size of file in bytes */
};

#endif
