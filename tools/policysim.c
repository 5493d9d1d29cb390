/*
 * The simulated pager a replacement policy runs in on the host (see
 * policysim.h). Frame i is at SIM_BASE + i pages; each holds one page
 * or none. A reference to a page in a frame sets its accessed bit (and
 * dirty bit for a store); a reference to any other page is a fault: it
 * takes a free frame, or the policy's victim is evicted first (a write-
 * back unless the frame is clean: a page never written, so filled with
 * zeroes again, whose dirty bit is clear, as the pager decides). The
 * policy is told of each frame it may evict (noted) and of each one
 * taken away (forgotten), exactly as frames.c tells it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "policysim.h"

#define SIM_BASE 0x80000000UL
#define NO_PAGE UINT32_MAX
#define NO_FRAME UINT64_MAX

static struct {
	uint64_t frames, now, param;
	uint32_t *page_of;              /* per frame: its page, or NO_PAGE */
	uint8_t *accessed, *dirty, *fresh;
	uint64_t *frame_of;             /* per page: its frame, or NO_FRAME */
	uint8_t *written;               /* per page: ever written (not zeroes any more) */
	uint64_t *next_use;             /* per frame (OPT): the index of its page's next reference */
	struct proc who;
} sim;

/* The address of frame i. */
uint64_t frame_at(uint64_t i)
{
	return i < sim.frames ? SIM_BASE + i * PAGE_SIZE : 0;
}

/* The number of frame pa. */
uint64_t frame_number(uint64_t pa)
{
	return (pa - SIM_BASE) / PAGE_SIZE;
}

/* How many frames there are. */
uint64_t frames_total(void)
{
	return sim.frames;
}

/* Frame pa's owner (0, the one process) and its page's address, or -1 if it is free. */
int frame_owner(uint64_t pa, uint64_t *va)
{
	uint32_t page = sim.page_of[frame_number(pa)];
	*va = (uint64_t)page * PAGE_SIZE;
	return page == NO_PAGE ? -1 : 0;
}

/* Every frame that holds a page may go. */
int victim_candidate(uint64_t pa, struct proc *who, uint64_t *va)
{
	(void)who;
	return frame_owner(pa, va) == 0;
}

/* A frame's bits as SYS_PAGE_BITS reports them, cleared as how says. */
int64_t frame_page_bits(uint64_t pa, int how)
{
	uint64_t i = frame_number(pa);
	if (sim.page_of[i] == NO_PAGE)
		return 0;
	int64_t bits = (int64_t)(PAGE_PRESENT | (sim.accessed[i] ? PAGE_ACCESSED : 0) | (sim.dirty[i] ? PAGE_DIRTY : 0));
	if (how != PAGE_BITS_READ)
		sim.accessed[i] = 0;
	if (how == PAGE_BITS_CLEAR)
		sim.dirty[i] = 0;
	return bits;
}

/* Could the frame go without a write-back? */
int frame_clean(uint64_t pa, int64_t bits)
{
	return sim.fresh[frame_number(pa)] && !(bits & PAGE_DIRTY);
}

/* The bits of every frame that holds a page, in frame order. */
void frames_sample(int how, sample_fn fn, void *ctx)
{
	for (uint64_t i = 0; i < sim.frames; i++)
		if (sim.page_of[i] != NO_PAGE)
			fn(&sim.who, (uint64_t)sim.page_of[i] * PAGE_SIZE, frame_at(i), frame_page_bits(frame_at(i), how), ctx);
}

/* The simulated clock: references so far, in ticks. */
uint64_t pager_ticks(void)
{
	return sim.now;
}

/* The one process uses the policy, with the configured parameter. */
int policy_in_use(const struct evict_ops *ops, uint64_t *least)
{
	(void)ops;
	*least = sim.param;
	return 1;
}

/* Start a run: every frame free, every page out, n_pages pages. */
static void sim_reset(const struct sim_config *cfg, const struct evict_ops *ops, uint64_t n_pages)
{
	free(sim.page_of), free(sim.accessed), free(sim.dirty), free(sim.fresh), free(sim.frame_of), free(sim.written);
	sim.frames = cfg->frames;
	sim.param = cfg->param;
	sim.now = 0;
	sim.page_of = malloc(cfg->frames * sizeof(*sim.page_of));
	sim.accessed = calloc(cfg->frames, 1);
	sim.dirty = calloc(cfg->frames, 1);
	sim.fresh = calloc(cfg->frames, 1);
	sim.frame_of = malloc(n_pages * sizeof(*sim.frame_of));
	sim.written = calloc(n_pages, 1);
	for (uint64_t i = 0; i < cfg->frames; i++)
		sim.page_of[i] = NO_PAGE;
	for (uint64_t p = 0; p < n_pages; p++)
		sim.frame_of[p] = NO_FRAME;
	memset(&sim.who, 0, sizeof(sim.who));
	sim.who.policy.evict = ops;
	sim.who.policy.evict_arg = cfg->param;
}

