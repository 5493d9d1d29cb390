/*
 * Benchmark swap_in: fault a page back from the swap disk, per page.
 * Fills twice the pager's frame limit (boot with pager.frames=N), then
 * reads it all again and divides by the swap-ins that took. Under icount
 * the time the CPU idled waiting for the disk is taken off the cycle count
 * (bench_idle_cycles), so what is left is the instructions that ran.
 * Argument: policy (fifo or clock replacement).
 */
#include <string.h>
#include "bench.h"
#include "sys.h"
#include "user.h"
#include "abi/pager.h"

#define FACTOR 2

int main(int argc, char **argv)
{
	bench_policy(argc > 1 ? argv[1] : "lazy,cow,clock");
	uint64_t pages = FACTOR * bench_stats(0).frames_total;
	char *heap = sbrk((int)(pages * PAGE_SIZE));
	if (heap == (char *)-1)
		return 1;
	for (uint64_t i = 0; i < pages; i++)
		heap[i * PAGE_SIZE] = 1;
	uint64_t before = bench_stats(getpid()).swap_ins;
	volatile char sink = 0;
	uint64_t idle = bench_idle_mark(), c = bench_cycles(), t = bench_ns();
	for (uint64_t i = 0; i < pages; i++)
		sink += heap[i * PAGE_SIZE];
	c = bench_cycles() - c - bench_idle_cycles(idle);
	uint64_t ins = bench_stats(getpid()).swap_ins - before;
	bench_report("swap_in", 0, c, bench_ns() - t, ins ? ins : 1);
	return 0;
}
