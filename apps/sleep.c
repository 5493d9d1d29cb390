/*
 * sleep: wait the given number of clock ticks (100 a second), as xv6's
 * sleep() counts them. An xv6-style program; the benchmarks use it to
 * give the pager idle time before a measurement.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "user/user.h"

#define FD_STDERR 2

/* sleep TICKS */
int main(int argc, char **argv)
{
	if (argc != 2 || !is_decimal(argv[1])) {
		fprintf(FD_STDERR, "usage: sleep TICKS\n");
		exit(1);
	}
	sleep(atoi(argv[1]));
	exit(0);
}
