/*
 * Benchmark fault_anon: the first touch of a heap page (a lazy zero-fill
 * fault served by the pager), per page. Arguments: policy, heap size in
 * MiB (the parameter), pages touched: the last ones of the heap, one after
 * another, so that only the heap's size changes between sizes (not how
 * many page tables the touches need). A fourth argument names the
 * result instead (fault_anon_nopool, for the boot whose pager zeroes no
 * frames in idle time).
 */
#include "bench.h"
#include "sys.h"
#include "user.h"

#define MIB (1UL << 20)

int main(int argc, char **argv)
{
	if (argc > 1)
		bench_policy(argv[1]);
	uint64_t mib = (uint64_t)bench_arg(argc, argv, 2, 16);
	uint64_t pages = (uint64_t)bench_arg(argc, argv, 3, 256), heap_pages = mib * MIB / PAGE_SIZE;
	pages = pages < heap_pages ? pages : heap_pages;
	char *heap = sbrk((int)(mib * MIB));
	if (heap == (char *)-1)
		return 1;
	char *window = heap + (heap_pages - pages) * PAGE_SIZE;
	uint64_t c = bench_cycles(), t = bench_ns();
	for (uint64_t i = 0; i < pages; i++)
		window[i * PAGE_SIZE] = 1;
	bench_report(argc > 4 ? argv[4] : "fault_anon", mib, bench_cycles() - c, bench_ns() - t, pages);
	return 0;
}
