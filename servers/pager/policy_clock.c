/*
 * Replacement policy "clock" (second chance): a hand goes round a ring of
 * the evictable frames, in the order they were noted. A page whose
 * accessed bit is set gets a second chance: the bit is cleared (the dirty
 * bit is kept, SYS_PAGE_BITS with PAGE_BITS_CLEAR_ACCESSED) and the hand
 * moves on; the first page not used since the hand last passed is the
 * victim.
 */
#include "pager.h"

#define SWEEPS 2                  /* a full turn clears every bit; the second finds a victim */

static struct frame_ring ring;

/* The boot hands it its per-frame state: the ring's links. */
static void clock_attach(void *per_frame, uint64_t frames)
{
	frame_list_attach(&ring.list, per_frame, frames);
	ring.hand = 0;
}

/* Frame pa holds an evictable page: into the ring, behind the hand's turn. */
static void clock_noted(uint64_t pa)
{
	frame_ring_push(&ring, pa);
}

/* Frame pa leaves the ring; a hand on it moves on first. */
static void clock_forgotten(uint64_t pa)
{
	frame_ring_remove(&ring, pa);
}

/* The next frame under the hand, not used since the hand last passed, that may go for who; or 0. */
static uint64_t clock_victim(struct proc *who)
{
	uint64_t turns = SWEEPS * (ring.list.count + 1), va;
	for (uint64_t n = 0; n < turns && ring.list.count; n++) {
		uint64_t pa = frame_ring_next(&ring);
		if (!victim_candidate(pa, who, &va))
			continue;
		if (!(frame_page_bits(pa, PAGE_BITS_CLEAR_ACCESSED) & PAGE_ACCESSED))
			return pa;
	}
	return 0;
}

/* The checker: the ring holds every evictable frame once. */
static void clock_check(uint64_t evictable, check_report_fn report)
{
	frame_list_check(&ring.list, "clock", evictable, report);
}

const struct evict_ops evict_clock = {
	.name = "clock", .victim = clock_victim, .noted = clock_noted, .forgotten = clock_forgotten,
	.frame_bytes = FRAME_LIST_BYTES, .attach = clock_attach, .check = clock_check,
};
