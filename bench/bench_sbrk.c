/*
 * Benchmarks sbrk_grow (the sbrk call alone, growing the heap by the
 * parameter in bytes) and sbrk_touch (grow and touch every page, per
 * page). Arguments: policy, MiB.
 */
#include "bench.h"
#include "sys.h"
#include "user.h"

#define MIB (1UL << 20)
#define GROWS 100

int main(int argc, char **argv)
{
	if (argc > 1)
		bench_policy(argv[1]);
	uint64_t bytes = (uint64_t)bench_arg(argc, argv, 2, 16) * MIB, cycles = 0, ns = 0;
	for (int i = 0; i < GROWS; i++) {
		uint64_t c = bench_cycles(), t = bench_ns();
		if (sbrk((int)bytes) == (char *)-1)
			return 1;
		cycles += bench_cycles() - c;
		ns += bench_ns() - t;
		sbrk(-(int)bytes);
	}
	bench_report("sbrk_grow", bytes, cycles, ns, GROWS);
	uint64_t c = bench_cycles(), t = bench_ns();
	char *heap = sbrk((int)bytes);
	for (uint64_t off = 0; off < bytes; off += PAGE_SIZE)
		heap[off] = 1;
	bench_report("sbrk_touch", bytes, bench_cycles() - c, bench_ns() - t, bytes / PAGE_SIZE);
	return 0;
}
