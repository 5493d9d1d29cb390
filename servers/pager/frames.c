/*
 * Physical frames. The kernel hands the pager every user frame and maps
 * them all into the pager at a window (bootinfo.h), so the pager reaches
 * a frame's bytes at window + (pa - ram_base). Free frames form two
 * lists linked through their records (below), not through the frames, so
 * that taking one touches nothing but its record: frames already zeroed
 * (zeroed while the CPU had nothing else to do, so that a zero-fill fault
 * need not) and the rest.
 *
 * Each frame has a record: a reference count (a frame is shared by
 * read-only text, copy-on-write and shared mappings, and is freed when its
 * last user lets go), and, for a frame holding one process's private
 * page, its owner (process slot and address), which is what makes it a
 * candidate for eviction: the replacement policies hear of it (noted)
 * and of its end (forgotten) and keep their own order (policy.c). A frame
 * is fresh while it holds a page exactly as a fill made it and no one
 * else shares it: with the hardware's dirty bit clear it can be dropped
 * and filled again instead of written out (evict.c). The records, and
 * the policies' per-frame state behind them, live in the first owned
 * frames.
 */
#include <string.h>
#include "pager.h"

#define FOUND_FREE (1U << 31)           /* checker: the frame is on a free list */

struct frame_info {
	uint64_t va;                    /* owner's address of the page */
	uint16_t refs;
	uint16_t owner;                 /* process slot + 1; 0 = not evictable */
	uint32_t fresh;                 /* 1: as a fill made it, never shared (frame_set_fresh) */
	uint32_t found;                 /* the checker's count of the references it found */
	uint32_t next_free;             /* on a free list: the next one's index + 1, 0 = the end */
};

_Static_assert(sizeof(struct frame_info) == FRAME_INFO_BYTES, "tests size the records");

static uint8_t *window;
static uint64_t ram_base, owned_base, owned_pages, usable_pages;
static uint64_t free_head, free_count, given;   /* given: frames handed out now */
static uint64_t zero_head, zero_count;          /* free frames already zeroed (in free_count) */
static struct frame_info *info;    /* per owned frame */
static uint64_t extra_bytes;       /* per frame, for the policies, after the records */
static void *extra;                /* that area */
static uint64_t bad_unrefs;        /* unrefs of free frames, until the checker reports them */

/* Where the pager sees frame pa. */
void *frame_ptr(uint64_t pa)
{
	return window + (pa - ram_base);
}

/* Index of an owned frame. */
static uint32_t frame_index(uint64_t pa)
{
	return (uint32_t)((pa - owned_base) / PAGE_SIZE);
}

/* The number of owned frame pa (0 to frames_total() - 1): policies index their state by it. */
uint64_t frame_number(uint64_t pa)
{
	return frame_index(pa);
}

/* Start with no free frames; the records (and extra bytes per frame for the policies) need the first free range. */
void frames_init(void *win, uint64_t ram, uint64_t base, uint64_t pages, uint64_t extra_per_frame)
{
	extra_bytes = extra_per_frame;
	extra = NULL;
	window = win;
	ram_base = ram;
	owned_base = base;
	owned_pages = pages;
	usable_pages = UINT64_MAX;
	info = NULL;
	free_head = free_count = given = zero_head = zero_count = bad_unrefs = 0;
}

/* The policies' per-frame area (extra bytes per frame, zeroed), or NULL before the first free range. */
void *frames_extra(void)
{
	return extra;
}

/* Use at most `pages` frames from now on (boot argument pager.frames). */
void frames_limit(uint64_t pages)
{
	usable_pages = pages;
}

/* Link free frame pa at the head of a free list. */
static void list_push(uint64_t *head, uint64_t pa)
{
	info[frame_index(pa)].next_free = *head ? frame_index(*head) + 1 : 0;
	*head = pa;
}

/* The frame after pa on its free list; 0 at the end. */
static uint64_t list_next(uint64_t pa)
{
	uint32_t next = info[frame_index(pa)].next_free;
	return next ? owned_base + (uint64_t)(next - 1) * PAGE_SIZE : 0;
}

/* Push one frame on the free list. */
static void frame_push(uint64_t pa)
{
	list_push(&free_head, pa);
	free_count++;
}

/* Add a range of unused frames; the first call also carves the records. */
void frames_add_free(uint64_t base, uint64_t pages)
{
	if (!info) {
		uint64_t table_pages = (owned_pages * (sizeof(*info) + extra_bytes) + PAGE_SIZE - 1) / PAGE_SIZE;
		if (table_pages > pages)
			return;
		info = frame_ptr(base);
		memset(info, 0, table_pages * PAGE_SIZE);
		extra = extra_bytes ? (uint8_t *)info + owned_pages * sizeof(*info) : NULL;
		base += table_pages * PAGE_SIZE;
		pages -= table_pages;
	}
	for (uint64_t i = pages; i > 0; i--)
		frame_push(base + (i - 1) * PAGE_SIZE);
}

