/*
 * replay: a page-reference trace against every replacement policy and
 * Belady's optimal one (OPT, computable offline), at several frame
 * counts, printing faults and write-backs per policy.
 *
 *   replay [--csv] [--frames N,N,...] TRACE
 *   replay [--csv] [--frames N,N,...] --workload NAME PAGES REFS
 *
 * TRACE is what the pager records (pagerctl record, docs/POLICIES.md):
 * one line per event, "F VA W" for a fault at page VA (W 1 for a store)
 * and "S VA BITS" for an accessed-bit sample (PAGE_ACCESSED 2, PAGE_DIRTY
 * 4); each becomes a reference (a sample only if the page was accessed),
 * in order; lines starting with '#' are comments. A workload is one of
 * the reference workloads of make bench, built the same way (scan, loop,
 * hotcold, random: include/workload.h), over PAGES pages (scan: WORKLOAD_SCAN_SPAN times as many).
 *
 * The policies run unchanged (servers/pager/policy_*.c) in the simulated
 * pager of tools/policysim.c, one tick every REPLAY_TICK_REFS references.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "policysim.h"
#include "workload.h"

#define REPLAY_TICK_REFS 64           /* references between ticks (the pager's timer) */
#define MAX_FRAME_COUNTS 8
#define LINE_MAX_BYTES 128

static struct sim_ref *refs;
static uint64_t nrefs, cap;
static uint64_t *vas, nvas;            /* page numbers, each page's address once */

/* Append one reference. */
static void add_ref(uint32_t page, int write)
{
	if (nrefs == cap) {
		cap = cap ? cap * 2 : 1024;
		refs = realloc(refs, cap * sizeof(*refs));
	}
	refs[nrefs++] = (struct sim_ref){ page, (uint32_t)write };
}

/* The page number of address va (a new one the first time). */
static uint32_t page_of(uint64_t va)
{
	for (uint64_t i = 0; i < nvas; i++)
		if (vas[i] == va)
			return (uint32_t)i;
	vas = realloc(vas, (nvas + 1) * sizeof(*vas));
	vas[nvas] = va;
	return (uint32_t)nvas++;
}

/* Read a trace file; 0, or -1 with a message naming the bad line. */
static int read_trace(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[LINE_MAX_BYTES], kind;
	unsigned long long va, arg;
	if (!f)
		return fprintf(stderr, "replay: cannot open %s\n", path), -1;
	for (int n = 1; fgets(line, sizeof(line), f); n++) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%c %llx %llu", &kind, &va, &arg) != 3 || (kind != 'F' && kind != 'S')) {
			fprintf(stderr, "replay: %s:%d: not 'F VA W' or 'S VA BITS': %s", path, n, line);
			fclose(f);
			return -1;
		}
		if (kind == 'F')
			add_ref(page_of(va), arg != 0);
		else if (arg & PAGE_ACCESSED)
			add_ref(page_of(va), (arg & PAGE_DIRTY) != 0);
	}
	fclose(f);
	return 0;
}

/* Build workload name over pages pages, n references (include/workload.h); 0 or -1 if unknown. */
static int make_workload(const char *name, uint64_t pages, uint64_t n)
{
	struct workload w;
	if (workload_start(&w, name, pages))
		return fprintf(stderr, "replay: unknown workload '%s'; choices: " WORKLOAD_NAMES "\n", name), -1;
	for (uint64_t k = 0; k < n; k++) {
		int write;
		uint64_t p = workload_next(&w, &write);
		add_ref((uint32_t)p, write);
	}
	return 0;
}

static int parse_frames(const char *s, uint64_t *counts)
{
	int n = 0;
	for (char *end; *s && n < MAX_FRAME_COUNTS; s = *end ? end + 1 : end) {
		counts[n++] = strtoull(s, &end, 10);
		if (end == s || (*end && *end != ',') || !counts[n - 1])
			return -1;
	}
	return n;
}

/* One row: a policy (NULL: OPT) at frames frames. */
static void row(const struct evict_ops *ops, uint64_t frames, int csv)
{
	struct sim_config cfg = { frames, ops && ops->param ? ops->param->dflt : 0, REPLAY_TICK_REFS };
	struct sim_stats st;
	const char *name = ops ? ops->name : "opt";
	if ((ops ? sim_run(ops, &cfg, refs, nrefs, &st, NULL) : sim_opt(&cfg, refs, nrefs, &st, NULL)) < 0)
		printf(csv ? "%s,%lu,,\n" : "%-8s %8lu %10s %12s\n", name, (unsigned long)frames, "-", "-");
	else
		printf(csv ? "%s,%lu,%lu,%lu\n" : "%-8s %8lu %10lu %12lu\n", name, (unsigned long)frames,
		       (unsigned long)st.faults, (unsigned long)st.writebacks);
}

/* Print usage and fail. */
static int usage(void)
{
	fprintf(stderr, "usage: replay [--csv] [--frames N,N,...] TRACE\n"
	                "       replay [--csv] [--frames N,N,...] --workload scan|loop|hotcold|random PAGES REFS\n");
	return 2;
}

/* Read the trace or build the workload, then every policy and OPT at each frame count. */
int main(int argc, char **argv)
{
	uint64_t counts[MAX_FRAME_COUNTS] = { 0 };
	int ncounts = 0, csv = 0, i = 1;
	for (; i < argc && !strncmp(argv[i], "--", 2) && strcmp(argv[i], "--workload"); i++) {
		if (!strcmp(argv[i], "--csv"))
			csv = 1;
		else if (!strcmp(argv[i], "--frames") && i + 1 < argc && (ncounts = parse_frames(argv[++i], counts)) > 0)
			continue;
		else
			return usage();
	}
	if (i < argc && !strcmp(argv[i], "--workload")) {
		if (argc - i != 4 || make_workload(argv[i + 1], strtoull(argv[i + 2], NULL, 10),
		                                   strtoull(argv[i + 3], NULL, 10)))
			return usage();
	} else if (argc - i != 1 || read_trace(argv[i])) {
		return usage();
	}
	uint64_t pages = 0;
	for (uint64_t k = 0; k < nrefs; k++)
		pages = refs[k].page + 1UL > pages ? refs[k].page + 1UL : pages;
	if (!ncounts) {                   /* a quarter, a half and nine tenths of the pages */
		counts[0] = pages / 4 ? pages / 4 : 1;
		counts[1] = pages / 2 ? pages / 2 : 1;
		counts[2] = pages * 9 / 10 ? pages * 9 / 10 : 1;
		ncounts = 3;
	}
	printf(csv ? "policy,frames,faults,writebacks\n" : "%lu references to %lu pages\n%-8s %8s %10s %12s\n",
	       (unsigned long)nrefs, (unsigned long)pages, "policy", "frames", "faults", "write-backs");
	for (int c = 0; c < ncounts; c++) {
		for (size_t p = 1; p < evict_policy_count; p++)      /* none (first) never evicts */
			row(evict_policies[p], counts[c], csv);
		row(NULL, counts[c], csv);
	}
	return 0;
}
