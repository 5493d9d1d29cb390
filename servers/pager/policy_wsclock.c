/*
 * Replacement policy "wsclock:TAU" (the working-set clock of Carr and
 * Hennessy): each evictable frame remembers when its page was last seen
 * used. A hand goes round the frames; a page accessed since the hand last
 * passed is in the working set: its bit is cleared and its time set to
 * now. A page not used for more than TAU ticks has left the working set:
 * if it is clean (no write-back) it is the victim; a dirty one is
 * remembered and the hand goes on looking for a clean one. After a turn,
 * or WSCLOCK_SCAN_MAX frames (so that a victim costs a bounded number of
 * kernel calls when the whole memory is one working set), the first old
 * dirty page goes (its write starts), else the page unused longest. TAU
 * is the process's own (who needs room), in ticks of 10 ms.
 */
#include "pager.h"

#define WSCLOCK_TAU_DEFAULT 5         /* ticks: 50 ms */
#define WSCLOCK_TAU_MAX 100000
#define WSCLOCK_SCAN_MAX 64           /* frames one victim looks at, at most */

extern const struct evict_ops evict_wsclock;

static struct frame_ring ring;
static uint32_t *last_used;           /* per frame: the tick its page was last seen used */

/* The boot hands it its per-frame state: the ring's links, then the times. */
static void wsclock_attach(void *per_frame, uint64_t frames)
{
	frame_list_attach(&ring.list, per_frame, frames);
	last_used = (uint32_t *)((uint8_t *)per_frame + FRAME_LIST_BYTES * frames);
	ring.hand = 0;
}

/* Frame pa holds an evictable page, used now. */
static void wsclock_noted(uint64_t pa)
{
	frame_ring_push(&ring, pa);
	last_used[frame_number(pa)] = (uint32_t)pager_ticks();
}

/* Frame pa leaves the ring; a hand on it moves on first. */
static void wsclock_forgotten(uint64_t pa)
{
	frame_ring_remove(&ring, pa);
}

/* A turn of the hand (up to WSCLOCK_SCAN_MAX frames) for who: a clean page out of its working set, else the best other. */
static uint64_t wsclock_victim(struct proc *who)
{
	uint64_t tau = who && who->policy.evict == &evict_wsclock ? who->policy.evict_arg : WSCLOCK_TAU_DEFAULT;
	uint32_t now = (uint32_t)pager_ticks();
	uint64_t old_dirty = 0, oldest = 0, va;
	for (uint64_t n = 0; n <= ring.list.count && n < WSCLOCK_SCAN_MAX && ring.list.count; n++) {
		uint64_t pa = frame_ring_next(&ring);
		if (!victim_candidate(pa, who, &va))
			continue;
		uint32_t *t = &last_used[frame_number(pa)];
		int64_t bits = frame_page_bits(pa, PAGE_BITS_CLEAR_ACCESSED);
		if (bits & PAGE_ACCESSED)
			*t = now;
		else if (now - *t > tau && frame_clean(pa, bits))
			return pa;
		else if (now - *t > tau && !old_dirty)
			old_dirty = pa;
		if (!oldest || now - *t > now - last_used[frame_number(oldest)])
			oldest = pa;
	}
	return old_dirty ? old_dirty : oldest;
}

/* The checker: the ring holds every evictable frame once. */
static void wsclock_check(uint64_t evictable, check_report_fn report)
{
	frame_list_check(&ring.list, "wsclock", evictable, report);
}

static const struct policy_param wsclock_tau = {
	.meaning = "TAU, the working-set window in ticks (10 ms),",
	.min = 1, .max = WSCLOCK_TAU_MAX, .dflt = WSCLOCK_TAU_DEFAULT,
};

const struct evict_ops evict_wsclock = {
	.name = "wsclock", .victim = wsclock_victim, .noted = wsclock_noted, .forgotten = wsclock_forgotten,
	.frame_bytes = FRAME_LIST_BYTES + sizeof(uint32_t), .attach = wsclock_attach, .param = &wsclock_tau,
	.check = wsclock_check,
};
