/*
 * The file-system server's protocol. Programs (through libsys) and the
 * pager call the fs server with ipc_call; the label is one of enum
 * fs_request, arguments are in w[0..3] and paths or data travel in the
 * message buffer. The reply's w[0] is the result (negative = -enum
 * sys_error); read data comes back in the caller's receive buffer.
 *
 * A process is known to the fs server by its thread id. The pager tells
 * the server when a process starts (FS_SPAWN), forks (FS_FORK: the child
 * shares the parent's open files, offsets included) and ends (FS_EXIT);
 * exec keeps the thread, so open files survive it. For a mapped file
 * the pager opens the client's file afresh for itself (FS_REOPEN), with
 * no more access than the client's descriptor has. FS_SPAWN to
 * FS_PAGER_THREAD are the pager's alone; FS_PAGER_THREAD names another
 * thread of the pager's (a fault thread on several harts), which the
 * server then treats as the pager.
 */
#ifndef ABI_FS_H
#define ABI_FS_H

#include "abi/syscall.h"

enum fs_request {
	FS_OPEN = LABEL_USER + 64, /* buffer path, w0 flags              -> fd            */
	FS_READ,                   /* w0 fd, w1 n, receive buffer       -> bytes (0: end) */
	FS_WRITE,                  /* w0 fd, buffer data  -> bytes (0: pipe was full, send again) */
	FS_CLOSE,                  /* w0 fd                             -> 0             */
	FS_FSTAT,                  /* w0 fd                -> w1 dev<<32|ino, w2 type<<16|nlink, w3 size */
	FS_LINK,                   /* buffer "old\0new\0"               -> 0             */
	FS_UNLINK,                 /* buffer path                       -> 0             */
	FS_MKDIR,                  /* buffer path                       -> 0             */
	FS_MKNOD,                  /* buffer path, w0 major, w1 minor   -> 0             */
	FS_CHDIR,                  /* buffer path                       -> 0             */
	FS_DUP,                    /* w0 fd                             -> new fd        */
	FS_PIPE,                   /*                   -> w1 read fd, w2 write fd      */
	FS_PREAD,                  /* w0 fd, w1 offset, w2 n, receive buffer -> bytes     */
	FS_PWRITE,                 /* w0 fd, w1 offset, buffer data     -> bytes          */
	FS_SPAWN,                  /* pager only: w0 tid, w1 with console fds 0-2 -> 0   */
	FS_FORK,                   /* pager only: w0 parent tid, w1 child tid -> 0        */
	FS_EXIT,                   /* pager only: w0 tid                -> 0             */
	FS_REOPEN,                 /* pager only: w0 tid, w1 its fd, w2 FS_O_RDONLY or FS_O_RDWR -> pager's fd */
	FS_CONSOLE_EVENTS,         /* pager only: -> w0 group to kill for ^C (0: none), w1 1 if ^P was typed */
	FS_PAGER_THREAD,           /* pager only: w0 another thread of the pager's; its requests are the pager's -> 0 */
	FS_CONSOLE_FG,             /* w0 the console's foreground group (0: none) -> the previous one */
	FS_REQUEST_END
};

/* open() flags, with the values of xv6 and picolibc. */
#define FS_O_RDONLY 0x000
#define FS_O_WRONLY 0x001
#define FS_O_RDWR   0x002
#define FS_O_CREATE 0x200
#define FS_O_TRUNC  0x400

/* Device numbers. */
#define CONSOLE_MAJOR 1

#define FS_PATH_MAX 128            /* longest path the server accepts */
#define FS_MAX_FDS  16             /* open files per process */
#define FS_PAGER_FDS 64            /* the pager's: program images and mapped files */
#define FS_PAGER_THREADS 9         /* other threads of the pager's that FS_PAGER_THREAD may name: a fault thread per hart and the reader */

#endif
