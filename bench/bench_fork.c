/*
 * Benchmark fork_exit_wait: fork a process with the parameter's MiB of
 * touched heap, the child exits at once, the parent waits; per round.
 * Arguments: policy, MiB, rounds.
 */
#include "bench.h"
#include "sys.h"
#include "user.h"

#define MIB (1UL << 20)

int main(int argc, char **argv)
{
	if (argc > 1)
		bench_policy(argv[1]);
	uint64_t mib = (uint64_t)bench_arg(argc, argv, 2, 8), rounds = (uint64_t)bench_arg(argc, argv, 3, 20);
	char *heap = mib ? sbrk((int)(mib * MIB)) : NULL;
	for (uint64_t off = 0; off < mib * MIB; off += PAGE_SIZE)
		heap[off] = 1;
	uint64_t c = bench_cycles(), t = bench_ns();
	for (uint64_t i = 0; i < rounds; i++) {
		if (fork() == 0)
			exit(0);
		wait(0);
	}
	bench_report("fork_exit_wait", mib, bench_cycles() - c, bench_ns() - t, rounds);
	return 0;
}