/* The number of pages refs name (the largest + 1). */
static uint64_t pages_named(const struct sim_ref *refs, uint64_t n)
{
	uint64_t pages = 0;
	for (uint64_t k = 0; k < n; k++)
		pages = refs[k].page + 1UL > pages ? refs[k].page + 1UL : pages;
	return pages;
}

/* Take frame i away from its page: a write-back unless clean. */
static void sim_evict(uint64_t i, const struct evict_ops *ops, struct sim_stats *out)
{
	uint32_t page = sim.page_of[i];
	out->evictions++;
	out->writebacks += !(sim.fresh[i] && !sim.dirty[i]);
	sim.written[page] |= sim.dirty[i];
	if (ops && ops->forgotten)
		ops->forgotten(frame_at(i));
	sim.frame_of[page] = NO_FRAME;
	sim.page_of[i] = NO_PAGE;
}

/* Give page its frame i, as the reference r made it. */
static void sim_load(uint64_t i, const struct sim_ref *r, const struct evict_ops *ops)
{
	sim.page_of[i] = r->page;
	sim.frame_of[r->page] = i;
	sim.fresh[i] = !sim.written[r->page];
	sim.accessed[i] = 1;
	sim.dirty[i] = (uint8_t)r->write;
	if (ops && ops->noted)
		ops->noted(frame_at(i));
}

/* A free frame, or NO_FRAME. */
static uint64_t free_frame(void)
{
	for (uint64_t i = 0; i < sim.frames; i++)
		if (sim.page_of[i] == NO_PAGE)
			return i;
	return NO_FRAME;
}

/* For each reference, the index of the next one to the same page (n: none), into next. */
static void next_uses(const struct sim_ref *refs, uint64_t n, uint64_t pages, uint64_t *next)
{
	uint64_t *seen = malloc(pages * sizeof(*seen));
	for (uint64_t p = 0; p < pages; p++)
		seen[p] = n;
	for (uint64_t k = n; k-- > 0;) {
		next[k] = seen[refs[k].page];
		seen[refs[k].page] = k;
	}
	free(seen);
}

/* The frame whose page is next used farthest ahead (OPT's victim). */
static uint64_t opt_victim(void)
{
	uint64_t best = 0;
	for (uint64_t i = 1; i < sim.frames; i++)
		if (sim.next_use[i] > sim.next_use[best])
			best = i;
	return best;
}

/* One run: under ops, or (ops NULL) under OPT. */
static int run(const struct evict_ops *ops, const struct sim_config *cfg, const struct sim_ref *refs, uint64_t n,
               struct sim_stats *out, uint32_t *victims)
{
	uint64_t evicted = 0, pages = pages_named(refs, n);
	uint64_t *next = ops ? NULL : malloc((n + 1) * sizeof(*next));
	sim_reset(cfg, ops, pages);
	memset(out, 0, sizeof(*out));
	if (next)
		next_uses(refs, n, pages, next);
	free(sim.next_use);
	sim.next_use = calloc(cfg->frames, sizeof(*sim.next_use));
	void *state = ops && ops->frame_bytes ? calloc(cfg->frames, ops->frame_bytes) : NULL;
	if (ops && ops->attach)
		ops->attach(state, cfg->frames);
	for (uint64_t k = 0; k < n; k++) {
		if (cfg->refs_per_tick && k % cfg->refs_per_tick == 0) {
			sim.now = k / cfg->refs_per_tick;
			if (ops && ops->tick)
				ops->tick(sim.now);
		}
		uint64_t i = sim.frame_of[refs[k].page];
		if (i != NO_FRAME) {
			sim.accessed[i] = 1;
			sim.dirty[i] |= (uint8_t)refs[k].write;
			sim.next_use[i] = next ? next[k] : 0;
			continue;
		}
		out->faults++;
		if ((i = free_frame()) == NO_FRAME) {
			uint64_t pa = ops ? ops->victim(&sim.who) : frame_at(opt_victim());
			if (!pa) {
				free(state);
				return -1;
			}
			i = frame_number(pa);
			if (victims)
				victims[evicted++] = sim.page_of[i];
			sim_evict(i, ops, out);
		}
		sim_load(i, &refs[k], ops);
		sim.next_use[i] = next ? next[k] : 0;
	}
	free(state);
	free(next);
	return 0;
}

/* Run refs through policy ops. */
int sim_run(const struct evict_ops *ops, const struct sim_config *cfg, const struct sim_ref *refs, uint64_t n,
            struct sim_stats *out, uint32_t *victims)
{
	return run(ops, cfg, refs, n, out, victims);
}

/* Run refs under Belady's optimal policy. */
int sim_opt(const struct sim_config *cfg, const struct sim_ref *refs, uint64_t n, struct sim_stats *out,
            uint32_t *victims)
{
	return run(NULL, cfg, refs, n, out, victims);
}

/* The replacement policy named name among the pager's table, or NULL. */
const struct evict_ops *sim_policy(const char *name)
{
	for (size_t i = 0; i < evict_policy_count; i++)
		if (!strcmp(evict_policies[i]->name, name))
			return evict_policies[i];
	return NULL;
}
