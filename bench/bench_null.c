/* Benchmark null_syscall: the cheapest system call (SYS_GETTID), per call. */
#include "bench.h"
#include "sys.h"

#define CALLS 10000

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	sys_gettid();
	uint64_t c = bench_cycles(), t = bench_ns();
	for (int i = 0; i < CALLS; i++)
		sys_gettid();
	bench_report("null_syscall", 0, bench_cycles() - c, bench_ns() - t, CALLS);
	return 0;
}
