/*
 * The xv6 user API (user/user.h), so that programs written for xv6
 * compile unchanged against libsys: every call of xv6-riscv's user.h
 * (system calls, ulib, printf, umalloc), and sleep, pause's name
 * before xv6 renamed it. Where xv6's declaration clashes with the C library's
 * (printf's return type, size_t lengths), the C library's is used: calls
 * written for xv6 compile the same. printf has no format attribute, so
 * xv6's habit of printing a uint64 with %p compiles. fprintf takes a
 * file descriptor, as in xv6; it and printf write at once, as xv6's do,
 * and are renamed so that they do not clash with stdio's.
 */
#ifndef XV6_USER_H
#define XV6_USER_H

#include <stddef.h>

/* What sbrk, sbrklazy and sys_sbrk return when they fail. */
#define SBRK_ERROR ((char *)-1)

struct stat;

/* System calls. */
int fork(void);
void exit(int status) __attribute__((noreturn));
int wait(int *status);
int pipe(int *fds);
int write(int fd, const void *buf, int n);
int read(int fd, void *buf, int n);
int close(int fd);
int kill(int pid);
int exec(const char *path, char **argv);
int open(const char *path, int flags);
int mknod(const char *path, short major, short minor);
int unlink(const char *path);
int fstat(int fd, struct stat *st);
int link(const char *old, const char *new);
int mkdir(const char *path);
int chdir(const char *path);
int dup(int fd);
int getpid(void);
char *sys_sbrk(int n, int mode);     /* mode (kernel/vm.h) ignored: the pager's policy decides */
int pause(int ticks);                /* sleep for ticks (10 ms each) */
int sleep(int ticks);                /* the same, by its older name */
int uptime(void);
void *mmap(void *addr, size_t len, int prot, int flags, int fd, long offset);
int munmap(void *addr, size_t len);

/* Library. */
#define fprintf xv6_fprintf
#define printf xv6_printf

int stat(const char *path, struct stat *st);
char *strcpy(char *dst, const char *src);
void *memmove(void *dst, const void *src, size_t n);
char *strchr(const char *s, int c);
int strcmp(const char *a, const char *b);
void fprintf(int fd, const char *fmt, ...);
int printf(const char *fmt, ...);
char *gets(char *buf, int max);
size_t strlen(const char *s);
void *memset(void *dst, int c, size_t n);
void *malloc(size_t n);
void free(void *p);
int atoi(const char *s);
int memcmp(const void *a, const void *b, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
char *sbrk(int n);
char *sbrklazy(int n);               /* = sbrk: lazy or not as the pager's policy says */

/* libsys's own: is s a non-empty string of decimal digits? */
int is_decimal(const char *s);
/* libsys's own: set the paging policy of process pid (itself or a descendant); 0 or -1. */
int policy_set(int pid, const char *spec);
long policy_set_why(int pid, const char *spec, char *why, unsigned long size);   /* the pager's error and reason */
/* libsys's own job control: kill(-pgid) ends a group; setpgid(pid, 0) gives pid a group of its own. */
int setpgid(int pid, int pgid);
/* libsys's own: make pgid the group ^C on the console ends (0: none); the previous one, or -1. */
int console_foreground(int pgid);
/* libsys's own: the process-table entry in the first used slot >= slot (abi/pager.h); that slot, or -1. */
struct proc_info;
int procinfo(int slot, struct proc_info *out);

#endif
