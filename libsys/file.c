/*
 * File calls, made as requests to the file-system server
 * (include/abi/fs.h), with xv6's signatures: open, read, write, close,
 * fstat, stat, link, unlink, mkdir, mknod, chdir, dup, pipe, and the
 * console's foreground group (console_foreground); and exec,
 * which goes to the pager. A bad path, argv or result pointer makes the
 * call return -1 (usercheck.c), as in xv6. Until a file system runs, writes to fds 1 and
 * 2 go to the kernel console.
 */
#include <string.h>
#include "sys.h"
#include "abi/fs.h"
#include "abi/pager.h"
#include "user.h"

#define FD_STDOUT 1
#define FD_STDERR 2

int libsys_kernel_console;            /* stdout and stderr straight to the kernel console */

/* Call the fs server with m and buffers; w[0] of the reply (or an IPC error). */
long fs_request(struct msg *m, const void *sbuf, size_t slen, void *rbuf, size_t rcap)
{
	if (!libsys_fs_tid)
		return -E_NOENT;
	m->tag = TAG(TAG_LABEL(m->tag), slen);
	long r = ipc_call(libsys_fs_tid, m, sbuf, rbuf, rcap);
	return r < 0 ? r : (long)m->w[0];
}

/* Bytes of path with its NUL if it is a readable string of at most FS_PATH_MAX; else -1. */
static long path_bytes(const char *path)
{
	long n = user_strlen(path, FS_PATH_MAX);
	return n < 0 ? -1 : n + 1;
}

/* A request whose only buffer is a path; -1 on any error (a bad path too), as xv6. */
static int path_request(uint64_t label, const char *path, uint64_t a, uint64_t b)
{
	long len = path_bytes(path);
	if (len < 0)
		return -1;
	struct msg m = msg_make(label, a, b, 0, 0);
	return fs_request(&m, path, (size_t)len, NULL, 0) < 0 ? -1 : 0;
}

/* Open path with O_* flags; a file descriptor or -1. */
int open(const char *path, int flags)
{
	long len = path_bytes(path);
	struct msg m = msg_make(FS_OPEN, (uint64_t)flags, 0, 0, 0);
	long fd = len < 0 ? -1 : fs_request(&m, path, (size_t)len, NULL, 0);
	return fd < 0 ? -1 : (int)fd;
}

/* Read up to n bytes; bytes read, 0 at the end, -1 on error. */
int read(int fd, void *buf, int n)
{
	if (n < 0)
		return -1;
	size_t want = n < IPC_BUF_MAX ? (size_t)n : IPC_BUF_MAX;
	struct msg m = msg_make(FS_READ, (uint64_t)fd, want, 0, 0);
	long r = fs_request(&m, NULL, 0, buf, want);
	return r < 0 ? -1 : (int)r;
}

/* Write n bytes, in as many requests as it takes; n or -1. */
int write(int fd, const void *buf, int n)
{
	if (n < 0)
		return -1;
	if ((!libsys_fs_tid || libsys_kernel_console) && (fd == FD_STDOUT || fd == FD_STDERR))
		return console_write_all(buf, (size_t)n) < 0 ? -1 : n;
	for (int done = 0; done < n;) {
		int chunk = n - done < IPC_BUF_MAX ? n - done : IPC_BUF_MAX;
		struct msg m = msg_make(FS_WRITE, (uint64_t)fd, 0, 0, 0);
		long r = fs_request(&m, (const char *)buf + done, (size_t)chunk, NULL, 0);
		if (r < 0)
			return done ? done : -1;
		done += (int)r;          /* 0: a full pipe drained meanwhile; go again */
	}
	return n;
}

/* Close a file descriptor; 0 or -1. */
int close(int fd)
{
	struct msg m = msg_make(FS_CLOSE, (uint64_t)fd, 0, 0, 0);
	return fs_request(&m, NULL, 0, NULL, 0) < 0 ? -1 : 0;
}

