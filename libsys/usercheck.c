/*
 * Checking the pointers a program hands to libsys. xv6's kernel copies a
 * path, an argv array or a result in with copyin/copyout and fails the
 * call (-1) when the address is bad; here the library itself reads the
 * path and stores the result, so it first asks the kernel (SYS_USER_CHECK)
 * whether the memory is the program's to read or write. An absent page
 * the pager can fill (a heap page sbrk granted and nobody touched) is
 * filled; an unmapped, kernel or wild address makes the call return -1
 * instead of killing the program in its own library.
 */
#include "sys.h"

/* Length of the string at s if it ends (NUL) within max bytes of readable memory; else -1. */
long user_strlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max) {
		size_t chunk = PAGE_SIZE - ((uintptr_t)s + n) % PAGE_SIZE;   /* to the end of this page */
		if (chunk > max - n)
			chunk = max - n;
		if (sys_user_check(s + n, chunk, 0) < 0)
			return -1;
		for (size_t i = 0; i < chunk; i++)
			if (s[n + i] == '\0')
				return (long)(n + i);
		n += chunk;
	}
	return -1;
}

/* Is [p, p + len) readable by this program? */
int user_readable(const void *p, size_t len)
{
	return sys_user_check(p, len, 0) == 0;
}

/* Is [p, p + len) writable by this program (a result may be stored there)? */
int user_writable(void *p, size_t len)
{
	return sys_user_check(p, len, 1) == 0;
}
