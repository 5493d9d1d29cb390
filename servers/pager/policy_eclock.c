/*
 * Replacement policy "eclock" (enhanced second chance, with a preference
 * for clean pages): a clock whose hand sorts pages into four classes by
 * their accessed bit A and whether evicting them needs a write-back
 * (frame_clean: a page as its fill made it, dirty bit clear, is dropped
 * and filled again instead):
 *
 *   class 0  not accessed, clean       the best victim: no write
 *   class 1  not accessed, dirty       a write, but not in use
 *   class 2  accessed, clean
 *   class 3  accessed, dirty
 *
 * One turn looks for class 0 touching nothing; the next looks for class
 * 1, clearing A on the pages it passes (classes 2 and 3 fall to 0 and 1);
 * then the two turns again: a victim is found within four. A turn that
 * clears nothing looks at no more than ECLOCK_LOOK frames, so that with
 * no clean page about a victim does not cost a kernel call per frame.
 */
#include "pager.h"

#define ECLOCK_TURNS 4            /* class 0, class 1 (clearing A), class 0, class 1 */
#define ECLOCK_LOOK 64            /* frames a turn for class 0 looks at, at most */

static struct frame_ring ring;

/* The boot hands it its per-frame state: the ring's links. */
static void eclock_attach(void *per_frame, uint64_t frames)
{
	frame_list_attach(&ring.list, per_frame, frames);
	ring.hand = 0;
}

/* Frame pa holds an evictable page: into the ring. */
static void eclock_noted(uint64_t pa)
{
	frame_ring_push(&ring, pa);
}

/* Frame pa leaves the ring; a hand on it moves on first. */
static void eclock_forgotten(uint64_t pa)
{
	frame_ring_remove(&ring, pa);
}

/* One turn of the hand: the first frame for who, not accessed and (want_clean) clean; A cleared on the way if asked. */
static uint64_t eclock_turn(struct proc *who, int want_clean, int clear)
{
	uint64_t va;
	uint64_t look = clear || ring.list.count < ECLOCK_LOOK ? ring.list.count + 1 : ECLOCK_LOOK;
	for (uint64_t n = 0; n < look; n++) {
		uint64_t pa = frame_ring_next(&ring);
		if (!victim_candidate(pa, who, &va))
			continue;
		int64_t bits = frame_page_bits(pa, clear ? PAGE_BITS_CLEAR_ACCESSED : PAGE_BITS_READ);
		if (!(bits & PAGE_ACCESSED) && (!want_clean || frame_clean(pa, bits)))
			return pa;
	}
	return 0;
}

/* The frame in the lowest class, nearest the hand, that may go for who; or 0. */
static uint64_t eclock_victim(struct proc *who)
{
	uint64_t pa = 0;
	for (int turn = 0; turn < ECLOCK_TURNS && !pa && ring.list.count; turn++)
		pa = turn % 2 == 0 ? eclock_turn(who, 1, 0) : eclock_turn(who, 0, 1);
	return pa;
}

/* The checker: the ring holds every evictable frame once. */
static void eclock_check(uint64_t evictable, check_report_fn report)
{
	frame_list_check(&ring.list, "eclock", evictable, report);
}

const struct evict_ops evict_eclock = {
	.name = "eclock", .victim = eclock_victim, .noted = eclock_noted, .forgotten = eclock_forgotten,
	.frame_bytes = FRAME_LIST_BYTES, .attach = eclock_attach, .check = eclock_check,
};
