/*
 * Host test for the replacement policies (servers/pager/policy_*.c),
 * each linked unchanged against the simulated pager of tools/policysim.c
 * (stub page bits, no unmap but the simulator's). Each policy's victims
 * on recorded reference strings are checked against a model written
 * here from the algorithm's definition (FIFO, clock, enhanced clock,
 * aging, WSClock); random is checked for drawing only pages in frames,
 * repeatably, and all of them in time; OPT is the floor of them all; and
 * FIFO shows Belady's anomaly on its classic string. Prints one
 * "@@ PASS host/policy_<name>" or "@@ FAIL ..." line per check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "policysim.h"
#include "workload.h"

#define REFS 3000                       /* references in a random string */
#define PAGES 12                        /* pages it names */
#define WRITE_ONE_IN 4                  /* one reference in this many is a store */
#define HOT_PAGES 4                     /* of them, a hot set... */
#define HOT_ONE_IN 4                    /* ... that three references in four go to */
#define TICK_REFS 16                    /* references between the simulated pager's ticks */
#define MODEL_MAX 64                    /* most frames and pages a model tracks */
#define AGE_TOP 0x80
#define SEED 0x2545f4914f6cdd1dULL
#define NONE UINT32_MAX

static const int frame_counts[] = { 3, 4, 6 };
#define FRAME_COUNTS (sizeof(frame_counts) / sizeof(frame_counts[0]))

/* The state every model keeps: pages in frames in the order they came, their bits, a hand. */
struct model {
	uint32_t ring[MODEL_MAX];               /* resident pages, oldest first */
	int n, frames, hand;                    /* hand: index of the next page to look at */
	uint8_t a[MODEL_MAX], d[MODEL_MAX], written[MODEL_MAX], fresh[MODEL_MAX];
	uint32_t age[MODEL_MAX], last[MODEL_MAX];
	uint64_t now, tau;
};

/* A reference string with a hot set, some stores (the workloads' xorshift, include/workload.h). */
static void make_refs(struct sim_ref *refs, uint64_t n)
{
	struct workload gen = { .rng = SEED };
	for (uint64_t k = 0; k < n; k++) {
		refs[k].page = (uint32_t)(workload_rnd(&gen) % HOT_ONE_IN ? workload_rnd(&gen) % HOT_PAGES
		                                                       : workload_rnd(&gen) % PAGES);
		refs[k].write = workload_rnd(&gen) % WRITE_ONE_IN == 0;
	}
}

/* Where page p is in the model's ring, or -1. */
static int find(const struct model *m, uint32_t p)
{
	for (int i = 0; i < m->n; i++)
		if (m->ring[i] == p)
			return i;
	return -1;
}

/* Take ring[j] out; the hand keeps pointing at the page after the one it looked at last. */
static uint32_t take(struct model *m, int j)
{
	uint32_t p = m->ring[j];
	m->written[p] |= m->d[p];
	memmove(&m->ring[j], &m->ring[j + 1], (size_t)(m->n - j - 1) * sizeof(m->ring[0]));
	m->n--;
	if (m->hand > j)
		m->hand--;
	if (m->hand >= m->n)
		m->hand = 0;
	return p;
}

/* The hand's page, moving the hand on. */
static int step(struct model *m)
{
	int j = m->hand;
	m->hand = (j + 1) % m->n;
	return j;
}

/* FIFO: the oldest. */
static int fifo_model(struct model *m)
{
	(void)m;
	return 0;
}

/* Clock: second chance. */
static int clock_model(struct model *m)
{
	for (;;) {
		int j = step(m);
		if (!m->a[m->ring[j]])
			return j;
		m->a[m->ring[j]] = 0;
	}
}

/* Is page p clean: never written before it came, dirty bit clear? */
static int clean(const struct model *m, uint32_t p)
{
	return m->fresh[p] && !m->d[p];
}

/* Enhanced clock: (not accessed, clean), then (not accessed, any) clearing A, twice. */
static int eclock_model(struct model *m)
{
	for (int turn = 0; turn < 4; turn++)
		for (int k = 0; k <= m->n; k++) {
			int j = step(m);
			uint32_t p = m->ring[j];
			int was = m->a[p];
			if (turn % 2)
				m->a[p] = 0;
			if (!was && (turn % 2 || clean(m, p)))
				return j;
		}
	return -1;
}

