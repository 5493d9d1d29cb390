/*
 * The write-ahead log: every change to the disk is part of a
 * transaction that is applied wholly or not at all.
 *
 *	int r = log_begin();
 *	if (r < 0)
 *		return r;
 *	... bio_read, change buf->data, log_write(buf), bio_release ...
 *	return log_end(result);
 *
 * log_end commits, or, if result is negative or the transaction went
 * wrong, throws every change away. Transactions nest: only the
 * outermost log_end commits, and a failure anywhere fails the whole.
 * One transaction logs at most OP_MAX_BLOCKS distinct blocks; callers
 * split bigger work (fs_write writes FS_OP_WRITE_MAX bytes at a time).
 */
#ifndef FS_LOG_H
#define FS_LOG_H

#include <stdint.h>
#include "bio.h"

typedef void (*log_abort_fn)(void);    /* told when a transaction is thrown away */

int log_init(uint32_t start, uint32_t nlog, uint32_t fs_size, log_abort_fn on_abort);
int log_begin(void);
int log_end(int result);
void log_write(struct buf *b);
int log_active(void);

#endif
