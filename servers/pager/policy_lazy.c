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

/* A fault maps only its own page. */
static void lazy_after_fault(struct proc *p, struct region *r, uint64_t va, int pages)
{
	(void)p, (void)r, (void)va, (void)pages;
}

const struct alloc_ops alloc_lazy = { "lazy", lazy_grow, lazy_after_fault };
