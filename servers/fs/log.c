/*
 * The write-ahead log. A transaction changes blocks only in the buffer
 * cache; log_write records which, and pins each buffer so the cache
 * cannot drop it. Committing is four steps, each finished before the
 * next starts:
 *
 *   1. copy every changed block into the log region;
 *   2. write the header naming their homes, with a checksum: from this
 *      write on, the transaction has happened (the commit point);
 *   3. copy every changed block to its home (install);
 *   4. write an empty header.
 *
 * A crash before step 2 leaves the old header (empty) and nothing else
 * changed; after it, mount finds the header and installs again, which is
 * harmless if some blocks were already home. The checksum covers the
 * header and the logged blocks, so a header torn between its two 512-byte
 * sectors, or a log block that never reached the disk, reads as "not
 * committed" rather than as garbage to install.
 *
 * A transaction that fails (an error, or more than OP_MAX_BLOCKS blocks)
 * is thrown away instead: its buffers are invalidated so the cache reads
 * the disk again, and the owner of in-memory copies (the inode table) is
 * told to drop them too. Nothing reached the disk, so nothing happened.
 */
#include <string.h>
#include "abi/syscall.h"
#include "blk.h"
#include "log.h"

#define FNV_OFFSET 2166136261U         /* FNV-1a 32-bit parameters */
#define FNV_PRIME  16777619U

static struct {
	uint32_t start;                /* the header block */
	uint32_t depth;                /* log_begin nesting */
	int error;                     /* first failure in this transaction, or 0 */
	int overflow;                  /* a change could not be logged; the cache may hold it */
	int broken;                    /* a commit failed half-way: no transaction until remount */
	log_abort_fn on_abort;
	uint32_t n;                    /* blocks logged so far */
	struct buf *bufs[OP_MAX_BLOCKS];
} wal;

static struct log_header header;       /* staging for the header block */
static uint8_t scratch[BLOCK_SIZE];    /* one block in transit during recovery */

/* Fold n bytes into an FNV-1a hash. */
static uint32_t hash_bytes(uint32_t h, const void *p, uint32_t n)
{
	const uint8_t *s = p;
	for (uint32_t i = 0; i < n; i++)
		h = (h ^ s[i]) * FNV_PRIME;
	return h;
}

/* Hash of the header's count and block list (the data is folded in after). */
static uint32_t hash_header(const struct log_header *h)
{
	uint32_t sum = hash_bytes(FNV_OFFSET, &h->n, sizeof(h->n));
	return hash_bytes(sum, h->block, h->n * sizeof(h->block[0]));
}

/* Write an empty header: the log holds nothing. */
static int clear_header(void)
{
	memset(&header, 0, sizeof(header));
	return blk_write(wal.start, &header);
}

/* Checksum of a header read at mount, reading its logged blocks; 0 or an I/O error. */
static int recovered_sum(uint32_t *sum)
{
	uint32_t h = hash_header(&header);
	for (uint32_t i = 0; i < header.n; i++) {
		int r = blk_read(wal.start + 1 + i, scratch);
		if (r < 0)
			return r;
		h = hash_bytes(h, scratch, BLOCK_SIZE);
	}
	*sum = h;
	return 0;
}

