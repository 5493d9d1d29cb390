/*
 * Replacement policy "fifo": evict the page that was given its frame
 * longest ago, whether or not it has been used since. Its queue is a
 * frame list in the order frames were noted; a frame that could not be
 * written out is noted again and goes to the back (evict.c).
 */
#include "pager.h"

static struct frame_list queue;

/* The boot hands it its per-frame state: the queue's links. */
static void fifo_attach(void *per_frame, uint64_t frames)
{
	frame_list_attach(&queue, per_frame, frames);
}

/* Frame pa holds an evictable page: to the back of the queue. */
static void fifo_noted(uint64_t pa)
{
	frame_list_push(&queue, pa);
}

/* Frame pa is no longer evictable: off the queue. */
static void fifo_forgotten(uint64_t pa)
{
	frame_list_remove(&queue, pa);
}

/* The oldest frame that may go to make room for who, or 0. */
static uint64_t fifo_victim(struct proc *who)
{
	uint64_t va;
	for (uint64_t pa = frame_list_oldest(&queue); pa; pa = frame_list_newer(&queue, pa))
		if (victim_candidate(pa, who, &va))
			return pa;
	return 0;
}

/* The checker: the queue holds every evictable frame once. */
static void fifo_check(uint64_t evictable, check_report_fn report)
{
	frame_list_check(&queue, "fifo", evictable, report);
}

const struct evict_ops evict_fifo = {
	.name = "fifo", .victim = fifo_victim, .noted = fifo_noted, .forgotten = fifo_forgotten,
	.frame_bytes = FRAME_LIST_BYTES, .attach = fifo_attach, .check = fifo_check,
};
