/*
 * A list of evictable frames in the order a replacement policy noted
 * them, oldest first: FIFO's queue, the ring a clock hand goes round. It
 * is threaded through two words per frame of the policy's own state
 * (FRAME_LIST_BYTES, indexed by frame_number), so noting, forgetting and
 * moving a frame to the back cost a few stores, and each policy that
 * keeps one keeps its own.
 */
#include "pager.h"

#define LIST_END UINT32_MAX             /* no frame: the end of the list */
#define UNLISTED (UINT32_MAX - 1)       /* a frame's links when it is not on the list */
#define OLDER 0
#define NEWER 1
#define LINKS 2

_Static_assert(FRAME_LIST_BYTES == LINKS * sizeof(uint32_t), "two links per frame");

/* The links of frame number i. */
static uint32_t *links_of(const struct frame_list *l, uint64_t i)
{
	return &l->link[i * LINKS];
}

/* Make l an empty list over `frames` frames whose links are at per_frame. */
void frame_list_attach(struct frame_list *l, void *per_frame, uint64_t frames)
{
	l->link = per_frame;
	l->oldest = l->newest = LIST_END;
	l->count = 0;
	for (uint64_t i = 0; i < frames; i++)
		links_of(l, i)[OLDER] = links_of(l, i)[NEWER] = UNLISTED;
}

/* Take frame pa off l if it is on it. */
void frame_list_remove(struct frame_list *l, uint64_t pa)
{
	uint32_t i = (uint32_t)frame_number(pa), *f = links_of(l, i);
	if (f[OLDER] == UNLISTED)
		return;
	if (f[OLDER] != LIST_END)
		links_of(l, f[OLDER])[NEWER] = f[NEWER];
	else
		l->oldest = f[NEWER];
	if (f[NEWER] != LIST_END)
		links_of(l, f[NEWER])[OLDER] = f[OLDER];
	else
		l->newest = f[OLDER];
	f[OLDER] = f[NEWER] = UNLISTED;
	l->count--;
}

/* Put frame pa at the newest end of l (moving it there if it is on l already). */
void frame_list_push(struct frame_list *l, uint64_t pa)
{
	uint32_t i = (uint32_t)frame_number(pa), *f = links_of(l, i);
	frame_list_remove(l, pa);
	f[OLDER] = l->newest;
	f[NEWER] = LIST_END;
	if (l->newest != LIST_END)
		links_of(l, l->newest)[NEWER] = i;
	else
		l->oldest = i;
	l->newest = i;
	l->count++;
}

/* The oldest frame on l, or 0 if it is empty. */
uint64_t frame_list_oldest(const struct frame_list *l)
{
	return l->oldest == LIST_END ? 0 : frame_at(l->oldest);
}

/* The frame after pa (which is on l), or 0 at the newest end. */
uint64_t frame_list_newer(const struct frame_list *l, uint64_t pa)
{
	uint32_t n = links_of(l, frame_number(pa))[NEWER];
	return n == LIST_END || n == UNLISTED ? 0 : frame_at(n);
}

/* l as a ring: the frame after pa, the oldest after the newest or when pa is 0 or off the list; 0 if empty. */
uint64_t frame_list_after(const struct frame_list *l, uint64_t pa)
{
	uint64_t next = pa ? frame_list_newer(l, pa) : 0;
	return next ? next : frame_list_oldest(l);
}

/* A ring with a hand: pa joins it (again) as the newest; a hand on pa moves on first. */
void frame_ring_push(struct frame_ring *r, uint64_t pa)
{
	if (pa == r->hand)
		r->hand = frame_list_newer(&r->list, pa);
	frame_list_push(&r->list, pa);
}

/* Frame pa leaves the ring; a hand on it moves on first. */
void frame_ring_remove(struct frame_ring *r, uint64_t pa)
{
	if (pa == r->hand)
		r->hand = frame_list_newer(&r->list, pa);
	frame_list_remove(&r->list, pa);
}

/* The frame under the hand, moving the hand on to the next (the oldest after the newest); 0 if the ring is empty. */
uint64_t frame_ring_next(struct frame_ring *r)
{
	uint64_t pa = r->hand ? r->hand : frame_list_oldest(&r->list);
	r->hand = frame_list_after(&r->list, pa);
	return pa;
}

/* The checker: l is linked both ways, ends where it says, and holds `evictable` frames. */
void frame_list_check(const struct frame_list *l, const char *name, uint64_t evictable, check_report_fn report)
{
	uint64_t n = 0;
	uint32_t prev = LIST_END;
	for (uint32_t i = l->oldest; i != LIST_END; prev = i, i = links_of(l, i)[NEWER], n++) {
		if (i >= frames_total() || n > frames_total() || links_of(l, i)[OLDER] != prev) {
			report("%s's list is broken after %lu frames", name, (unsigned long)n);
			return;
		}
		uint64_t va;
		if (frame_owner(frame_at(i), &va) < 0)
			report("frame %#lx is on %s's list with no owner", (unsigned long)frame_at(i), name);
	}
	if (prev != l->newest)
		report("%s's list does not end at its tail", name);
	if (n != l->count || n != evictable)
		report("%s's list holds %lu frames (its count says %lu); %lu are evictable", name, (unsigned long)n,
		       (unsigned long)l->count, (unsigned long)evictable);
}
