/*
 * The parts of xv6's user library that differ from the C library's:
 * printf and fprintf to a file descriptor, written at once, gets(buf, max)
 * reading fd 0, xv6's newer names pause, sbrklazy and sys_sbrk; and one
 * helper the xv6-style tools share, is_decimal. (This file does not
 * include stdio.h, whose gets and fprintf differ.)
 */
#include <stdarg.h>
#include <stddef.h>

#define FD_STDIN 0
#define FD_STDOUT 1

int read(int fd, void *buf, int n);
void *sbrk(ptrdiff_t increment);
int sleep(int ticks);
int write(int fd, const void *buf, int n);
int xv6_vdprintf(int fd, const char *fmt, va_list ap);
void xv6_fprintf(int fd, const char *fmt, ...);
int xv6_printf(const char *fmt, ...);
char *gets(char *buf, int max);
int pause(int ticks);
char *sbrklazy(int n);
char *sys_sbrk(int n, int mode);
int is_decimal(const char *s);

/* xv6's fprintf: format and write to fd at once. */
void xv6_fprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	xv6_vdprintf(fd, fmt, ap);
	va_end(ap);
}

/* xv6's printf: format and write to fd 1 at once (nothing is left buffered across fork or a kill). */
int xv6_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = xv6_vdprintf(FD_STDOUT, fmt, ap);
	va_end(ap);
	return n;
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
