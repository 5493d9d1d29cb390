/*
 * A host-side stand-in for the pager around one replacement policy
 * (tools/policysim.c): simulated frames with accessed and dirty bits,
 * and the calls a policy makes (victim_candidate, frame_page_bits,
 * frames_sample, pager_ticks, ...), so a policy file from servers/pager/
 * runs unchanged against a reference string. Used by the host policy
 * tests (tests/host/test_policy.c) and the replay tool (tools/replay.c).
 */
#ifndef POLICYSIM_H
#define POLICYSIM_H

#include <stdint.h>
#include "pager.h"

struct sim_ref {
	uint32_t page;                  /* a page number */
	uint32_t write;                 /* 1: a store (sets the dirty bit) */
};

struct sim_stats {
	uint64_t faults;                /* references to a page not in a frame */
	uint64_t evictions;
	uint64_t writebacks;            /* evictions of a page that was not clean */
};

/* How often the simulated pager ticks: one tick every refs_per_tick references (0: never). */
struct sim_config {
	uint64_t frames, param, refs_per_tick;
};

/* Run refs[0..n) through policy ops; the page evicted at each eviction into victims (if not NULL). 0, or -1 if the policy gave no victim. */
int sim_run(const struct evict_ops *ops, const struct sim_config *cfg, const struct sim_ref *refs, uint64_t n,
            struct sim_stats *out, uint32_t *victims);
/* The same under Belady's optimal policy (the page used farthest in the future goes). */
int sim_opt(const struct sim_config *cfg, const struct sim_ref *refs, uint64_t n, struct sim_stats *out,
            uint32_t *victims);
/* The replacement policy named name, or NULL. */
const struct evict_ops *sim_policy(const char *name);

#endif
