/*
 * xv6's system-call numbers (kernel/syscall.h), for programs that name
 * them. They mean nothing to this system: its kernel has a dozen IPC and
 * memory calls (include/abi/syscall.h), and libsys makes each xv6 call
 * an IPC request to the pager (fork, exec, sbrk, ...) or the file-system
 * server (open, read, pipe, ...). The numbers are xv6's, for source
 * compatibility only; there is no syscall(SYS_x, ...) to pass them to.
 */
#ifndef XV6_SYSCALL_H
#define XV6_SYSCALL_H

#define SYS_fork    1
#define SYS_exit    2
#define SYS_wait    3
#define SYS_pipe    4
#define SYS_read    5
#define SYS_kill    6
#define SYS_exec    7
#define SYS_fstat   8
#define SYS_chdir   9
#define SYS_dup    10
#define SYS_getpid 11
#define SYS_sbrk   12
#define SYS_pause  13     /* called SYS_sleep before xv6 renamed sleep to pause */
#define SYS_sleep  SYS_pause
#define SYS_uptime 14
#define SYS_open   15
#define SYS_write  16
#define SYS_mknod  17
#define SYS_unlink 18
#define SYS_link   19
#define SYS_mkdir  20
#define SYS_close  21

#endif
