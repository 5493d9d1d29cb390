/*
 * The kernel's own page pool: page tables and the frame-ownership table
 * come from here, never from the frames user space owns. A free list
 * threaded through the free pages themselves.
 */
#include "kernel.h"

struct free_page {
	struct free_page *next;
};

static struct free_page *free_list;
static uint64_t free_count;

/* Put every page of [base, end) on the free list. */
void pool_init(uint64_t base, uint64_t end)
{
	for (uint64_t pa = PAGE_ROUND_UP(base); pa + PAGE_SIZE <= end; pa += PAGE_SIZE)
		pool_free((void *)pa);
}

/* Take one zeroed page, or NULL when the pool is empty. */
void *pool_alloc(void)
{
	struct free_page *p = free_list;
	if (!p)
		return NULL;
	free_list = p->next;
	free_count--;
	memset(p, 0, PAGE_SIZE);
	return p;
}

/* Give a page back to the pool. */
void pool_free(void *page)
{
	struct free_page *p = page;
	if ((uint64_t)page % PAGE_SIZE)
		panic("pool_free: unaligned page");
	p->next = free_list;
	free_list = p;
	free_count++;
}

/* How many pages are free. */
uint64_t pool_free_pages(void)
{
	return free_count;
}
