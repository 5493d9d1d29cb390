/*
 * Helpers for the benchmark programs (apps/bench_*.c). Each measures one
 * operation many times and prints one line per result:
 *
 *   @@ BENCH <benchmark> <policy> <parameter> <instructions> <wall_ns>
 *
 * per operation. Under `qemu -icount shift=0` the cycle counter counts
 * guest instructions (kernel and user), so <instructions> is exact and
 * repeatable; without icount it is meaningless and <wall_ns> is the
 * figure to read. tools/bench.py runs both and merges them.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>

/* The cycle counter (instructions under -icount shift=0). */
static inline uint64_t bench_cycles(void)
{
	uint64_t c;
	asm volatile("rdcycle %0" : "=r"(c));
	return c;
}

/* Nanoseconds from the time counter. */
uint64_t bench_ns(void);

/* Run this process under policy spec ("lazy,cow,none"); exits if the pager refuses. */
void bench_policy(const char *spec);

/* The policy this process runs under, into buf. */
const char *bench_policy_name(char *buf, uint64_t size);

/* Print one result: per-operation instructions and nanoseconds over ops operations. */
void bench_report(const char *name, uint64_t parameter, uint64_t cycles, uint64_t ns, uint64_t ops);

/* Argument i as a number, or a default. */
long bench_arg(int argc, char **argv, int i, long dflt);

#endif
