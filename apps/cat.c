/*
 * cat: copy each named file, or stdin when there are none, to stdout.
 * A file that cannot be opened is reported and skipped; the exit status
 * is 1 if any file failed. An xv6-style program.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "user/user.h"

#define FD_STDIN  0
#define FD_STDOUT 1
#define FD_STDERR 2
#define BUF_SIZE  4096

static char buf[BUF_SIZE];

/* Copy fd to stdout until its end; 0, or -1 after reporting an error. */
static int copy(int fd, const char *name)
{
	int n;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (write(FD_STDOUT, buf, n) != n) {
			fprintf(FD_STDERR, "cat: write error\n");
			return -1;
		}
	}
	if (n < 0) {
		fprintf(FD_STDERR, "cat: read error in %s\n", name);
		return -1;
	}
	return 0;
}

/* Open path and copy it to stdout; 0, or -1 after reporting an error. */
static int cat_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(FD_STDERR, "cat: cannot open %s\n", path);
		return -1;
	}
	int r = copy(fd, path);
	close(fd);
	return r;
}

/* cat [FILE...]: copy the files, or stdin, to stdout. */
int main(int argc, char **argv)
{
	int status = 0;
	if (argc < 2)
		exit(copy(FD_STDIN, "stdin") < 0 ? 1 : 0);
	for (int i = 1; i < argc; i++)
		if (cat_file(argv[i]) < 0)
			status = 1;
	exit(status);
}
