/*
 * The file system: inodes, directories and paths over the log and the
 * buffer cache, in the on-disk format of abi/fs_format.h.
 *
 * The server calls the fs_ functions; each is one transaction (fs_write
 * one per FS_OP_WRITE_MAX bytes) and either happens wholly or returns an
 * error having changed nothing. Paths are relative to cwd, or to "/" if
 * they start with '/' or cwd is NULL. An inode a function hands out is
 * held: give it back with inode_put. Errors are negative E_ codes.
 *
 * The rest (inode_, dir_, path_, block_) is for the fs layer itself and
 * runs inside a transaction wherever it changes the disk.
 */
#ifndef FS_FS_H
#define FS_FS_H

#include <stddef.h>
#include <stdint.h>
#include "abi/fs.h"
#include "abi/fs_format.h"
#include "abi/syscall.h"

/*
 * Error codes. The ABI has no specific codes for these yet; each alias
 * names its case so that adding one to syscall.h is a one-line change.
 */
#define FS_E_NOSPACE  E_NOMEM          /* no free block or inode; transaction too big */
#define FS_E_EXIST    E_INVAL          /* the name is already taken */
#define FS_E_NOTDIR   E_INVAL          /* a path component is not a directory */
#define FS_E_NAMELEN  E_INVAL          /* a component is longer than DIRSIZ */
#define FS_E_ISDIR    E_PERM           /* link to a directory */
#define FS_E_NOTEMPTY E_PERM           /* unlink of a non-empty directory */
#define FS_E_CORRUPT  E_RANGE          /* the disk holds an impossible value */

#define FS_OP_WRITE_MAX 8192           /* bytes one write transaction may carry */

/*
 * Table shares (inode.c, files.c, pipe.c, docs/SECURITY.md): each shared
 * table keeps a reserve, big enough for every client to hold a few
 * entries, that only clients holding fewer than a few may draw on.
 * FS_MAX_PROCS is how many clients (processes; the pager's MAX_PROCS)
 * the server keeps tables for, besides the pager's own.
 */
#define FS_MAX_PROCS     64
#define INODE_FEW        3             /* inodes (cwd, files) a client may hold and still draw on the reserve */
#define INODE_TRANSIENT  3             /* held at once inside one request: fs_link's file and its walk's two */
#define INODE_SHARED     64            /* in-memory inodes anyone may take */
#define INODE_RESERVE    (FS_MAX_PROCS * INODE_FEW + FS_PAGER_FDS + 1 + INODE_TRANSIENT)   /* + 1: the pager's cwd */
#define NINODE           (INODE_SHARED + INODE_RESERVE)   /* in-memory inodes */

/* An inode in memory: a copy of the dinode, valid once loaded. */
struct inode {
	uint32_t inum;
	uint32_t ref;                  /* holders; the slot is free at 0 */
	int valid;                     /* d matches the disk (inode_load) */
	struct dinode d;
};

/* What fs_stat reports. */
struct fs_stat {
	uint32_t inum;
	uint16_t type, nlink, major, minor;
	uint32_t size;
};

/* Free and total space (fs_usage). */
struct fs_usage {
	uint32_t data_blocks, free_blocks;
	uint32_t inodes, free_inodes;  /* inode 0 excluded */
};

/* fs.c: mount, format, free space, whole operations */
extern struct superblock fs_sb;
int fs_format(uint32_t dev_blocks, uint32_t ninodes);
int fs_mount(uint32_t dev_blocks, const char **why);
int fs_usage(struct fs_usage *u);
const char *fs_error_message(int err);
int fs_lookup(struct inode *cwd, const char *path, struct inode **out);
int fs_create(struct inode *cwd, const char *path, int type, int major, int minor,
              struct inode **out);
int fs_mkdir(struct inode *cwd, const char *path);
int fs_link(struct inode *cwd, const char *old_path, const char *new_path);
int fs_unlink(struct inode *cwd, const char *path);
int fs_read(struct inode *ip, void *dst, uint32_t off, uint32_t n);
int fs_write(struct inode *ip, const void *src, uint32_t off, uint32_t n);
int fs_truncate(struct inode *ip);
int fs_stat(struct inode *ip, struct fs_stat *st);

/* balloc.c: the free bitmap */
void block_init(void);
int block_ok(uint32_t b);
int block_alloc(uint32_t *out);
int block_free(uint32_t b);
int block_count_free(uint32_t *out);

/* inode.c: the inode table and file contents */
void inode_table_init(void);
void inode_invalidate_all(void);
uint32_t inode_table_used(void);
int inode_share_ok(uint32_t held);
int inode_get(uint32_t inum, struct inode **out);
struct inode *inode_dup(struct inode *ip);
int inode_load(struct inode *ip);
void inode_put(struct inode *ip);
int inode_alloc(uint16_t type, struct inode **out);
int inode_update(struct inode *ip);
int inode_truncate(struct inode *ip);
int inode_read(struct inode *ip, void *dst, uint32_t off, uint32_t n);
int inode_write(struct inode *ip, const void *src, uint32_t off, uint32_t n);
int inode_count_free(uint32_t *out);
int inode_reclaim_orphans(void);

/* dir.c: directories and paths */
int dir_lookup(struct inode *dp, const char *name, struct inode **out, uint32_t *off);
int dir_link(struct inode *dp, const char *name, uint32_t inum);
int dir_unlink(struct inode *dp, uint32_t off);
int dir_is_empty(struct inode *dp);
int dir_name_is_dot(const char *name);
int path_lookup(struct inode *cwd, const char *path, struct inode **out);
int path_parent(struct inode *cwd, const char *path, char name[DIRSIZ + 1],
                struct inode **out);

#endif
