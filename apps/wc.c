/*
 * wc: count lines, words and bytes of each named file, or of stdin when
 * there are none, and print "lines words bytes name" (no name for
 * stdin), with a total line when there are several files. A word is a
 * run of characters other than blanks and newlines. A file that cannot
 * be read is reported and skipped; the exit status is then 1. An
 * xv6-style program.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "user/user.h"

#define FD_STDIN  0
#define FD_STDERR 2
#define BUF_SIZE  4096

struct counts {
	int lines, words, bytes;
};

static char buf[BUF_SIZE];

/* Is c a character that separates words? */
static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Count fd's contents into *c; 0, or -1 on a read error. */
static int count(int fd, struct counts *c)
{
	int n, in_word = 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (int i = 0; i < n; i++) {
			c->lines += buf[i] == '\n';
			if (is_space(buf[i]))
				in_word = 0;
			else if (!in_word)
				c->words++, in_word = 1;
		}
		c->bytes += n;
	}
	return n < 0 ? -1 : 0;
}

/* Count the file at path, print its line and add it to *total; 0, or -1 (reported). */
static int wc_file(const char *path, struct counts *total)
{
	struct counts c = { 0, 0, 0 };
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(FD_STDERR, "wc: cannot open %s\n", path);
		return -1;
	}
	int r = count(fd, &c);
	close(fd);
	if (r < 0) {
		fprintf(FD_STDERR, "wc: read error in %s\n", path);
		return -1;
	}
	printf("%d %d %d %s\n", c.lines, c.words, c.bytes, path);
	total->lines += c.lines;
	total->words += c.words;
	total->bytes += c.bytes;
	return 0;
}

/* wc [FILE...]: count the files, or stdin. */
int main(int argc, char **argv)
{
	struct counts total = { 0, 0, 0 };
	int status = 0;
	if (argc < 2) {
		if (count(FD_STDIN, &total) < 0) {
			fprintf(FD_STDERR, "wc: read error\n");
			exit(1);
		}
		printf("%d %d %d\n", total.lines, total.words, total.bytes);
		exit(0);
	}
	for (int i = 1; i < argc; i++)
		if (wc_file(argv[i], &total) < 0)
			status = 1;
	if (argc > 2)
		printf("%d %d %d total\n", total.lines, total.words, total.bytes);
	exit(status);
}
