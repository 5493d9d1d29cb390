/*
 * Benchmark fault_cow: after fork, the first write to a page shared
 * copy-on-write, per page (measured in the child). Arguments: policy,
 * pages.
 */
#include "bench.h"
#include "sys.h"
#include "user.h"

int main(int argc, char **argv)
{
	bench_policy(argc > 1 ? argv[1] : "lazy,cow,none");
	uint64_t pages = (uint64_t)bench_arg(argc, argv, 2, 1024);
	char *heap = sbrk((int)(pages * PAGE_SIZE));
	for (uint64_t i = 0; i < pages; i++)
		heap[i * PAGE_SIZE] = 1;
	int pid = fork();
	if (pid == 0) {
		uint64_t c = bench_cycles(), t = bench_ns();
		for (uint64_t i = 0; i < pages; i++)
			heap[i * PAGE_SIZE] = 2;
		bench_report("fault_cow", pages, bench_cycles() - c, bench_ns() - t, pages);
		exit(0);
	}
	wait(0);
	return 0;
}
