/*
 * Allocation policy "eager": sbrk allocates and maps every new page at
 * once, as stock xv6 does; if memory (and swap) cannot hold them all, the
 * sbrk fails and takes nothing.
 */
#include "pager.h"

/* Map every page of [from, to) now; 0 or -E_NOMEM. */
static int eager_grow(struct proc *p, uint64_t from, uint64_t to)
{
	uint64_t pages = (to - from) / PAGE_SIZE;
	if (pages > frames_free() + (swap_total() - swap_used()))
		return -E_NOMEM;               /* can never fit: fail before touching anything */
	return proc_populate(p, from, to);
}

/* A fault maps only its own page. */
static void eager_after_fault(struct proc *p, struct region *r, uint64_t va, int pages)
{
	(void)p, (void)r, (void)va, (void)pages;
}

const struct alloc_ops alloc_eager = { "eager", eager_grow, eager_after_fault };
