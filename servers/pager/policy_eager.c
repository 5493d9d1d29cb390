/*
 * Allocation policy "eager": sbrk allocates and maps every new page at
 * once, as stock xv6 does; if the pages would take the process past its
 * share (oom.c), or memory (and swap, if its policy swaps) cannot hold
 * them all, the sbrk fails and takes nothing.
 */
#include "pager.h"

/* Map every page of [from, to) now; 0 or -E_NOMEM. */
static int eager_grow(struct proc *p, uint64_t from, uint64_t to)
{
	uint64_t pages = (to - from) / PAGE_SIZE;
	uint64_t room = frames_free() + (p->policy.evict != &evict_none ? swap_total() - swap_used() : 0);
	if (proc_over_limit(p, pages) || pages > room)
		return -E_NOMEM;               /* too much, or can never fit: fail before touching anything */
	return proc_populate(p, from, to, 1);
}

/* A fault maps only its own page. */
static void eager_after_fault(struct proc *p, struct region *r, uint64_t va, int pages)
{
	(void)p, (void)r, (void)va, (void)pages;
}

const struct alloc_ops alloc_eager = { "eager", eager_grow, eager_after_fault };
