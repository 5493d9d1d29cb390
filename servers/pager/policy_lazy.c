/*
 * Allocation policy "lazy": sbrk only moves the break; a page gets its
 * frame on the first touch (what the xv6 lazy-allocation lab asks).
 */
#include "pager.h"

/* Growing the heap allocates nothing. */
static int lazy_grow(struct proc *p, uint64_t from, uint64_t to)
{
	(void)p, (void)from, (void)to;
	return 0;
}

/* A fault maps only its own page: no after_fault. */
const struct alloc_ops alloc_lazy = { "lazy", lazy_grow, NULL };
