/*
 * The parts of xv6's user library that differ from the C library's:
 * fprintf to a file descriptor, gets(buf, max) reading fd 0, xv6's newer
 * names pause, sbrklazy and sys_sbrk; and one helper the xv6-style tools
 * share, is_decimal. (This file does not include stdio.h, whose gets and
 * fprintf differ.)
 */
#include <stdarg.h>
#include <stddef.h>

#define FD_STDIN 0
#define FPRINTF_MAX 256

int read(int fd, void *buf, int n);
void *sbrk(ptrdiff_t increment);
int sleep(int ticks);
int write(int fd, const void *buf, int n);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
void libsys_flush_stdout(void);
void xv6_fprintf(int fd, const char *fmt, ...);
char *gets(char *buf, int max);
int pause(int ticks);
char *sbrklazy(int n);
char *sys_sbrk(int n, int mode);
int is_decimal(const char *s);

/* xv6's fprintf: format into a buffer and write it to fd. */
void xv6_fprintf(int fd, const char *fmt, ...)
{
	char buf[FPRINTF_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	libsys_flush_stdout();
	write(fd, buf, n < (int)sizeof(buf) ? n : (int)sizeof(buf) - 1);
}

/* xv6's gets: read a line (with its newline) of at most max-1 characters from fd 0. */
char *gets(char *buf, int max)
{
	int i = 0;
	char c;
	while (i + 1 < max && read(FD_STDIN, &c, 1) == 1) {
		buf[i++] = c;
		if (c == '\n' || c == '\r')
			break;
	}
	buf[i] = '\0';
	return buf;
}

/* xv6's pause (its sleep, renamed): wait ticks clock ticks; 0, or -1. */
int pause(int ticks)
{
	return sleep(ticks);
}

/*
 * xv6's sys_sbrk: move the break by n bytes, eagerly or lazily as mode
 * asks. Here the pager's allocation policy decides for every sbrk, so
 * mode is ignored. The old break, or (char *)-1.
 */
char *sys_sbrk(int n, int mode)
{
	(void)mode;
	return sbrk(n);
}

/* xv6's sbrklazy: sbrk without allocating; what sbrk does under the default (lazy) policy. */
char *sbrklazy(int n)
{
	return sbrk(n);
}

/* Is s a non-empty string of decimal digits (a pid, a tick count)? */
int is_decimal(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}