/* Aging: the least counter, the oldest among equals. */
static int aging_model(struct model *m)
{
	int best = 0;
	for (int j = 1; j < m->n; j++)
		if (m->age[m->ring[j]] < m->age[m->ring[best]])
			best = j;
	return best;
}

/* WSClock: a clean page unused for more than tau, else the first old dirty one, else the one unused longest (its scan limit is more than MODEL_MAX). */
static int wsclock_model(struct model *m)
{
	int old_dirty = -1, oldest = -1;
	uint32_t now = (uint32_t)m->now;
	for (int k = 0; k <= m->n; k++) {
		int j = step(m);
		uint32_t p = m->ring[j];
		if (m->a[p])
			m->last[p] = now;
		else if (now - m->last[p] > m->tau && clean(m, p))
			return j;
		else if (now - m->last[p] > m->tau && old_dirty < 0)
			old_dirty = j;
		m->a[p] = 0;
		if (oldest < 0 || now - m->last[p] > now - m->last[m->ring[oldest]])
			oldest = j;
	}
	return old_dirty >= 0 ? old_dirty : oldest;
}

/* NRU: the oldest page of the lowest class (accessed, not clean), looking from the oldest until a class-0 page; A cleared on the way. */
static int nru_model(struct model *m)
{
	int best = -1, best_class = 4;
	for (int j = 0; j < m->n && best_class; j++) {
		uint32_t p = m->ring[j];
		int class = (m->a[p] ? 2 : 0) + !clean(m, p);
		m->a[p] = 0;
		if (class < best_class) {
			best = j;
			best_class = class;
		}
	}
	return best;
}

/* The aging model's tick: shift every counter, add the accessed bits, clear them. */
static void aging_tick(struct model *m)
{
	for (int j = 0; j < m->n; j++) {
		uint32_t p = m->ring[j];
		m->age[p] = (m->age[p] >> 1) | (m->a[p] ? AGE_TOP : 0);
		m->a[p] = 0;
	}
}

typedef int (*model_fn)(struct model *m);

/* Run a model over refs with `frames` frames; the victims into out; how many. */
static uint64_t run_model(model_fn fn, int aging, uint64_t tau, int frames, const struct sim_ref *refs, uint64_t n,
                          uint32_t *out)
{
	struct model m = { .frames = frames, .tau = tau };
	uint64_t victims = 0;
	for (uint64_t k = 0; k < n; k++) {
		if (k % TICK_REFS == 0) {
			m.now = k / TICK_REFS;
			if (aging && m.now >= 1)
				aging_tick(&m);
		}
		uint32_t p = refs[k].page;
		if (find(&m, p) >= 0) {
			m.a[p] = 1;
			m.d[p] |= (uint8_t)refs[k].write;
			continue;
		}
		if (m.n == frames) {
			int j = fn(&m);
			if (j < 0)
				return victims;
			out[victims++] = take(&m, j);
		}
		m.ring[m.n++] = p;
		m.a[p] = 1;
		m.d[p] = (uint8_t)refs[k].write;
		m.fresh[p] = !m.written[p];
		m.age[p] = AGE_TOP;
		m.last[p] = (uint32_t)m.now;
	}
	return victims;
}

/* Does policy `name` evict what its model does, at every frame count? */
static int matches_model(const char *name, model_fn fn, int aging, uint64_t param, const struct sim_ref *refs,
                         uint64_t n)
{
	static uint32_t want[REFS], got[REFS];
	for (size_t f = 0; f < FRAME_COUNTS; f++) {
		struct sim_config cfg = { (uint64_t)frame_counts[f], param, TICK_REFS };
		struct sim_stats st;
		memset(got, 0xff, sizeof(got));
		uint64_t nwant = run_model(fn, aging, param, frame_counts[f], refs, n, want);
		if (sim_run(sim_policy(name), &cfg, refs, n, &st, got) || st.evictions != nwant)
			return printf("# %s, %d frames: %lu evictions, the model %lu\n", name, frame_counts[f],
			              (unsigned long)st.evictions, (unsigned long)nwant), 0;
		for (uint64_t v = 0; v < nwant; v++)
			if (want[v] != got[v])
				return printf("# %s, %d frames: eviction %lu took page %u, the model %u\n", name,
				              frame_counts[f], (unsigned long)v, got[v], want[v]), 0;
	}
	return 1;
}