/* Copy every block of the recovered log home; 0 or an I/O error. */
static int install_recovered(void)
{
	for (uint32_t i = 0; i < header.n; i++) {
		int r = blk_read(wal.start + 1 + i, scratch);
		if (r >= 0)
			r = blk_write(header.block[i], scratch);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Finish a committed transaction left by a crash; 0, -E_RANGE for a log naming blocks outside [start + nlog, fs_size), or an I/O error. */
static int recover(uint32_t nlog, uint32_t fs_size)
{
	int r = blk_read(wal.start, &header);
	if (r < 0 || header.n == 0)
		return r;
	uint32_t sum;
	if (header.n > nlog - 1 || header.n > LOG_MAX_ENTRIES)
		return clear_header();                  /* garbage: never committed */
	if ((r = recovered_sum(&sum)) < 0)
		return r;
	if (sum != header.sum)
		return clear_header();                  /* torn: never committed */
	for (uint32_t i = 0; i < header.n; i++)
		if (header.block[i] < wal.start + nlog || header.block[i] >= fs_size)
			return -E_RANGE;
	if ((r = install_recovered()) < 0)
		return r;
	return clear_header();
}

/* Start the log at block start (nlog blocks) and replay a committed transaction; 0 or an error. */
int log_init(uint32_t start, uint32_t nlog, uint32_t fs_size, log_abort_fn on_abort)
{
	memset(&wal, 0, sizeof(wal));
	wal.start = start;
	wal.on_abort = on_abort;
	if (nlog < LOG_MIN_BLOCKS)
		return -E_INVAL;
	int r = recover(nlog, fs_size);
	if (r < 0)
		wal.broken = r;
	return r;
}

/* Start a transaction, or join the open one; 0, or the error that broke the log. */
int log_begin(void)
{
	if (wal.broken)
		return wal.broken;
	wal.depth++;
	return 0;
}

/* Is a transaction open? */
int log_active(void)
{
	return wal.depth > 0;
}

/* Record that b (held) changed in this transaction; a failure fails the transaction. */
void log_write(struct buf *b)
{
	if (wal.depth == 0) {
		bio_invalidate(b);                      /* no transaction: the change is dropped */
		return;
	}
	for (uint32_t i = 0; i < wal.n; i++)
		if (wal.bufs[i] == b)
			return;                         /* already logged: absorbed */
	if (wal.n == OP_MAX_BLOCKS) {
		wal.overflow = 1;
		if (!wal.error)
			wal.error = -E_NOMEM;
		return;
	}
	bio_pin(b);
	wal.bufs[wal.n++] = b;
}

/* Let go of every logged buffer, forgetting its contents if discard. */
static void release_all(int discard)
{
	for (uint32_t i = 0; i < wal.n; i++) {
		if (discard)
			bio_invalidate(wal.bufs[i]);
		bio_unpin(wal.bufs[i]);
	}
	wal.n = 0;
}

/* Throw the transaction away: the cache and the inode table read the disk again. */
static void abort_transaction(void)
{
	release_all(1);
	if (wal.overflow)
		bio_invalidate_all();
	wal.overflow = 0;
	if (wal.on_abort)
		wal.on_abort();
}

/* Step 1: the changed blocks into the log region; 0 or an I/O error. */
static int write_log_blocks(void)
{
	for (uint32_t i = 0; i < wal.n; i++) {
		int r = blk_write(wal.start + 1 + i, wal.bufs[i]->data);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Step 2, the commit point: the header naming the logged blocks; 0 or an I/O error. */
static int write_header(void)
{
	memset(&header, 0, sizeof(header));
	header.n = wal.n;
	for (uint32_t i = 0; i < wal.n; i++)
		header.block[i] = wal.bufs[i]->blockno;
	uint32_t sum = hash_header(&header);
	for (uint32_t i = 0; i < wal.n; i++)
		sum = hash_bytes(sum, wal.bufs[i]->data, BLOCK_SIZE);
	header.sum = sum;
	return blk_write(wal.start, &header);
}

/* Step 3: every logged block to its home; 0 or an I/O error. */
static int install(void)
{
	for (uint32_t i = 0; i < wal.n; i++) {
		int r = bio_write(wal.bufs[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Commit the transaction (steps 1-4); 0, or an I/O error (the log is then broken if past step 1). */
static int commit(void)
{
	if (wal.n == 0)
		return 0;
	int r = write_log_blocks();
	if (r < 0) {
		abort_transaction();
		return r;
	}
	if ((r = write_header()) >= 0 && (r = install()) >= 0)
		r = clear_header();
	if (r < 0)
		wal.broken = r;                         /* the disk state is for recovery to decide */
	release_all(0);
	return r;
}

/* End a transaction with the caller's result: the outermost commits, or aborts if anything failed; the result, or the error. */
int log_end(int result)
{
	if (wal.depth == 0)
		return result < 0 ? result : -E_INVAL;
	if (result < 0 && !wal.error)
		wal.error = result;
	if (--wal.depth > 0)
		return result;
	int err = wal.error;
	wal.error = 0;
	if (err)
		abort_transaction();
	else
		err = commit();
	return err < 0 ? err : result;
}
