/*
 * Replacement policy "nru" (Not Recently Used): every call sorts the
 * NRU_LOOK oldest evictable pages into four classes by their accessed bit
 * and whether evicting them needs a write-back, and takes the first page,
 * oldest first, of the lowest class; the accessed bits it reads are
 * cleared, so "recently" means since the last look. (Looking at every
 * page took a kernel call per frame per eviction: too slow to swap with.)
 * Added by following docs/POLICIES.md §8 alone, as its worked example.
 */
#include "pager.h"

#define NRU_CLASSES 4             /* (accessed, dirty): 0 best, 3 worst */
#define NRU_ACCESSED_CLASS 2      /* the class an accessed page starts from */
#define NRU_LOOK 64               /* the oldest pages a call looks at, at most */

static struct frame_list order;   /* the evictable frames, oldest noted first */

/* The boot hands it its per-frame state: the list's links. */
static void nru_attach(void *per_frame, uint64_t frames)
{
	frame_list_attach(&order, per_frame, frames);
}

/* Frame pa holds an evictable page: the newest. */
static void nru_noted(uint64_t pa)
{
	frame_list_push(&order, pa);
}

/* Frame pa is no longer evictable. */
static void nru_forgotten(uint64_t pa)
{
	frame_list_remove(&order, pa);
}

/* The first frame, from the oldest NRU_LOOK, in the lowest class that may go for who; or 0. Clears A on the way. */
static uint64_t nru_victim(struct proc *who)
{
	uint64_t best = 0, best_class = NRU_CLASSES, va, looked = 0;
	for (uint64_t pa = frame_list_oldest(&order); pa && best_class && looked < NRU_LOOK;
	     pa = frame_list_newer(&order, pa)) {
		if (!victim_candidate(pa, who, &va))
			continue;
		looked++;
		int64_t bits = frame_page_bits(pa, PAGE_BITS_CLEAR_ACCESSED);
		uint64_t class = ((bits & PAGE_ACCESSED) ? NRU_ACCESSED_CLASS : 0) + !frame_clean(pa, bits);
		if (class < best_class) {
			best = pa;
			best_class = class;
		}
	}
	return best;
}

/* The checker: the list holds every evictable frame once. */
static void nru_check(uint64_t evictable, check_report_fn report)
{
	frame_list_check(&order, "nru", evictable, report);
}

const struct evict_ops evict_nru = {
	.name = "nru", .victim = nru_victim, .noted = nru_noted, .forgotten = nru_forgotten,
	.frame_bytes = FRAME_LIST_BYTES, .attach = nru_attach, .check = nru_check,
};
