/*
 * kill PID...: ask the pager to kill each process; an argument -PGID
 * kills every process of that group instead (ps shows both), as on Unix.
 * An argument that is not a number, or a process that cannot be killed,
 * is reported and the rest are still tried; the exit status is 1 if any
 * failed. An xv6-style program.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "user/user.h"

#define FD_STDERR 2

/* Kill the process (or, for "-N", the group) that arg names; 0 or -1. */
static int kill_arg(const char *arg)
{
	int group = arg[0] == '-';
	const char *digits = group ? arg + 1 : arg;
	if (!is_decimal(digits) || atoi(digits) <= 0)
		return -1;
	return kill(group ? -atoi(digits) : atoi(digits));
}

/* kill PID...|-PGID...: kill the processes. */
int main(int argc, char **argv)
{
	int status = 0;
	if (argc < 2) {
		fprintf(FD_STDERR, "usage: kill PID... (-PGID: a whole process group)\n");
		exit(1);
	}
	for (int i = 1; i < argc; i++) {
		if (kill_arg(argv[i]) < 0) {
			fprintf(FD_STDERR, "kill: cannot kill %s\n", argv[i]);
			status = 1;
		}
	}
	exit(status);
}