/* Pop the head of a free list; 0 if empty. */
static uint64_t list_pop(uint64_t *head)
{
	uint64_t pa = *head;
	if (pa)
		*head = list_next(pa);
	return pa;
}

/* Hand out frame pa taken from a free list: one user, no owner. */
static uint64_t frame_give(uint64_t pa)
{
	free_count--;
	given++;
	struct frame_info *f = &info[frame_index(pa)];
	f->refs = 1;
	f->owner = 0;
	f->fresh = 0;
	return pa;
}

/* Take a free frame whose contents do not matter; 0 when none is left (or at the limit). */
HOT_PATH uint64_t frame_alloc_dirty(void)
{
	if (given >= usable_pages || !free_count)
		return 0;
	uint64_t pa = list_pop(&free_head);
	if (!pa && (pa = list_pop(&zero_head)))
		zero_count--;
	return frame_give(pa);
}

static uint64_t *later_list;            /* frames_zero_later: where frame_alloc_answer notes frames to zero */
static int later_count, later_max;

/* From now until frames_zero_later_end, frame_alloc_answer may leave up to max frames for the caller to zero (in list). */
HOT_PATH void frames_zero_later(uint64_t *list, int max)
{
	later_list = list;
	later_max = max;
	later_count = 0;
}

/* Stop leaving frames to zero; how many were left in the list. */
HOT_PATH int frames_zero_later_end(void)
{
	later_list = NULL;
	return later_count;
}

/*
 * A zeroed frame for a page that only the fault's answer maps: from the
 * zeroed list if it can; else, while frames_zero_later is on, a frame the
 * caller zeroes before it answers (a fault thread, after letting the lock
 * go); else zeroed now. 0 when none is left.
 */
HOT_PATH uint64_t frame_alloc_answer(void)
{
	if (!later_list || later_count == later_max || zero_head)
		return frame_alloc();
	uint64_t pa = frame_alloc_dirty();
	if (pa)
		later_list[later_count++] = pa;
	return pa;
}

/* Take a zeroed frame (from the zeroed list if it can); 0 when none is left. */
HOT_PATH uint64_t frame_alloc(void)
{
	if (given >= usable_pages || !free_count)
		return 0;
	uint64_t pa = list_pop(&zero_head);
	if (pa) {
		zero_count--;
		return frame_give(pa);
	}
	pa = frame_give(list_pop(&free_head));
	memset(frame_ptr(pa), 0, PAGE_SIZE);
	return pa;
}

/* Is the pool of zeroed frames under target, with free frames left to zero? */
int frames_zero_wanted(uint64_t target)
{
	return zero_count < target && free_head;
}

/* Zero up to n free frames ahead of need, while the pool is under target. */
void frames_zero_some(uint64_t n, uint64_t target)
{
	for (; n && frames_zero_wanted(target); n--) {
		uint64_t pa = list_pop(&free_head);
		memset(frame_ptr(pa), 0, PAGE_SIZE);
		list_push(&zero_head, pa);
		zero_count++;
	}
}

/* One more user of frame pa (shared now: no longer fresh). */
void frame_ref(uint64_t pa)
{
	info[frame_index(pa)].refs++;
	info[frame_index(pa)].fresh = 0;
}

/* Frame pa holds its page just as a fill made it, and only one process maps it (fresh 1), or no longer (0). */
void frame_set_fresh(uint64_t pa, int fresh)
{
	info[frame_index(pa)].fresh = (uint32_t)fresh;
}

/* Does frame pa hold its page as a fill made it, unshared since (not counting writes the dirty bit shows)? */
int frame_fresh(uint64_t pa)
{
	return info[frame_index(pa)].fresh;
}

/* The last user (or none: a double unref) lets go of frame pa: it is free. */
static __attribute__((noinline)) void frame_release(uint64_t pa, struct frame_info *f)
{
	if (f->refs == 0) {
		bad_unrefs++;               /* a double unref: the checker reports it */
		return;
	}
	f->refs = 0;
	frame_clear_owner(pa);
	frame_push(pa);
	given--;
}

/* One user fewer; the frame is free when none is left. */
void frame_unref(uint64_t pa)
{
	struct frame_info *f = &info[frame_index(pa)];
	if (f->refs > 1)
		f->refs--;                  /* still shared (copy-on-write): the usual case at exit */
	else
		frame_release(pa, f);
}

/* How many users frame pa has. */
uint32_t frame_refs(uint64_t pa)
{
	return info[frame_index(pa)].refs;
}

/* How many frames may still be handed out (free, and within the limit). */
uint64_t frames_free(void)
{
	uint64_t room = given >= usable_pages ? 0 : usable_pages - given;
	return room < free_count ? room : free_count;
}

