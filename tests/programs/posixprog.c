/*
 * A POSIX-style program using picolibc's headers (stdio, stdlib, string,
 * unistd, fcntl). tests/host/test_run.sh builds and runs it with
 * `make run PROGS=...`.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char buf[128];
	int fd = open(argc > 1 ? argv[1] : "/runcmd", O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "posixprog: cannot open\n");
		return 2;
	}
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	char *copy = strdup(buf);
	printf("posixprog read %d bytes: %s", (int)n, copy);
	free(copy);
	return 0;
}
