/*
 * picolibc's stdio: stdout and stderr buffer a line and write it to file
 * descriptor 1 (the console, through the fs server, or the kernel console
 * while there is no file system).
 */
#include <stdio.h>
#include "sys.h"

#define LINE_MAX_BYTES 256
#define FD_STDOUT 1

int write(int fd, const void *buf, int n);
void libsys_flush_stdout(void);

static char line[LINE_MAX_BYTES];
static size_t line_len;

/* Write everything buffered so far. */
static int console_flush(FILE *f)
{
	(void)f;
	if (line_len)
		write(FD_STDOUT, line, (int)line_len);
	line_len = 0;
	return 0;
}

/* Buffer one character; write the line at a newline or when full. */
static int console_put(char c, FILE *f)
{
	line[line_len++] = c;
	if (c == '\n' || line_len == sizeof(line))
		console_flush(f);
	return (unsigned char)c;
}

static FILE console = FDEV_SETUP_STREAM(console_put, NULL, console_flush, _FDEV_SETUP_WRITE);
FILE *const stdout = &console;
FILE *const stderr = &console;
FILE *const stdin = NULL;

/* Write out what stdout has buffered (before writing to an fd directly). */
void libsys_flush_stdout(void)
{
	console_flush(stdout);
}
