/* Helpers for the benchmark programs; see bench.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "sys.h"
#include "user.h"
#include "abi/pager.h"

#define NS_PER_SEC 1000000000UL
#define TIMEBASE_HZ 10000000UL          /* QEMU virt's time counter */
#define PROBE_ROUNDS 1000               /* iterations of the probe loop, two instructions each */
#define PROBE_EXTRA 2                   /* the rdinstret and rdcycle read after the start */
#define PROBE_TRIES 3                   /* an interrupt inside the loop spoils one try; all but one must be exact */
#define NOT_ICOUNT_LABEL "cycles (not instructions: run under make bench for instruction counts)"

/* The pager's counters for process pid (0: all); zeroes if it does not answer. */
struct pager_stats bench_stats(int pid)
{
	struct pager_stats s;
	pager_stats(pid, &s);
	return s;
}

/* Nanoseconds from the time counter. */
uint64_t bench_ns(void)
{
	uint64_t t;
	asm volatile("rdtime %0" : "=r"(t));
	return t * (NS_PER_SEC / TIMEBASE_HZ);
}

/*
 * The cycles since `start_idle` (bench_idle_mark) that the CPU spent
 * waiting in wfi, to subtract from a cycle count: under -icount shift=0
 * the counter also runs while the CPU idles (one cycle a nanosecond of
 * virtual time), so a benchmark that waits for the disk subtracts its
 * idle time to count the instructions it ran. Not counting instructions,
 * nothing is subtracted.
 */
uint64_t bench_idle_cycles(uint64_t start_idle)
{
	if (!bench_counts_instructions())
		return 0;
	return (bench_idle_mark() - start_idle) * (NS_PER_SEC / TIMEBASE_HZ);
}

/* The kernel's count of idle time so far (KSTAT_IDLE_TICKS), for bench_idle_cycles. */
uint64_t bench_idle_mark(void)
{
	long ticks = sys_kstat(KSTAT_IDLE_TICKS);
	return ticks > 0 ? (uint64_t)ticks : 0;
}

/*
 * Whether the cycle counter counts instructions. Under -icount shift=0
 * QEMU makes rdcycle and rdinstret both read its instruction count, so
 * over the probe loop both advance by exactly the instructions retired;
 * without icount both read the host's time-stamp counter, which advances
 * by some other amount. Checked once per process.
 */
int bench_counts_instructions(void)
{
	static int known = -1;
	if (known >= 0)
		return known;
	int exact = 0;
	for (int try = 0; try < PROBE_TRIES; try++) {
		uint64_t n = PROBE_ROUNDS, c0, c1, i0, i1;
		asm volatile("rdcycle %0\n\trdinstret %2\n"
			     "1:\taddi %4, %4, -1\n\tbnez %4, 1b\n"
			     "\trdcycle %1\n\trdinstret %3"
			     : "=&r"(c0), "=&r"(c1), "=&r"(i0), "=&r"(i1), "+r"(n));
		exact += c1 - c0 == 2 * PROBE_ROUNDS + PROBE_EXTRA && i1 - i0 == c1 - c0;
	}
	known = exact >= PROBE_TRIES - 1;    /* a host clock matches the count once by chance, not twice */
	return known;
}

/* Run this process under policy spec; exit if the pager refuses. */
void bench_policy(const char *spec)
{
	char reply[PAGE_SIZE];
	struct msg m = msg_make(PAGER_POLICY_SET, (uint64_t)getpid(), 0, 0, 0);
	m.tag = TAG(PAGER_POLICY_SET, strlen(spec) + 1);
	if (ipc_call(libsys_pager_tid, &m, spec, reply, sizeof(reply)) < 0 || (long)m.w[0] < 0) {
		printf("bench: unknown policy %s\n", spec);
		exit(2);
	}
}

/* The policy this process runs under, into buf. */
const char *bench_policy_name(char *buf, uint64_t size)
{
	struct msg m = msg_make(PAGER_POLICY_GET, (uint64_t)getpid(), 0, 0, 0);
	buf[0] = '\0';
	ipc_call(libsys_pager_tid, &m, NULL, buf, size);
	return buf;
}

/* The line tools/bench.py reads: @@ BENCH name policy parameter count ns. */
static void bench_line(const char *name, const char *policy, uint64_t parameter, unsigned long count,
                       unsigned long ns)
{
	printf("@@ BENCH %s %s %lu %lu %lu\n", name, policy, (unsigned long)parameter, count, ns);
}

/*
 * Print one result, per operation: first for people, naming the count
 * "instructions" only if the cycle counter counts them, then the
 * @@ BENCH line tools/bench.py reads (its fields are the same either way).
 * Under icount the nanoseconds are virtual time, one per instruction.
 */
void bench_report(const char *name, uint64_t parameter, uint64_t cycles, uint64_t ns, uint64_t ops)
{
	char policy[POLICY_SPEC_MAX];
	unsigned long count = (unsigned long)(cycles / ops), per_ns = (unsigned long)(ns / ops);
	bench_policy_name(policy, sizeof(policy));
	if (bench_counts_instructions())
		printf("%s %s %lu: %lu instructions per operation\n", name, policy,
		       (unsigned long)parameter, count);
	else
		printf("%s %s %lu: %lu %s, %lu ns per operation\n", name, policy,
		       (unsigned long)parameter, count, NOT_ICOUNT_LABEL, per_ns);
	bench_line(name, policy, parameter, count, per_ns);
}

/* Print a count per operation (or in all, for one) that is not a time (what of, e.g. "sfence.vma"), and its @@ BENCH line. */
void bench_report_count(const char *name, uint64_t parameter, const char *what, uint64_t total, uint64_t ops)
{
	char policy[POLICY_SPEC_MAX];
	bench_policy_name(policy, sizeof(policy));
	printf("%s %s %lu: %lu %s %s\n", name, policy, (unsigned long)parameter,
	       (unsigned long)(total / ops), what, ops > 1 ? "per operation" : "in all");
	bench_line(name, policy, parameter, (unsigned long)(total / ops), 0);
}

/* Argument i as a number, or dflt. */
long bench_arg(int argc, char **argv, int i, long dflt)
{
	return i < argc ? atol(argv[i]) : dflt;
}
