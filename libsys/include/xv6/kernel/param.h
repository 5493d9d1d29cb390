/*
 * xv6's limits (kernel/param.h) with this system's values, where it has
 * the limit, and the server constant each comes from;
 * tests/host/test_xv6hdr.c checks every one against its source.
 */
#ifndef XV6_PARAM_H
#define XV6_PARAM_H

#define NPROC       64     /* processes (the pager's MAX_PROCS; xv6: 64) */
#define NCPU         8     /* harts the SMP kernel runs on at most (MAX_HARTS in microkernel/kernel.h) */
#define NOFILE      16     /* open files per process (FS_MAX_FDS; xv6: 16) */
#define NFILE      448     /* open files in the system (the fs server's MAX_FILES, its reserve included; xv6: 100) */
#define NINODE     324     /* in-memory inodes (the fs server's NINODE, its reserve included; xv6: 50) */
#define NDEV         2     /* device majors 0..NDEV-1; only 1, the console, opens (xv6: 10) */
#define ROOTDEV      0     /* st.dev of files on the root disk, as fstat reports it (xv6: 1) */
#define MAXARG      16     /* arguments exec passes, argv[0] included (START_MAX_ARGS; xv6: 32 with the NULL) */
#define MAXOPBLOCKS 32     /* distinct blocks one fs operation may log (OP_MAX_BLOCKS; xv6: 10) */
#define LOGSIZE     32     /* data blocks in the on-disk log: one operation's (LOG_MIN_BLOCKS - 1; xv6: 30) */
#define NBUF        64     /* blocks in the fs server's buffer cache (its NBUF; xv6: 30) */
#define FSSIZE   16384     /* blocks in an image mkfs builds by default (xv6: 2000) */
#define MAXPATH    128     /* longest path, its NUL included (FS_PATH_MAX; xv6: 128) */
#define USERSTACK   16     /* pages of user stack (PROC_STACK_PAGES; xv6: 1) */

#endif
