/*
 * kill PID...: ask the pager to kill each process. An argument that is
 * not a number, or a process that cannot be killed, is reported and the
 * rest are still tried; the exit status is 1 if any failed. An xv6-style
 * program.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "user/user.h"

#define FD_STDERR 2

/* kill PID...: kill the processes. */
int main(int argc, char **argv)
{
	int status = 0;
	if (argc < 2) {
		fprintf(FD_STDERR, "usage: kill PID...\n");
		exit(1);
	}
	for (int i = 1; i < argc; i++) {
		if (!is_decimal(argv[i]) || kill(atoi(argv[i])) < 0) {
			fprintf(FD_STDERR, "kill: cannot kill %s\n", argv[i]);
			status = 1;
		}
	}
	exit(status);
}
