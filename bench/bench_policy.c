/*
 * The policy lab's benchmark (docs/POLICIES.md, "Workloads"): one
 * reference workload of include/workload.h played on a real heap, under
 * one replacement policy with the process held to FRAMES frames (scope
 * local:FRAMES: it evicts its own pages). Arguments: ALLOC,FORK,EVICT,
 * FRAMES, WORKLOAD, PAGES, REFS. Reports, per reference, the instructions
 * (policy_WORKLOAD: the cycle count less the time the CPU idled waiting
 * for the swap disk, bench_idle_cycles), and for the whole run the page faults, swap-ins and
 * write-backs the pager counted for this process (policy_WORKLOAD_faults,
 * _swapins, _writebacks), each with the frame cap as its parameter.
 *
 * WORKLOAD may also be forkmix, a build-like mix: the process plays
 * hotcold, and every FORKMIX_EVERY references forks a child that plays
 * FORKMIX_CHILD_REFS more of the same string (its stores copy pages
 * copy-on-write) and exits; the counts are then the whole system's and
 * the references both sides'.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "sys.h"
#include "user.h"
#include "workload.h"
#include "abi/pager.h"

#define SPEC_MAX 96
#define NAME_MAX_BYTES 48
#define FORKMIX "forkmix"
#define FORKMIX_EVERY 256               /* references between forks */
#define FORKMIX_CHILD_REFS 128          /* references each child makes */

/* Play n references of w on heap. */
static void play(struct workload *w, char *heap, uint64_t n)
{
	static volatile char sink;          /* volatile: every load happens */
	for (uint64_t k = 0; k < n; k++) {
		int write;
		char *page = heap + workload_next(w, &write) * PAGE_SIZE;
		if (write)
			*page = (char)k;
		else
			sink += *page;
	}
}

/* The fork-heavy mix over refs references in all; how many references were made. */
static uint64_t play_forkmix(struct workload *w, char *heap, uint64_t refs)
{
	uint64_t made = 0;
	while (made < refs) {
		play(w, heap, FORKMIX_EVERY);
		made += FORKMIX_EVERY;
		int pid = fork();
		if (pid == 0) {
			play(w, heap, FORKMIX_CHILD_REFS);
			exit(0);
		}
		if (pid > 0) {
			wait(0);
			made += FORKMIX_CHILD_REFS;
		}
	}
	return made;
}

/* Print one count of the run as its own @@ BENCH line. */
static void report_count(const char *workload, const char *what, uint64_t frames, uint64_t count)
{
	char name[NAME_MAX_BYTES];
	snprintf(name, sizeof(name), "policy_%s_%s", workload, what);
	bench_report_count(name, frames, what, count, 1);
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		printf("usage: bench_policy ALLOC,FORK,EVICT FRAMES WORKLOAD PAGES REFS\n");
		return 2;
	}
	uint64_t frames = (uint64_t)atol(argv[2]), pages = (uint64_t)atol(argv[4]), refs = (uint64_t)atol(argv[5]);
	struct workload w;
	int forkmix = !strcmp(argv[3], FORKMIX);
	if (workload_start(&w, forkmix ? "hotcold" : argv[3], pages) || !pages || !refs) {
		printf("bench_policy: unknown workload %s or no pages; choices: " WORKLOAD_NAMES " " FORKMIX "\n",
		       argv[3]);
		return 2;
	}
	char spec[SPEC_MAX], name[NAME_MAX_BYTES];
	snprintf(spec, sizeof(spec), "%s,local:%lu", argv[1], (unsigned long)frames);
	bench_policy(spec);
	char *heap = sbrk((int)(workload_span(&w) * PAGE_SIZE));
	if (heap == (char *)-1)
		return 1;
	int whose = forkmix ? 0 : getpid();  /* the mix's children count too: the whole system's */
	struct pager_stats before = bench_stats(whose);
	uint64_t idle = bench_idle_mark(), c = bench_cycles(), t = bench_ns(), made = refs;
	if (forkmix)
		made = play_forkmix(&w, heap, refs);
	else
		play(&w, heap, refs);
	c = bench_cycles() - c - bench_idle_cycles(idle), t = bench_ns() - t;
	struct pager_stats after = bench_stats(whose);
	snprintf(name, sizeof(name), "policy_%s", argv[3]);
	bench_report(name, frames, c, t, made);
	report_count(argv[3], "faults", frames, after.faults - before.faults);
	report_count(argv[3], "swapins", frames, after.swap_ins - before.swap_ins);
	report_count(argv[3], "writebacks", frames, after.writebacks - before.writebacks);
	return 0;
}
