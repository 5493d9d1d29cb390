/*
 * The policy lab's reference workloads: one page-reference string per
 * workload, built the same way on the host (tools/replay.c, which also
 * replays it against Belady's OPT) and in the guest (bench/bench_policy.c,
 * which touches a real heap with it), so the two can be compared page for
 * page.
 *
 *   scan     a sequential pass over WORKLOAD_SCAN_SPAN x PAGES pages, again
 *            and again: no page is used twice within a pass
 *   loop     a loop over PAGES pages: where LRU fails when PAGES is just
 *            more than memory
 *   hotcold  9 references in 10 go to the first tenth of the pages
 *   random   uniformly random pages
 *
 * One reference in WORKLOAD_WRITE_ONE_IN is a store.
 */
#ifndef WORKLOAD_H
#define WORKLOAD_H

#include <stdint.h>
#include <string.h>

#define WORKLOAD_SEED 0x9e3779b97f4a7c15ULL
#define WORKLOAD_HOT_SHARE 10           /* hotcold: 1/10 of the pages are hot... */
#define WORKLOAD_HOT_ONE_IN 10          /* ... and take 9 references in 10 */
#define WORKLOAD_WRITE_ONE_IN 2         /* one reference in 2 is a store */
#define WORKLOAD_SCAN_SPAN 5            /* scan: passes over 5 x PAGES pages */
#define WORKLOAD_NAMES "scan loop hotcold random"

enum workload_kind { WORKLOAD_SCAN, WORKLOAD_LOOP, WORKLOAD_HOTCOLD, WORKLOAD_RANDOM };

struct workload {
	enum workload_kind kind;
	uint64_t pages, hot, k, rng;
};

/* Start workload name over pages pages; 0, or -1 if there is no such workload. */
static inline int workload_start(struct workload *w, const char *name, uint64_t pages)
{
	static const char *const names[] = { "scan", "loop", "hotcold", "random" };
	for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++)
		if (!strcmp(name, names[i])) {
			w->kind = (enum workload_kind)i;
			w->pages = pages;
			w->hot = pages / WORKLOAD_HOT_SHARE ? pages / WORKLOAD_HOT_SHARE : 1;
			w->k = 0;
			w->rng = WORKLOAD_SEED;
			return 0;
		}
	return -1;
}

/* The pages the workload spans (scan: more than PAGES). */
static inline uint64_t workload_span(const struct workload *w)
{
	return w->kind == WORKLOAD_SCAN ? w->pages * WORKLOAD_SCAN_SPAN : w->pages;
}

/* The workload's random numbers: xorshift64. */
static inline uint64_t workload_rnd(struct workload *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

/* The next reference: its page number (below workload_span), and whether it is a store. */
static inline uint64_t workload_next(struct workload *w, int *write)
{
	uint64_t p, k = w->k++;
	switch (w->kind) {
	case WORKLOAD_SCAN: p = k % workload_span(w); break;
	case WORKLOAD_LOOP: p = k % w->pages; break;
	case WORKLOAD_HOTCOLD:
		p = workload_rnd(w) % WORKLOAD_HOT_ONE_IN ? workload_rnd(w) % w->hot
		                                          : w->hot + workload_rnd(w) % (w->pages - w->hot);
		break;
	default: p = workload_rnd(w) % w->pages; break;
	}
	*write = workload_rnd(w) % WORKLOAD_WRITE_ONE_IN == 0;
	return p;
}

#endif
