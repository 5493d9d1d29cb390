/*
 * Replacement policy "clock" (second chance): a hand sweeps the frames in
 * order; a page whose accessed bit is set (read and cleared through the
 * kernel, SYS_PAGE_BITS) gets a second chance, the first one not used
 * since the hand last passed is evicted.
 */
#include "pager.h"
#include "sys.h"

#define SWEEPS 2                  /* a full turn clears every bit; the second finds a victim */

static uint64_t hand;

/* The next frame under the hand whose page was not used since the last turn, or 0. */
static uint64_t clock_victim(void)
{
	uint64_t total = frames_total();
	for (uint64_t n = 0; n < SWEEPS * total; n++) {
		uint64_t pa = frame_at(hand), va;
		struct proc *p;
		hand = (hand + 1) % total;
		if (!frame_evictable(pa, &p, &va))
			continue;
		int64_t bits = sys_page_bits((long)p->space, va, 1);
		if (bits >= 0 && !(bits & PAGE_ACCESSED))
			return pa;
	}
	return 0;
}

const struct evict_ops evict_clock = { "clock", clock_victim };
