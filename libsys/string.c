/*
 * memset and memcpy for every program and server. picolibc's are built
 * for size and go a byte at a time; a page is zeroed or copied a lot here
 * (zero-fill and copy-on-write faults, the buffer cache, IPC buffers), so
 * these go eight bytes at a time, unrolled, when the pointers allow it.
 * Being in libsys, which links before the C library, they replace
 * picolibc's.
 */
#include <stddef.h>
#include <stdint.h>

/* Keep the compiler from turning these loops back into calls to themselves. */
#define NO_LIBCALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#define WORD sizeof(uint64_t)
#define UNROLL 8
#define BLOCK (WORD * UNROLL)

void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);

/* Fill n bytes at dst with c. */
NO_LIBCALLS void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	for (; n && (uintptr_t)d % WORD; n--)
		*d++ = (uint8_t)c;
	uint64_t w = (uint8_t)c * 0x0101010101010101UL;
	uint64_t *q = (uint64_t *)d;
	for (; n >= BLOCK; n -= BLOCK, q += UNROLL) {
		q[0] = w; q[1] = w; q[2] = w; q[3] = w;
		q[4] = w; q[5] = w; q[6] = w; q[7] = w;
	}
	for (; n >= WORD; n -= WORD)
		*q++ = w;
	for (d = (uint8_t *)q; n; n--)
		*d++ = (uint8_t)c;
	return dst;
}

/* Copy n bytes from src to dst (which do not overlap). */
NO_LIBCALLS void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	if (((uintptr_t)d ^ (uintptr_t)s) % WORD == 0) {
		for (; n && (uintptr_t)d % WORD; n--)
			*d++ = *s++;
		uint64_t *q = (uint64_t *)d;
		const uint64_t *p = (const uint64_t *)s;
		for (; n >= BLOCK; n -= BLOCK, q += UNROLL, p += UNROLL) {
			uint64_t a = p[0], b = p[1], e = p[2], f = p[3];
			uint64_t g = p[4], h = p[5], i = p[6], j = p[7];
			q[0] = a; q[1] = b; q[2] = e; q[3] = f;
			q[4] = g; q[5] = h; q[6] = i; q[7] = j;
		}
		for (; n >= WORD; n -= WORD)
			*q++ = *p++;
		d = (uint8_t *)q;
		s = (const uint8_t *)p;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}
