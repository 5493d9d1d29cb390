/*
 * ln OLD NEW: give the file OLD a second name NEW (a hard link). An
 * xv6-style program.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "user/user.h"

#define FD_STDERR 2
#define LN_ARGS   3                    /* ln, OLD, NEW */

/* ln OLD NEW: link NEW to OLD. */
int main(int argc, char **argv)
{
	if (argc != LN_ARGS) {
		fprintf(FD_STDERR, "usage: ln OLD NEW\n");
		exit(1);
	}
	if (link(argv[1], argv[2]) < 0) {
		fprintf(FD_STDERR, "ln: cannot make %s a link to %s\n", argv[2], argv[1]);
		exit(1);
	}
	exit(0);
}
