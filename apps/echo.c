/*
 * echo: write the arguments to stdout, separated by single spaces and
 * ended by a newline, as one write (so that a line in a pipe is not torn
 * apart by other writers). An xv6-style program.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "user/user.h"

#define FD_STDOUT 1
#define FD_STDERR 2

/* Bytes the echoed line needs: each argument and the space or newline after it. */
static int line_length(int argc, char **argv)
{
	int len = 0;
	for (int i = 1; i < argc; i++)
		len += (int)strlen(argv[i]) + 1;
	return argc > 1 ? len : 1;     /* just the newline when there are no arguments */
}

/* echo [ARG...]: write the arguments as one line. */
int main(int argc, char **argv)
{
	int len = line_length(argc, argv), used = 0;
	char *line = malloc((size_t)len);
	if (!line) {
		fprintf(FD_STDERR, "echo: out of memory\n");
		exit(1);
	}
	for (int i = 1; i < argc; i++) {
		int n = (int)strlen(argv[i]);
		memcpy(line + used, argv[i], (size_t)n);
		used += n;
		line[used++] = i + 1 < argc ? ' ' : '\n';
	}
	if (argc == 1)
		line[used++] = '\n';
	if (write(FD_STDOUT, line, used) != used) {
		fprintf(FD_STDERR, "echo: write error\n");
		exit(1);
	}
	exit(0);
}
