/*
 * grep PATTERN [FILE...]: print the lines of the files (or of stdin)
 * that PATTERN matches, each prefixed by "FILE:" when there are several
 * files. Exit status as Unix grep: 0 if a line matched, 1 if none did,
 * 2 on an error. An xv6-style program.
 *
 * Patterns are a small regular-expression language: an ordinary
 * character matches itself, '.' matches any character, c* matches zero
 * or more c (c may be '.'), a leading '^' anchors the match to the start
 * of the line and a trailing '$' to its end. The matcher tries the
 * pattern at each position of the line; a starred atom first takes the
 * longest run it can and gives characters back until the rest matches.
 *
 * Lines longer than the read buffer are searched in buffer-sized pieces.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "user/user.h"

#define FD_STDIN       0
#define FD_STDERR      2
#define BUF_SIZE       4096
#define STATUS_MATCH   0
#define STATUS_NOMATCH 1
#define STATUS_ERROR   2

static char buf[BUF_SIZE];

static int match_here(const char *re, const char *text);

/* Does the pattern atom (a character or '.') match c? */
static int atom_matches(char atom, char c)
{
	return c != '\0' && (atom == '.' || atom == c);
}

/* Does atom* followed by re match at text? Longest run first. */
static int match_star(char atom, const char *re, const char *text)
{
	int run = 0;
	while (atom_matches(atom, text[run]))
		run++;
	for (; run >= 0; run--)
		if (match_here(re, text + run))
			return 1;
	return 0;
}

/* Does re match at the start of text? */
static int match_here(const char *re, const char *text)
{
	for (; re[0]; re++, text++) {
		if (re[1] == '*')
			return match_star(re[0], re + 2, text);
		if (re[0] == '$' && re[1] == '\0')
			return *text == '\0';
		if (!atom_matches(re[0], *text))
			return 0;
	}
	return 1;
}

/* Does re match anywhere in text? */
static int match(const char *re, const char *text)
{
	if (re[0] == '^')
		return match_here(re + 1, text);
	for (;; text++) {
		if (match_here(re, text))
			return 1;
		if (*text == '\0')
			return 0;
	}
}

/* Print line (prefixed by name, if any) if re matches it; 1 if it did, else 0. */
static int grep_line(const char *re, const char *line, const char *name)
{
	if (!match(re, line))
		return 0;
	if (name)
		printf("%s:%s\n", name, line);
	else
		printf("%s\n", line);
	return 1;
}

/* Search the complete lines in buf[0..len); move the unfinished rest to the front; its length. */
static int grep_lines(const char *re, int len, const char *name, int *found)
{
	int start = 0;
	for (int i = 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		buf[i] = '\0';
		*found += grep_line(re, buf + start, name);
		start = i + 1;
	}
	memmove(buf, buf + start, (size_t)(len - start));
	return len - start;
}

/* Search fd's lines; the number that matched, or -1 on a read error. */
static int grep_fd(const char *re, int fd, const char *name)
{
	int len = 0, n, found = 0;
	while ((n = read(fd, buf + len, BUF_SIZE - 1 - len)) > 0) {
		len = grep_lines(re, len + n, name, &found);
		if (len == BUF_SIZE - 1) {     /* a full buffer with no newline: search it as is */
			buf[len] = '\0';
			found += grep_line(re, buf, name);
			len = 0;
		}
	}
	if (n == 0 && len > 0) {               /* a last line without a newline */
		buf[len] = '\0';
		found += grep_line(re, buf, name);
	}
	return n < 0 ? -1 : found;
}

/* Search the file at path; matches, or -1 (reported). */
static int grep_file(const char *re, const char *path, const char *name)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(FD_STDERR, "grep: cannot open %s\n", path);
		return -1;
	}
	int found = grep_fd(re, fd, name);
	close(fd);
	if (found < 0)
		fprintf(FD_STDERR, "grep: read error in %s\n", path);
	return found;
}

/* grep PATTERN [FILE...]: print the matching lines. */
int main(int argc, char **argv)
{
	int found = 0, error = 0, r;
	if (argc < 2) {
		fprintf(FD_STDERR, "usage: grep PATTERN [FILE...]\n");
		exit(STATUS_ERROR);
	}
	if (argc == 2) {
		if ((found = grep_fd(argv[1], FD_STDIN, 0)) < 0)
			fprintf(FD_STDERR, "grep: read error\n");
		exit(found < 0 ? STATUS_ERROR : found > 0 ? STATUS_MATCH : STATUS_NOMATCH);
	}
	for (int i = 2; i < argc; i++) {
		r = grep_file(argv[1], argv[i], argc > 3 ? argv[i] : 0);
		if (r < 0)
			error = 1;
		else
			found += r;
	}
	exit(error ? STATUS_ERROR : found > 0 ? STATUS_MATCH : STATUS_NOMATCH);
}
