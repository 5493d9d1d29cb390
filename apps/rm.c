/*
 * rm: remove each named file (or empty directory) by unlinking its
 * name. A failure is reported and the rest are still tried; the exit
 * status is 1 if any failed. An xv6-style program.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "user/user.h"

#define FD_STDERR 2

/* rm FILE...: unlink the names. */
int main(int argc, char **argv)
{
	int status = 0;
	if (argc < 2) {
		fprintf(FD_STDERR, "usage: rm FILE...\n");
		exit(1);
	}
	for (int i = 1; i < argc; i++) {
		if (unlink(argv[i]) < 0) {
			fprintf(FD_STDERR, "rm: cannot remove %s\n", argv[i]);
			status = 1;
		}
	}
	exit(status);
}
