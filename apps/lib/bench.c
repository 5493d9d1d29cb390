/* Helpers for the benchmark programs; see bench.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "sys.h"
#include "user.h"
#include "abi/pager.h"

#define NS_PER_SEC 1000000000UL
#define TIMEBASE_HZ 10000000UL          /* QEMU virt's time counter */

/* Nanoseconds from the time counter. */
uint64_t bench_ns(void)
{
	uint64_t t;
	asm volatile("rdtime %0" : "=r"(t));
	return t * (NS_PER_SEC / TIMEBASE_HZ);
}

/* Run this process under policy spec; exit if the pager refuses. */
void bench_policy(const char *spec)
{
	char reply[PAGE_SIZE];
	struct msg m = msg_make(PAGER_POLICY_SET, (uint64_t)getpid(), 0, 0, 0);
	m.tag = TAG(PAGER_POLICY_SET, strlen(spec) + 1);
	if (ipc_call(libsys_pager_tid, &m, spec, reply, sizeof(reply)) < 0 || (long)m.w[0] < 0) {
		printf("bench: unknown policy %s\n", spec);
		exit(2);
	}
}

/* The policy this process runs under, into buf. */
const char *bench_policy_name(char *buf, uint64_t size)
{
	struct msg m = msg_make(PAGER_POLICY_GET, (uint64_t)getpid(), 0, 0, 0);
	buf[0] = '\0';
	ipc_call(libsys_pager_tid, &m, NULL, buf, size);
	return buf;
}

/* Print one result line, per operation. */
void bench_report(const char *name, uint64_t parameter, uint64_t cycles, uint64_t ns, uint64_t ops)
{
	char policy[POLICY_SPEC_MAX];
	printf("@@ BENCH %s %s %lu %lu %lu\n", name, bench_policy_name(policy, sizeof(policy)),
	       (unsigned long)parameter, (unsigned long)(cycles / ops), (unsigned long)(ns / ops));
}

/* Argument i as a number, or dflt. */
long bench_arg(int argc, char **argv, int i, long dflt)
{
	return i < argc ? atol(argv[i]) : dflt;
}
