/*
 * Replacement policy "fifo": evict the page that was given its frame
 * longest ago (frames.c keeps evictable frames in that order), whether or
 * not it has been used since.
 */
#include "pager.h"

/* The oldest evictable frame, or 0. */
static uint64_t fifo_victim(void)
{
	struct proc *p;
	uint64_t va, next;
	for (uint64_t pa = frame_oldest(); pa; pa = next) {
		next = frame_newer(pa);
		if (frame_evictable(pa, &p, &va))
			return pa;
	}
	return 0;
}

const struct evict_ops evict_fifo = { "fifo", fifo_victim };
