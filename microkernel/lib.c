/* The few C library routines the freestanding kernel needs. */
#include "kernel.h"

/* Fill n bytes at dst with c, a word at a time when aligned. */
void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	if (c == 0 && ((uint64_t)d % 8) == 0) {
		for (; n >= 8; n -= 8, d += 8)
			*(uint64_t *)d = 0;
	}
	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

/* Copy n bytes, a word at a time when both ends are aligned. */
void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	if ((((uint64_t)d | (uint64_t)s) % 8) == 0) {
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(uint64_t *)d = *(const uint64_t *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

/* Compare at most n characters of two strings, as strncmp. */
int kstrncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (uint8_t)*a - (uint8_t)*b;
		if (!*a)
			return 0;
	}
	return 0;
}
