/*
 * The xv6 user API, with xv6's signatures, for programs written for xv6.
 * Process calls go to the pager; file calls arrive with the file system.
 */
#ifndef LIBSYS_USER_H
#define LIBSYS_USER_H

#include <stdint.h>

int fork(void);
void exit(int status) __attribute__((noreturn));
int wait(int *status);
int kill(int pid);
int getpid(void);
char *sbrk(int n);
int sleep(int ticks);
int uptime(void);
int write(int fd, const void *buf, int n);

#endif