/* How many frames are handed out. */
uint64_t frames_used(void)
{
	return given;
}

/* Record that frame pa holds page va of process slot `owner`: it may be evicted. The policies hear of it (again). */
HOT_PATH void frame_set_owner(uint64_t pa, int owner, uint64_t va)
{
	uint32_t i = frame_index(pa);
	info[i].owner = (uint16_t)(owner + 1);
	info[i].va = va;
	policies_noted(pa);
}

/* Frame pa no longer holds an evictable page. */
void frame_clear_owner(uint64_t pa)
{
	uint32_t i = frame_index(pa);
	if (info[i].owner) {
		info[i].owner = 0;
		policies_forgotten(pa);
	}
}

/* Call fn on every frame that holds an evictable page (has an owner), in frame order. */
void frames_each_owned(void (*fn)(uint64_t pa))
{
	for (uint64_t i = 0; info && i < owned_pages; i++)
		if (info[i].owner)
			fn(owned_base + i * PAGE_SIZE);
}

/* Owner of frame pa: process slot (or -1) and address. */
int frame_owner(uint64_t pa, uint64_t *va)
{
	struct frame_info *f = &info[frame_index(pa)];
	*va = f->va;
	return (int)f->owner - 1;
}

/* The frame with index i (for a clock hand), or 0 past the end. */
uint64_t frame_at(uint64_t i)
{
	return i < owned_pages ? owned_base + i * PAGE_SIZE : 0;
}

/* How many frames the pager owns in all. */
uint64_t frames_total(void)
{
	return owned_pages;
}

/* Is pa a frame the pager owns? */
static int frame_owned(uint64_t pa)
{
	return pa >= owned_base && pa % PAGE_SIZE == 0 && (pa - owned_base) / PAGE_SIZE < owned_pages;
}

/* Checker: forget the references found so far. */
void frames_check_begin(void)
{
	for (uint64_t i = 0; i < owned_pages; i++)
		info[i].found = 0;
}

/* Checker: one more reference to pa found; 0, or -1 if pa is not a frame the pager owns. */
int frames_check_found(uint64_t pa)
{
	if (!frame_owned(pa))
		return -1;
	info[frame_index(pa)].found++;
	return 0;
}

/* Checker: mark the frames of one free list; report a bad link, a frame listed twice or a wrong count. */
static void check_free_list(uint64_t head, uint64_t want, const char *name, check_report_fn report)
{
	uint64_t n = 0;
	for (uint64_t pa = head; pa; pa = list_next(pa), n++) {
		if (!frame_owned(pa) || (info[frame_index(pa)].found & FOUND_FREE)) {
			report("the %s list is broken after %lu frames (%#lx)", name, (unsigned long)n,
			       (unsigned long)pa);
			return;
		}
		info[frame_index(pa)].found |= FOUND_FREE;
	}
	if (n != want)
		report("the %s list has %lu frames; its count says %lu", name, (unsigned long)n,
		       (unsigned long)want);
}

/* Checker: frame i's reference count against the references found; 1 if it is in use. */
static int check_frame(uint64_t i, check_report_fn report)
{
	const struct frame_info *f = &info[i];
	uint32_t found = f->found & ~FOUND_FREE;
	unsigned long pa = (unsigned long)(owned_base + i * PAGE_SIZE);
	if ((f->found & FOUND_FREE) && f->refs)
		report("frame %#lx is on a free list with %u references", pa, f->refs);
	else if (f->refs != found)
		report("frame %#lx has %u references; %u found", pa, f->refs, found);
	return f->refs != 0;
}

/* Checker: the frames with an owner are in use; the policies' own records of them agree (policies_check). */
static void check_evictable(check_report_fn report)
{
	uint64_t with_owner = 0;
	for (uint64_t i = 0; i < owned_pages; i++) {
		with_owner += info[i].owner != 0;
		if (info[i].owner && !info[i].refs)
			report("frame %#lx has an owner and no references", (unsigned long)(owned_base + i * PAGE_SIZE));
	}
	policies_check(with_owner, report);
}

/* Checker: compare every count with what was found; check the free and evictable lists; report double unrefs. */
void frames_check_end(check_report_fn report)
{
	uint64_t in_use = 0;
	check_free_list(free_head, free_count - zero_count, "free", report);
	check_free_list(zero_head, zero_count, "zeroed", report);
	for (uint64_t i = 0; i < owned_pages; i++)
		in_use += (uint64_t)check_frame(i, report);
	if (in_use != given)
		report("%lu frames are in use; the count says %lu", (unsigned long)in_use, (unsigned long)given);
	check_evictable(report);
	if (bad_unrefs)
		report("%lu unrefs of frames that were already free", (unsigned long)bad_unrefs);
	bad_unrefs = 0;
}