/* Status of an open file; 0 or -1. */
int fstat(int fd, struct stat *st)
{
	struct msg m = msg_make(FS_FSTAT, (uint64_t)fd, 0, 0, 0);
	if (!user_writable(st, sizeof(*st)) || fs_request(&m, NULL, 0, NULL, 0) < 0)
		return -1;
	st->dev = (int)(m.w[1] >> 32);
	st->ino = (unsigned int)m.w[1];
	st->type = (short)(m.w[2] >> 16);
	st->nlink = (short)m.w[2];
	st->size = m.w[3];
	return 0;
}

/* Status of a file by name; 0 or -1. */
int stat(const char *path, struct stat *st)
{
	int fd = open(path, FS_O_RDONLY);
	if (fd < 0)
		return -1;
	int r = fstat(fd, st);
	close(fd);
	return r;
}

/* Give file `old` a second name; 0 or -1. */
int link(const char *old, const char *new)
{
	char names[2 * FS_PATH_MAX];
	long a = path_bytes(old), b = path_bytes(new);
	if (a < 0 || b < 0)
		return -1;
	memcpy(names, old, (size_t)a);
	memcpy(names + a, new, (size_t)b);
	struct msg m = msg_make(FS_LINK, 0, 0, 0, 0);
	return fs_request(&m, names, (size_t)(a + b), NULL, 0) < 0 ? -1 : 0;
}

int unlink(const char *path) { return path_request(FS_UNLINK, path, 0, 0); }
int mkdir(const char *path) { return path_request(FS_MKDIR, path, 0, 0); }
int chdir(const char *path) { return path_request(FS_CHDIR, path, 0, 0); }

/* Make a device file; 0 or -1. */
int mknod(const char *path, short major, short minor)
{
	return path_request(FS_MKNOD, path, (uint64_t)major, (uint64_t)minor);
}

/* A second descriptor for the same open file; the new fd or -1. */
int dup(int fd)
{
	struct msg m = msg_make(FS_DUP, (uint64_t)fd, 0, 0, 0);
	long r = fs_request(&m, NULL, 0, NULL, 0);
	return r < 0 ? -1 : (int)r;
}

/* A pipe: fds[0] reads what fds[1] writes; 0 or -1. */
int pipe(int *fds)
{
	struct msg m = msg_make(FS_PIPE, 0, 0, 0, 0);
	if (!user_writable(fds, 2 * sizeof(*fds)) || fs_request(&m, NULL, 0, NULL, 0) < 0)
		return -1;
	fds[0] = (int)m.w[1];
	fds[1] = (int)m.w[2];
	return 0;
}

/* Make pgid the console's foreground group, which ^C ends (0: none); the previous one, or -1. */
int console_foreground(int pgid)
{
	struct msg m = msg_make(FS_CONSOLE_FG, (uint64_t)pgid, 0, 0, 0);
	long r = pgid < 0 ? -1 : fs_request(&m, NULL, 0, NULL, 0);
	return r < 0 ? -1 : (int)r;
}

/* Replace this program with path, given argv; returns only on failure (-1), a bad pointer too. */
int exec(const char *path, char **argv)
{
	static char buf[IPC_BUF_MAX];
	long used = path_bytes(path);
	int argc = 0;
	if (used < 0)
		return -1;
	memcpy(buf, path, (size_t)used);
	for (;; argc++) {
		if (!user_readable(&argv[argc], sizeof(argv[argc])))
			return -1;
		if (!argv[argc])
			break;
		long n = user_strlen(argv[argc], sizeof(buf) - (size_t)used);
		if (argc == START_MAX_ARGS || n < 0)
			return -1;
		memcpy(buf + used, argv[argc], (size_t)n + 1);
		used += n + 1;
	}
	struct msg m = msg_make(PAGER_EXEC, (uint64_t)argc, 0, 0, 0);
	pager_request(&m, buf, (size_t)used);
	return -1;
}
