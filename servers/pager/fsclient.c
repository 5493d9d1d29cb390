/*
 * The pager as a client of the file-system server: reading program files
 * for exec and demand paging, and telling the server when processes
 * start, fork and end so that open files follow them. The fs server never
 * waits on the pager (its memory is populated up front and it never
 * calls the pager back), so these synchronous calls cannot deadlock.
 */
#include <string.h>
#include "pager.h"
#include "sys.h"
#include "abi/fs.h"

int64_t fs_tid;                    /* also libsys_fs_tid, which fs_request uses */

/* Call with no buffers. */
static long fs_simple(uint64_t label, uint64_t a, uint64_t b)
{
	struct msg m = msg_make(label, a, b, 0, 0);
	return fs_request(&m, NULL, 0, NULL, 0);
}

/* Tell the server that tid, a fault thread of ours, reads files as the pager. */
long fs_pager_thread(int64_t tid)
{
	return fs_simple(FS_PAGER_THREAD, (uint64_t)tid, 0);
}

/* Size and inode number of the pager's file fd; 0 or an error. */
long fs_file_info(long fd, uint64_t *size, uint64_t *inum)
{
	struct msg m = msg_make(FS_FSTAT, (uint64_t)fd, 0, 0, 0);
	long err = fs_request(&m, NULL, 0, NULL, 0);
	*size = m.w[3];
	*inum = (uint32_t)m.w[1];
	return err < 0 ? err : 0;
}

/* Open path read-only for the pager; its fd, or an error. */
long fs_open_file(const char *path)
{
	struct msg m = msg_make(FS_OPEN, FS_O_RDONLY, 0, 0, 0);
	return fs_request(&m, path, strlen(path) + 1, NULL, 0);
}

/* A fresh descriptor of the pager's for process tid's open file fd, writable if asked (for mmap); or an error. */
long fs_reopen(int64_t tid, long fd, int writable)
{
	struct msg m = msg_make(FS_REOPEN, (uint64_t)tid, (uint64_t)fd,
	                        writable ? FS_O_RDWR : FS_O_RDONLY, 0);
	return fs_request(&m, NULL, 0, NULL, 0);
}

/* Write len bytes of buf at off of the pager's file fd. */
long fs_pwrite(long fd, uint64_t off, const void *buf, uint64_t len)
{
	struct msg m = msg_make(FS_PWRITE, (uint64_t)fd, off, 0, 0);
	return fs_request(&m, buf, len, NULL, 0);
}

/* Read up to len bytes at off of the pager's file fd into buf. */
long fs_pread(long fd, uint64_t off, void *buf, uint64_t len)
{
	struct msg m = msg_make(FS_PREAD, (uint64_t)fd, off, len, 0);
	return fs_request(&m, NULL, 0, buf, len);
}

/* Close one of the pager's files. */
void fs_close_file(long fd)
{
	fs_simple(FS_CLOSE, (uint64_t)fd, 0);
}

/* A process with thread tid starts; with_console gives it the console on fds 0-2. */
void fs_spawn(int64_t tid, int with_console)
{
	fs_simple(FS_SPAWN, (uint64_t)tid, (uint64_t)with_console);
}

/* Child thread `child` shares its parent's open files. */
void fs_fork(int64_t parent, int64_t child)
{
	fs_simple(FS_FORK, (uint64_t)parent, (uint64_t)child);
}

/* The process with thread tid is gone: close its files. */
void fs_exit(int64_t tid)
{
	fs_simple(FS_EXIT, (uint64_t)tid, 0);
}

/*
 * What was typed on the console since the last call: the group ^C is to
 * end (0: none) and, in *dump, whether ^P asked for the process table.
 * The fs server only notifies us (NOTIFY_CONSOLE); asking it here, in a
 * call it answers at once, means a notification anyone could forge makes
 * us ask, never act.
 */
int fs_console_events(int *dump)
{
	struct msg m = msg_make(FS_CONSOLE_EVENTS, 0, 0, 0, 0);
	long pgid = fs_request(&m, NULL, 0, NULL, 0);
	*dump = pgid >= 0 && m.w[1] != 0;
	return pgid > 0 ? (int)pgid : 0;
}
