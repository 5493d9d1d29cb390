/*
 * The process and file calls for this project's own programs, which also
 * use picolibc's stdio. Programs written for xv6 include "user/user.h"
 * (libsys/include/xv6) instead, which declares the same calls as xv6 does.
 */
#ifndef LIBSYS_USER_H
#define LIBSYS_USER_H

#include <stdint.h>
#include "kernel/stat.h"

int fork(void);
void exit(int status) __attribute__((noreturn));
int wait(int *status);
int kill(int pid);
int getpid(void);
char *sbrk(int n);
int sleep(int ticks);
int uptime(void);
int open(const char *path, int flags);
int read(int fd, void *buf, int n);
int write(int fd, const void *buf, int n);
int close(int fd);
int fstat(int fd, struct stat *st);
int stat(const char *path, struct stat *st);
int link(const char *old, const char *new);
int unlink(const char *path);
int mkdir(const char *path);
int mknod(const char *path, short major, short minor);
int chdir(const char *path);
int dup(int fd);
int pipe(int *fds);
int exec(const char *path, char **argv);
void *mmap(void *addr, unsigned long len, int prot, int flags, int fd, long offset);
int munmap(void *addr, unsigned long len);

/* Job control: process groups, ^C's group, the process table (struct proc_info: abi/pager.h). */
struct proc_info;
int setpgid(int pid, int pgid);
int console_foreground(int pgid);
int procinfo(int slot, struct proc_info *out);
struct pager_stats;
long pager_stats(int pid, struct pager_stats *out);   /* the pager's counters of pid (0: all) */

/* Paging policy: set pid's to spec; the pager's error and its reason (which part is wrong) in why. */
long policy_set_why(int pid, const char *spec, char *why, unsigned long size);

#endif
