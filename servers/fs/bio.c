/*
 * The buffer cache. NBUF buffers sit on one list, most recently released
 * first. bio_read finds a block's buffer or recycles the least recently
 * used one nobody holds, reads it if needed, and hands it out with one
 * more reference; bio_release gives the reference back. A buffer is
 * never written back by the cache: every change goes through the log,
 * which pins the buffer until the change is on disk, so any unheld
 * buffer always matches the disk and can be dropped at will.
 *
 * The server is single-threaded, so a reference is not a lock: it only
 * keeps the buffer from being recycled while someone uses it.
 */
#include <string.h>
#include "abi/syscall.h"
#include "bio.h"
#include "blk.h"

static struct buf bufs[NBUF];
static struct buf lru;                 /* list head: lru.next is the most recent */
static uint32_t device_blocks;

/* Take b off the list. */
static void unlink_buf(struct buf *b)
{
	b->prev->next = b->next;
	b->next->prev = b->prev;
}

/* Put b at the most-recently-used end. */
static void push_front(struct buf *b)
{
	b->next = lru.next;
	b->prev = &lru;
	lru.next->prev = b;
	lru.next = b;
}

/* Empty the cache for a device of dev_blocks blocks. */
void bio_init(uint32_t dev_blocks)
{
	device_blocks = dev_blocks;
	lru.prev = lru.next = &lru;
	for (int i = 0; i < NBUF; i++) {
		bufs[i] = (struct buf){ 0 };
		push_front(&bufs[i]);
	}
}

/* The buffer for blockno, held once more: cached, or the LRU free one (invalid); NULL if all are held. */
static struct buf *bio_get(uint32_t blockno)
{
	struct buf *b;
	for (b = lru.next; b != &lru; b = b->next)
		if (b->blockno == blockno && (b->valid || b->refcnt)) {
			b->refcnt++;
			return b;
		}
	for (b = lru.prev; b != &lru; b = b->prev)
		if (b->refcnt == 0) {
			b->blockno = blockno;
			b->valid = 0;
			b->refcnt = 1;
			return b;
		}
	return NULL;
}

/* Hold blockno's buffer with its contents in *out; 0, -E_RANGE past the device, -E_NOMEM, or an I/O error. */
int bio_read(uint32_t blockno, struct buf **out)
{
	if (blockno >= device_blocks)
		return -E_RANGE;
	struct buf *b = bio_get(blockno);
	if (!b)
		return -E_NOMEM;
	if (!b->valid) {
		int r = blk_read(blockno, b->data);
		if (r < 0) {
			bio_release(b);
			return r;
		}
		b->valid = 1;
	}
	*out = b;
	return 0;
}

/* Hold blockno's buffer filled with zeros, without reading the disk; 0 or as bio_read. */
int bio_zero(uint32_t blockno, struct buf **out)
{
	if (blockno >= device_blocks)
		return -E_RANGE;
	struct buf *b = bio_get(blockno);
	if (!b)
		return -E_NOMEM;
	memset(b->data, 0, BLOCK_SIZE);
	b->valid = 1;
	*out = b;
	return 0;
}

/* Write a held buffer to its block now; 0 or an I/O error. */
int bio_write(struct buf *b)
{
	return blk_write(b->blockno, b->data);
}

/* Drop one reference; the buffer becomes the most recently used. */
void bio_release(struct buf *b)
{
	if (b->refcnt == 0)
		return;
	b->refcnt--;
	unlink_buf(b);
	push_front(b);
}

/* Keep b cached (the log holds it until the change is installed). */
void bio_pin(struct buf *b)
{
	b->refcnt++;
}

/* Undo one bio_pin. */
void bio_unpin(struct buf *b)
{
	if (b->refcnt > 0)
		b->refcnt--;
}

/* Forget b's contents: the next bio_read reads the disk again. */
void bio_invalidate(struct buf *b)
{
	b->valid = 0;
}

/* Forget every buffer's contents (after a transaction is thrown away). */
void bio_invalidate_all(void)
{
	for (int i = 0; i < NBUF; i++)
		bufs[i].valid = 0;
}

/* How many buffers are held or pinned (0 between operations: a leak check). */
uint32_t bio_held(void)
{
	uint32_t n = 0;
	for (int i = 0; i < NBUF; i++)
		n += bufs[i].refcnt != 0;
	return n;
}
