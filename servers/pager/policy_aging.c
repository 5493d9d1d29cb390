/*
 * Replacement policy "aging:PERIOD" (an approximation of LRU): each
 * evictable frame has an 8-bit counter. Every PERIOD ticks (the least
 * PERIOD among the programs that use it) a scan shifts every counter
 * right by one and sets the top bit of those whose page was accessed
 * since the last scan, reading and clearing the accessed bits many pages
 * a call (frames_sample). A frame starts at the top bit (it was just
 * used). The victim is the frame with the least counter, the oldest
 * noted among equals: the page least used lately.
 */
#include "pager.h"

#define AGING_TOP 0x80            /* the bit a scan sets for a page accessed since the last */
#define AGING_NEVER 0x100         /* more than any counter */
#define AGING_PERIOD_DEFAULT 1    /* ticks between scans */
#define AGING_PERIOD_MAX 1000

extern const struct evict_ops evict_aging;

static struct frame_list order;   /* in the order noted: ties go to the oldest */
static uint32_t *age;             /* per frame: the counter (8 bits used) */
static uint64_t last_scan;

/* The boot hands it its per-frame state: the list's links, then the counters. */
static void aging_attach(void *per_frame, uint64_t frames)
{
	frame_list_attach(&order, per_frame, frames);
	age = (uint32_t *)((uint8_t *)per_frame + FRAME_LIST_BYTES * frames);
	last_scan = 0;
}

/* Frame pa holds an evictable page, just used. */
static void aging_noted(uint64_t pa)
{
	frame_list_push(&order, pa);
	age[frame_number(pa)] = AGING_TOP;
}

/* Frame pa is no longer evictable. */
static void aging_forgotten(uint64_t pa)
{
	frame_list_remove(&order, pa);
}

/* A page's bits from the scan: the top bit of its counter if it was accessed. */
static void aging_sampled(struct proc *p, uint64_t va, uint64_t pa, int64_t bits, void *ctx)
{
	(void)p, (void)va, (void)ctx;
	if (bits & PAGE_ACCESSED)
		age[frame_number(pa)] |= AGING_TOP;
}

/* The timer: every PERIOD ticks, shift every counter and add the accessed bits. */
static void aging_tick(uint64_t now)
{
	uint64_t period = AGING_PERIOD_DEFAULT;
	policy_in_use(&evict_aging, &period);
	if (now < last_scan + period)
		return;
	last_scan = now;
	for (uint64_t pa = frame_list_oldest(&order); pa; pa = frame_list_newer(&order, pa))
		age[frame_number(pa)] >>= 1;
	frames_sample(PAGE_BITS_CLEAR_ACCESSED, aging_sampled, NULL);
}

/* The frame with the least counter (the oldest among equals) that may go for who; or 0. */
static uint64_t aging_victim(struct proc *who)
{
	uint64_t best = 0, best_age = AGING_NEVER, va;
	for (uint64_t pa = frame_list_oldest(&order); pa && best_age; pa = frame_list_newer(&order, pa)) {
		uint64_t a = age[frame_number(pa)];
		if (a < best_age && victim_candidate(pa, who, &va)) {
			best = pa;
			best_age = a;
		}
	}
	return best;
}

/* The checker: the list holds every evictable frame once. */
static void aging_check(uint64_t evictable, check_report_fn report)
{
	frame_list_check(&order, "aging", evictable, report);
}

static const struct policy_param aging_period = {
	.meaning = "PERIOD, the ticks (10 ms) between scans of the accessed bits,",
	.min = 1, .max = AGING_PERIOD_MAX, .dflt = AGING_PERIOD_DEFAULT,
};

const struct evict_ops evict_aging = {
	.name = "aging", .victim = aging_victim, .tick = aging_tick, .noted = aging_noted,
	.forgotten = aging_forgotten, .frame_bytes = FRAME_LIST_BYTES + sizeof(uint32_t),
	.attach = aging_attach, .param = &aging_period, .check = aging_check,
};
