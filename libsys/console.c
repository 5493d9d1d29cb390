/*
 * picolibc's stdio on the kernel console: stdout and stderr buffer a
 * line and write it with SYS_CONSOLE_WRITE. write() to fd 1 or 2 goes the
 * same way until the file-system server owns the console.
 */
#include <stdio.h>
#include "sys.h"

#define LINE_MAX_BYTES 256
#define FD_STDOUT 1
#define FD_STDERR 2

int write(int fd, const void *buf, int n);

static char line[LINE_MAX_BYTES];
static size_t line_len;

/* Write everything buffered so far. */
static int console_flush(FILE *f)
{
	(void)f;
	if (line_len)
		sys_console_write(line, line_len);
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

/* Write n bytes to the console (fd 1 or 2); return n or -1. */
int write(int fd, const void *buf, int n)
{
	if ((fd != FD_STDOUT && fd != FD_STDERR) || n < 0)
		return -1;
	console_flush(stdout);
	for (int done = 0; done < n;) {
		int chunk = n - done < IPC_BUF_MAX ? n - done : IPC_BUF_MAX;
		if (sys_console_write((const char *)buf + done, (size_t)chunk) < 0)
			return -1;
		done += chunk;
	}
	return n;
}
