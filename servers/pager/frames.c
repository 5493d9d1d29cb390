/*
 * Physical frames. The kernel hands the pager every user frame and maps
 * them all into the pager at a window (bootinfo.h), so the pager reaches
 * a frame's bytes at window + (pa - ram_base). Free frames form a list
 * threaded through their own first word; each frame has a reference
 * count, so a frame can be shared (read-only text after fork, and
 * copy-on-write later) and is freed when its last user lets go.
 */
#include <string.h>
#include "pager.h"

struct free_frame {
	uint64_t next;                  /* pa of the next free frame, 0 = end */
};

static uint8_t *window;
static uint64_t ram_base, owned_base, owned_pages;
static uint64_t free_head, free_count;
static uint16_t *refs;              /* per owned frame; lives in owned frames */

/* Where the pager sees frame pa. */
void *frame_ptr(uint64_t pa)
{
	return window + (pa - ram_base);
}

/* Index of an owned frame. */
static uint64_t frame_index(uint64_t pa)
{
	return (pa - owned_base) / PAGE_SIZE;
}

/* Start with no free frames; the reference counts need the first free range. */
void frames_init(void *win, uint64_t ram, uint64_t base, uint64_t pages)
{
	window = win;
	ram_base = ram;
	owned_base = base;
	owned_pages = pages;
	refs = NULL;
	free_head = free_count = 0;
}

/* Push one frame on the free list. */
static void frame_push(uint64_t pa)
{
	((struct free_frame *)frame_ptr(pa))->next = free_head;
	free_head = pa;
	free_count++;
}

/* Add a range of unused frames; the first call also carves the count table. */
void frames_add_free(uint64_t base, uint64_t pages)
{
	if (!refs) {
		uint64_t table_pages = (owned_pages * sizeof(*refs) + PAGE_SIZE - 1) / PAGE_SIZE;
		if (table_pages > pages)
			return;
		refs = frame_ptr(base);
		memset(refs, 0, table_pages * PAGE_SIZE);
		base += table_pages * PAGE_SIZE;
		pages -= table_pages;
	}
	for (uint64_t i = pages; i > 0; i--)
		frame_push(base + (i - 1) * PAGE_SIZE);
}

/* Take a free frame without clearing it; 0 when none is left. */
uint64_t frame_alloc_dirty(void)
{
	uint64_t pa = free_head;
	if (!pa)
		return 0;
	free_head = ((struct free_frame *)frame_ptr(pa))->next;
	free_count--;
	refs[frame_index(pa)] = 1;
	return pa;
}

/* Take a zeroed frame; 0 when none is left. */
uint64_t frame_alloc(void)
{
	uint64_t pa = frame_alloc_dirty();
	if (pa)
		memset(frame_ptr(pa), 0, PAGE_SIZE);
	return pa;
}

/* One more user of frame pa. */
void frame_ref(uint64_t pa)
{
	refs[frame_index(pa)]++;
}

/* One user fewer; the frame is free when none is left. */
void frame_unref(uint64_t pa)
{
	uint16_t *r = &refs[frame_index(pa)];
	if (*r == 0)
		return;
	if (--*r == 0)
		frame_push(pa);
}

/* How many users frame pa has. */
uint32_t frame_refs(uint64_t pa)
{
	return refs[frame_index(pa)];
}

/* How many frames are free. */
uint64_t frames_free(void)
{
	return free_count;
}
