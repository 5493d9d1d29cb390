/*
 * The buffer cache: a fixed set of block buffers in memory, each with a
 * reference count, reused least recently used first.
 */
#ifndef FS_BIO_H
#define FS_BIO_H

#include <stdint.h>
#include "abi/fs_format.h"

#define NBUF 64                        /* buffers; the log pins up to OP_MAX_BLOCKS */

struct buf {
	uint32_t blockno;
	uint32_t refcnt;               /* holders, plus one while the log pins it */
	int valid;                     /* data holds the block's contents */
	struct buf *prev, *next;       /* LRU list, most recently released first */
	uint8_t data[BLOCK_SIZE];
};

void bio_init(uint32_t dev_blocks);
int bio_read(uint32_t blockno, struct buf **out);
int bio_zero(uint32_t blockno, struct buf **out);
int bio_write(struct buf *b);
void bio_release(struct buf *b);
void bio_pin(struct buf *b);
void bio_unpin(struct buf *b);
void bio_invalidate(struct buf *b);
void bio_invalidate_all(void);
uint32_t bio_held(void);

_Static_assert(NBUF >= OP_MAX_BLOCKS + 8, "cache outlives a pinned transaction");

#endif
