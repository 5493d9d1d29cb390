/*
 * Benchmarks null_syscall, the cheapest system call (SYS_GETTID), and
 * getpid, what xv6 programs call (libsys asks the pager once and then
 * remembers); per call.
 */
#include "bench.h"
#include "sys.h"
#include "user.h"

#define CALLS 10000

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	sys_gettid();
	uint64_t c = bench_cycles(), t = bench_ns();
	for (int i = 0; i < CALLS; i++)
		sys_gettid();
	bench_report("null_syscall", 0, bench_cycles() - c, bench_ns() - t, CALLS);
	volatile int pid = 0;               /* every call's answer is used */
	c = bench_cycles(), t = bench_ns();
	for (int i = 0; i < CALLS; i++)
		pid += getpid();
	bench_report("getpid", 0, bench_cycles() - c, bench_ns() - t, CALLS);
	return pid == 0;
}
