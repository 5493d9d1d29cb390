/*
 * Benchmark swap_in: fault a page back from the swap disk, per page.
 * Fills twice the pager's frame limit (boot with pager.frames=N), then
 * reads it all again and divides by the swap-ins that took. Argument:
 * policy (fifo or clock replacement).
 */
#include <string.h>
#include "bench.h"
#include "sys.h"
#include "user.h"
#include "abi/pager.h"

#define FACTOR 2

/* The pager's counters for this process (or all, pid 0). */
static struct pager_stats stats_of(int pid)
{
	struct pager_stats s;
	memset(&s, 0, sizeof(s));
	struct msg m = msg_make(PAGER_STATS_FULL, (uint64_t)pid, 0, 0, 0);
	ipc_call(libsys_pager_tid, &m, NULL, &s, sizeof(s));
	return s;
}

int main(int argc, char **argv)
{
	bench_policy(argc > 1 ? argv[1] : "lazy,cow,clock");
	uint64_t pages = FACTOR * stats_of(0).frames_total;
	char *heap = sbrk((int)(pages * PAGE_SIZE));
	if (heap == (char *)-1)
		return 1;
	for (uint64_t i = 0; i < pages; i++)
		heap[i * PAGE_SIZE] = 1;
	uint64_t before = stats_of(getpid()).swap_ins;
	volatile char sink = 0;
	uint64_t c = bench_cycles(), t = bench_ns();
	for (uint64_t i = 0; i < pages; i++)
		sink += heap[i * PAGE_SIZE];
	uint64_t ins = stats_of(getpid()).swap_ins - before;
	bench_report("swap_in", 0, bench_cycles() - c, bench_ns() - t, ins ? ins : 1);
	return 0;
}
