/*
 * The fs server's own interfaces, above the file system proper (fs.h):
 * the disk under it, the console and pipes, open files and the per-client
 * descriptor tables, and the requests.
 */
#ifndef FSSERVER_H
#define FSSERVER_H

#include <stdint.h>
#include "abi/bootinfo.h"
#include "abi/fs.h"
#include "abi/pager.h"
#include "abi/syscall.h"
#include "fs.h"

/* A read or write that cannot be answered yet: its reply waits (files.c). */
#define CONSOLE_WAIT (-1000)
#define PIPE_WAIT    (-1001)

/* disk.c: the block device (blk.h) on a virtio disk */
int disk_init(uint32_t slot, uint32_t *blocks, uint64_t *irq_bit);
uint64_t disk_take_pending(void);

/* console.c */
int console_init(void);
uint64_t console_irq_bit(void);
long console_write(const void *buf, uint64_t n);
int console_interrupt(void);
long console_read(char *buf, uint64_t n);
int console_set_foreground(int pgid);
int console_take_events(int *dump);

/* pipe.c */
struct pipe;
struct pipe *pipe_alloc(void);
void pipe_close(struct pipe *p, int writable);
long pipe_read(struct pipe *p, char *buf, uint64_t n);
long pipe_write(struct pipe *p, const char *buf, uint64_t n);
int pipe_full(const struct pipe *p);
int pipe_share_ok(int held);

/* files.c: open files, descriptor tables, waiting requests */
int64_t files_request(int64_t tid, struct msg *m, char *buf, uint64_t len, char *reply, uint64_t *reply_len);
void files_retry_waiting(void);

#define REPLY_LATER (-1002)        /* files_request: the reply waits */

#endif
