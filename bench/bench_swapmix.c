/*
 * Benchmark fault_during_swap: the first touch of a heap page (a lazy
 * zero-fill fault), per page, in one process while another process swaps
 * heavily, beside the same touches with nobody swapping. Boot with a
 * frame cap (pager.frames=N). The measuring process grows its heap by
 * PAGES pages, touches each once and shrinks it again: one round
 * untimed (beside the swapper, its frames have to be written out first)
 * and a pause, then ROUNDS rounds whose touches are timed. The swapper, a child, first
 * writes every page of a heap FACTOR times the frames the pager may use,
 * then goes round it writing a word of each page until it is killed, so
 * nearly every touch of it is a swap-in and an eviction. Parameter 0:
 * nobody swaps; parameter 1: the swapper runs. A pager that waits for the
 * disk makes each zero-fill wait for the swapper's swap-ins; one that
 * does not serves them meanwhile, and what is left is the CPU the
 * swapper's faults and evictions take on the one hart: one swap-in's
 * work per turn the swapper gets (the pager's answer to a fault that
 * waited puts it at the tail of the ready queue, docs/SWAP.md), not one
 * per disk answer. It prints how many swap-ins the swapper made during
 * the timed rounds. Arguments: policy (default lazy,cow,clock), pages per
 * round, rounds.
 */
#include <stdio.h>
#include <string.h>
#include "bench.h"
#include "sys.h"
#include "user.h"
#include "abi/pager.h"

#define FACTOR 2                        /* the swapper's heap, in frames the pager may use */
#define SETTLE_TICKS 30                 /* before the timed rounds: the pager zeroes frames, writes some out */

/* The swapper: fill a heap bigger than memory, tell the parent, then keep going round it. */
static void swapper(uint64_t pages, int ready)
{
	volatile char *heap = sbrk((int)(pages * PAGE_SIZE));
	if (heap == (char *)-1)
		exit(1);
	for (uint64_t i = 0; i < pages; i++)
		heap[i * PAGE_SIZE] = 1;
	write(ready, "r", 1);
	for (;;)
		for (uint64_t i = 0; i < pages; i++)
			heap[i * PAGE_SIZE]++;
}

/* Touch `pages` new heap pages once, `rounds` times; the cycles those touches took. */
static uint64_t touch_rounds(uint64_t pages, uint64_t rounds, uint64_t *ns)
{
	uint64_t cycles = *ns = 0;
	for (uint64_t r = 0; r < rounds; r++) {
		char *heap = sbrk((int)(pages * PAGE_SIZE));
		if (heap == (char *)-1)
			exit(1);
		uint64_t c = bench_cycles(), t = bench_ns();
		for (uint64_t i = 0; i < pages; i++)
			heap[i * PAGE_SIZE] = 1;
		cycles += bench_cycles() - c;
		*ns += bench_ns() - t;
		sbrk(-(int)(pages * PAGE_SIZE));
	}
	return cycles;
}

int main(int argc, char **argv)
{
	bench_policy(argc > 1 ? argv[1] : "lazy,cow,clock");
	uint64_t pages = (uint64_t)bench_arg(argc, argv, 2, 256), rounds = (uint64_t)bench_arg(argc, argv, 3, 8);
	uint64_t ns, n = pages * rounds;
	touch_rounds(pages, 1, &ns);                    /* the round untimed */
	sleep(SETTLE_TICKS);
	uint64_t alone = touch_rounds(pages, rounds, &ns);
	bench_report("fault_during_swap", 0, alone, ns, n);

	int ready[2];
	if (pipe(ready) < 0)
		return 1;
	int pid = fork();
	if (pid == 0) {
		close(ready[0]);
		swapper(FACTOR * bench_stats(0).frames_total, ready[1]);
	}
	char c;
	close(ready[1]);
	if (pid < 0 || read(ready[0], &c, 1) != 1)
		return 1;
	touch_rounds(pages, 1, &ns);
	sleep(SETTLE_TICKS);
	uint64_t swap_ins = bench_stats(pid).swap_ins, waits = bench_stats(getpid()).swap_waits;
	uint64_t during = touch_rounds(pages, rounds, &ns);
	swap_ins = bench_stats(pid).swap_ins - swap_ins;
	waits = bench_stats(getpid()).swap_waits - waits;
	printf("fault_during_swap: the swapper made %lu swap-ins meanwhile; %lu of these faults waited for the disk\n",
	       (unsigned long)swap_ins, (unsigned long)waits);
	bench_report("fault_during_swap", 1, during, ns, n);
	kill(pid);
	wait(0);
	return 0;
}
