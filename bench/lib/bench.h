/*
 * Helpers for the benchmark programs (bench/bench_*.c). Each measures one
 * operation many times and prints one line per result:
 *
 *   @@ BENCH <benchmark> <policy> <parameter> <instructions> <wall_ns>
 *
 * per operation. Under `qemu -icount shift=0` the cycle counter counts
 * guest instructions (kernel and user), so <instructions> is exact and
 * repeatable; without icount it is meaningless and <wall_ns> is the
 * figure to read. tools/bench.py runs both and merges them.
 *
 * Before that line bench_report prints the same figures for a person, with
 * the count named for what it is: "instructions" when a known loop shows
 * the cycle counter counting instructions, else "cycles (not instructions:
 * ...)", as in a run by hand from the shell.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include "abi/pager.h"

/* The cycle counter (instructions under -icount shift=0). */
static inline uint64_t bench_cycles(void)
{
	uint64_t c;
	asm volatile("rdcycle %0" : "=r"(c));
	return c;
}

/* The pager's counters for process pid (0: all); zeroes if it does not answer. */
struct pager_stats bench_stats(int pid);

/* Nanoseconds from the time counter. */
uint64_t bench_ns(void);

/* 1 if the cycle counter counts instructions (QEMU -icount shift=0), else 0. */
int bench_counts_instructions(void);

/* Run this process under policy spec ("lazy,cow,none"); exits if the pager refuses. */
void bench_policy(const char *spec);

/* The policy this process runs under, into buf. */
const char *bench_policy_name(char *buf, uint64_t size);

/* Print one result, per operation over ops operations: a line for people and the @@ BENCH line. */
void bench_report(const char *name, uint64_t parameter, uint64_t cycles, uint64_t ns, uint64_t ops);
uint64_t bench_idle_mark(void);
uint64_t bench_idle_cycles(uint64_t start_idle);   /* idle cycles since the mark, under icount */
void bench_report_count(const char *name, uint64_t parameter, const char *what, uint64_t total, uint64_t ops);

/* Argument i as a number, or a default. */
long bench_arg(int argc, char **argv, int i, long dflt);

#endif
