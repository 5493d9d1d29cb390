/*
 * mkdir: create each named directory. A failure is reported and the
 * rest are still tried; the exit status is 1 if any failed. An
 * xv6-style program.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "user/user.h"

#define FD_STDERR 2

/* mkdir DIR...: create the directories. */
int main(int argc, char **argv)
{
	int status = 0;
	if (argc < 2) {
		fprintf(FD_STDERR, "usage: mkdir DIR...\n");
		exit(1);
	}
	for (int i = 1; i < argc; i++) {
		if (mkdir(argv[i]) < 0) {
			fprintf(FD_STDERR, "mkdir: cannot create %s\n", argv[i]);
			status = 1;
		}
	}
	exit(status);
}
