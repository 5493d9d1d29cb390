/*
 * Block allocation: the free bitmap holds one bit per block of the whole
 * file system, 1 for used. The blocks before the data region (boot,
 * superblock, log, inodes, bitmap) are marked used by fs_format and
 * never handed out or freed here. Allocation scans from just after the
 * last block it gave, so a file written in order gets neighbouring
 * blocks and the scan does not start over at the front each time.
 *
 * Every change goes through the log; a new block is zeroed in the same
 * transaction, so a crash can never expose another file's old data.
 */
#include <string.h>
#include "bio.h"
#include "fs.h"
#include "log.h"

#define FULL_BYTE     0xff

static uint32_t rotor;                 /* where the next scan starts */

/* First block of the data region. */
static uint32_t data_start(void)
{
	return fs_sb.size - fs_sb.nblocks;
}

/* Start allocating from the front of the data region (at mount). */
void block_init(void)
{
	rotor = 0;
}

/* Is b a data block, so a file may own it? Checks every address read from disk. */
int block_ok(uint32_t b)
{
	return b >= data_start() && b < fs_sb.size;
}

/* The bitmap byte holding block b's bit, in b's bitmap block bp. */
static uint8_t *bit_byte(struct buf *bp, uint32_t b)
{
	return &bp->data[b % BITS_PER_BLOCK / BITS_PER_BYTE];
}

/* Block b's bit within its byte. */
static uint8_t bit_mask(uint32_t b)
{
	return 1U << (b % BITS_PER_BYTE);
}

/* Claim the first free block in [from, to), which lies in one bitmap block; 1 if none is free, 0, or an error. */
static int claim_in(uint32_t from, uint32_t to, uint32_t *out)
{
	struct buf *bp;
	int r = bio_read(BITMAP_BLOCK(from, fs_sb), &bp);
	if (r < 0)
		return r;
	for (uint32_t b = from; b < to; b++) {
		uint8_t *byte = bit_byte(bp, b), mask = bit_mask(b);
		if (*byte == FULL_BYTE && b % BITS_PER_BYTE == 0 && to - b >= BITS_PER_BYTE) {
			b += BITS_PER_BYTE - 1;         /* skip a full byte */
			continue;
		}
		if (!(*byte & mask)) {
			*byte |= mask;
			log_write(bp);
			bio_release(bp);
			*out = b;
			return 0;
		}
	}
	bio_release(bp);
	return 1;
}

/* Claim the first free block in [from, to); 1 if none is free, 0, or an error. */
static int claim_range(uint32_t from, uint32_t to, uint32_t *out)
{
	while (from < to) {
		uint32_t end = (from / BITS_PER_BLOCK + 1) * BITS_PER_BLOCK;
		if (end > to)
			end = to;
		int r = claim_in(from, end, out);
		if (r <= 0)
			return r;
		from = end;
	}
	return 1;
}

/* Allocate a zeroed data block (in a transaction); 0 and *out, -FS_E_NOSPACE, or an error. */
int block_alloc(uint32_t *out)
{
	uint32_t start = rotor, b;
	struct buf *bp;
	if (start < data_start() || start >= fs_sb.size)
		start = data_start();
	int r = claim_range(start, fs_sb.size, &b);
	if (r == 1)
		r = claim_range(data_start(), start, &b);
	if (r == 1)
		return -FS_E_NOSPACE;
	if (r < 0)
		return r;
	if ((r = bio_zero(b, &bp)) < 0)
		return r;
	log_write(bp);
	bio_release(bp);
	rotor = b + 1;
	*out = b;
	return 0;
}

/* Free data block b (in a transaction); 0, -FS_E_CORRUPT if b is no data block or already free, or an error. */
int block_free(uint32_t b)
{
	struct buf *bp;
	if (!block_ok(b))
		return -FS_E_CORRUPT;
	int r = bio_read(BITMAP_BLOCK(b, fs_sb), &bp);
	if (r < 0)
		return r;
	if (!(*bit_byte(bp, b) & bit_mask(b))) {
		bio_release(bp);
		return -FS_E_CORRUPT;
	}
	*bit_byte(bp, b) &= ~bit_mask(b);
	log_write(bp);
	bio_release(bp);
	return 0;
}

/* Count free data blocks into *out; 0 or an error. */
int block_count_free(uint32_t *out)
{
	uint32_t n = 0;
	for (uint32_t from = data_start(); from < fs_sb.size;) {
		uint32_t end = (from / BITS_PER_BLOCK + 1) * BITS_PER_BLOCK;
		struct buf *bp;
		int r = bio_read(BITMAP_BLOCK(from, fs_sb), &bp);
		if (r < 0)
			return r;
		if (end > fs_sb.size)
			end = fs_sb.size;
		for (uint32_t b = from; b < end; b++)
			n += !(*bit_byte(bp, b) & bit_mask(b));
		bio_release(bp);
		from = end;
	}
	*out = n;
	return 0;
}
