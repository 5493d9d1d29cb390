/*
 * Replacement policy "clock" (second chance): a hand goes round the
 * evictable frames (the list frames.c keeps, taken as a ring); a page
 * whose accessed bit is set (read and cleared through the kernel,
 * SYS_PAGE_BITS) gets a second chance, and the first one not used since
 * the hand last passed is evicted.
 */
#include "pager.h"
#include "sys.h"

#define SWEEPS 2                  /* a full turn clears every bit; the second finds a victim */

static uint64_t hand;             /* the frame under the hand, 0 = start at the oldest */

/* Move the hand to the next frame of the ring. */
static uint64_t advance(uint64_t pa)
{
	uint64_t va, next = pa && frame_owner(pa, &va) >= 0 ? frame_newer(pa) : 0;
	return next ? next : frame_oldest();
}

/* The next frame under the hand whose page was not used since the last turn, or 0. */
static uint64_t clock_victim(void)
{
	uint64_t turns = SWEEPS * (frames_used() + 1);
	for (uint64_t n = 0; n < turns; n++) {
		uint64_t pa = hand = advance(hand), va;
		struct proc *p;
		if (!pa)
			return 0;                 /* nothing is evictable */
		if (!frame_evictable(pa, &p, &va))
			continue;
		int64_t bits = sys_page_bits((long)p->space, va, 1);
		if (bits >= 0 && !(bits & PAGE_ACCESSED))
			return pa;
	}
	return 0;
}

const struct evict_ops evict_clock = { "clock", clock_victim };
