/*
 * Allocation policy "around:N" (fault-around): like lazy, but a fault
 * also maps the next N-1 pages of its region that are not present yet,
 * so a sequential walk takes one fault per N pages.
 */
#include "pager.h"

/* Growing the heap allocates nothing. */
static int around_grow(struct proc *p, uint64_t from, uint64_t to)
{
	(void)p, (void)from, (void)to;
	return 0;
}

/* Map up to pages-1 absent pages after va in r (below the break for the heap). */
static void around_after_fault(struct proc *p, struct region *r, uint64_t va, int pages)
{
	uint64_t end = va + (uint64_t)pages * PAGE_SIZE;
	if (end > r->end || end < va)
		end = r->end;
	if (r->kind == REGION_HEAP && end > PAGE_UP(p->brk))
		end = PAGE_UP(p->brk);
	if (va + PAGE_SIZE < end)
		proc_populate(p, va + PAGE_SIZE, end, 0);
}

const struct alloc_ops alloc_around = { "around", around_grow, around_after_fault };
