/*
 * picolibc's stdio: stdout and stderr each buffer a line and write it to
 * file descriptor 1 or 2 (the console, through the fs server, or the
 * kernel console while there is no file system). exit and fork flush
 * them. xv6's printf and fprintf (xv6_vdprintf) write at once instead:
 * nothing they print is left in a buffer to be lost or printed twice.
 */
#include <stdarg.h>
#include <stdio.h>
#include "sys.h"

#define LINE_MAX_BYTES 256
#define FD_STDOUT 1
#define FD_STDERR 2

int write(int fd, const void *buf, int n);
void libsys_flush_stdout(void);
int xv6_vdprintf(int fd, const char *fmt, va_list ap);

/* A line-buffered output stream on a file descriptor. */
struct line_stream {
	FILE file;                 /* first: picolibc passes &file to the callbacks */
	int fd;
	size_t len;
	char line[LINE_MAX_BYTES];
};

/* Write everything buffered so far. */
static int stream_flush(FILE *f)
{
	struct line_stream *s = (struct line_stream *)f;
	if (s->len)
		write(s->fd, s->line, (int)s->len);
	s->len = 0;
	return 0;
}

/* Buffer one character; write the line at a newline or when full. */
static int stream_put(char c, FILE *f)
{
	struct line_stream *s = (struct line_stream *)f;
	s->line[s->len++] = c;
	if (c == '\n' || s->len == sizeof(s->line))
		stream_flush(f);
	return (unsigned char)c;
}

static struct line_stream out = { FDEV_SETUP_STREAM(stream_put, NULL, stream_flush, _FDEV_SETUP_WRITE), FD_STDOUT, 0, {0} };
static struct line_stream err = { FDEV_SETUP_STREAM(stream_put, NULL, stream_flush, _FDEV_SETUP_WRITE), FD_STDERR, 0, {0} };
FILE *const stdout = &out.file;
FILE *const stderr = &err.file;
FILE *const stdin = NULL;

/* Write out what stdout and stderr have buffered (before writing to an fd directly, or exiting). */
void libsys_flush_stdout(void)
{
	stream_flush(stdout);
	stream_flush(stderr);
}

/* Format to fd and write it all before returning (xv6's printf); the bytes formatted. */
int xv6_vdprintf(int fd, const char *fmt, va_list ap)
{
	struct line_stream s = { FDEV_SETUP_STREAM(stream_put, NULL, stream_flush, _FDEV_SETUP_WRITE), fd, 0, {0} };
	libsys_flush_stdout();              /* what stdio holds comes first */
	int n = vfprintf(&s.file, fmt, ap);
	stream_flush(&s.file);
	return n;
}