/* Belady's anomaly: FIFO takes more faults with 4 frames than with 3 on 1 2 3 4 1 2 5 1 2 3 4 5. */
static void test_belady_anomaly(void)
{
	static const uint32_t string[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };
	struct sim_ref refs[sizeof(string) / sizeof(string[0])];
	for (size_t k = 0; k < sizeof(refs) / sizeof(refs[0]); k++)
		refs[k] = (struct sim_ref){ string[k], 0 };
	struct sim_config three = { 3, 0, 0 }, four = { 4, 0, 0 };
	struct sim_stats s3, s4, o3, o4;
	sim_run(sim_policy("fifo"), &three, refs, 12, &s3, NULL);
	sim_run(sim_policy("fifo"), &four, refs, 12, &s4, NULL);
	sim_opt(&three, refs, 12, &o3, NULL);
	sim_opt(&four, refs, 12, &o4, NULL);
	CHECK("policy_belady_anomaly", s3.faults == 9 && s4.faults == 10 && o3.faults == 7 && o4.faults == 6);
}

/* OPT takes no more faults than any policy, on the random string at every frame count. */
static void test_opt_is_floor(const struct sim_ref *refs, uint64_t n)
{
	int ok = 1;
	for (size_t f = 0; f < FRAME_COUNTS; f++) {
		struct sim_config cfg = { (uint64_t)frame_counts[f], 1, TICK_REFS };
		struct sim_stats opt, st;
		sim_opt(&cfg, refs, n, &opt, NULL);
		for (size_t i = 1; i < evict_policy_count; i++) {       /* none (first) never evicts */
			cfg.param = evict_policies[i]->param ? evict_policies[i]->param->dflt : 0;
			ok &= sim_run(evict_policies[i], &cfg, refs, n, &st, NULL) == 0 && st.faults >= opt.faults;
		}
	}
	CHECK("policy_opt_is_floor", ok);
}

/* Random: only pages in frames, the same victims on a second run, every page drawn in time. */
static void test_random(const struct sim_ref *refs, uint64_t n)
{
	static uint32_t first[REFS], second[REFS];
	struct sim_config cfg = { 3, 0, 0 };
	struct sim_stats a, b;
	uint8_t drawn[PAGES] = { 0 };
	int ok = sim_run(sim_policy("random"), &cfg, refs, n, &a, first) == 0;
	ok &= sim_run(sim_policy("random"), &cfg, refs, n, &b, second) == 0;
	ok &= a.evictions == b.evictions && !memcmp(first, second, a.evictions * sizeof(first[0]));
	for (uint64_t v = 0; v < a.evictions; v++)
		ok &= first[v] < PAGES && (drawn[first[v]] = 1);
	for (int p = 0; p < PAGES; p++)
		ok &= drawn[p];
	CHECK("policy_random", ok);
}

/* None never offers a victim: the run stops at the first full memory. */
static void test_none(const struct sim_ref *refs, uint64_t n)
{
	struct sim_config cfg = { 3, 0, 0 };
	struct sim_stats st;
	CHECK("policy_none", sim_run(sim_policy("none"), &cfg, refs, n, &st, NULL) == -1);
}

/* Each policy against its model, then the properties. */
int main(void)
{
	static struct sim_ref refs[REFS];
	make_refs(refs, REFS);
	CHECK("policy_fifo_model", matches_model("fifo", fifo_model, 0, 0, refs, REFS));
	CHECK("policy_clock_model", matches_model("clock", clock_model, 0, 0, refs, REFS));
	CHECK("policy_eclock_model", matches_model("eclock", eclock_model, 0, 0, refs, REFS));
	CHECK("policy_aging_model", matches_model("aging", aging_model, 1, 1, refs, REFS));
	CHECK("policy_wsclock_model", matches_model("wsclock", wsclock_model, 0, 3, refs, REFS));
	CHECK("policy_nru_model", matches_model("nru", nru_model, 0, 0, refs, REFS));
	test_belady_anomaly();
	test_opt_is_floor(refs, REFS);
	test_random(refs, REFS);
	test_none(refs, REFS);
	return check_summary();
}
