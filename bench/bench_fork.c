/*
 * Benchmark fork_exit_wait: fork a process with the parameter's MiB of
 * touched heap, the child exits at once, the parent waits; per round.
 * Also sfence_per_fork: the TLB flushes the kernel issued meanwhile
 * (KSTAT_TLB_FLUSHES), per round. Arguments: policy, MiB, rounds.
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
	long flushes = sys_kstat(KSTAT_TLB_FLUSHES);
	uint64_t c = bench_cycles(), t = bench_ns();
	for (uint64_t i = 0; i < rounds; i++) {
		if (fork() == 0)
			exit(0);
		wait(0);
	}
	c = bench_cycles() - c, t = bench_ns() - t;
	flushes = sys_kstat(KSTAT_TLB_FLUSHES) - flushes;
	bench_report("fork_exit_wait", mib, c, t, rounds);
	bench_report_count("sfence_per_fork", mib, "sfence.vma", (uint64_t)flushes, rounds);
	return 0;
}
