/*
 * Kernel probes for the bounded-time tests (docs/abi.md, "Bounded time";
 * the ktests named bound_*), answered only under the boot argument
 * pager.test_hooks=1. Every RAM frame is the root task's, so only the
 * pager can build the spaces in which the kernel's long calls do the most
 * they can: a probe builds one in a scratch space, makes the call, and
 * reports the costliest single kernel call by rdinstret (instructions
 * under QEMU -icount) and rdtime, and how much work the call did.
 *
 * Process exits and kills destroy their spaces through
 * probe_space_destroy, which times each SPACE_DESTROY call the same way
 * (always: two counter reads a call), for PROBE_LAST_DESTROY.
 */
#include "pager.h"
#include "sys.h"
#include "abi/pager.h"
#include "abi/bootinfo.h"

#define TABLE_SPAN (2UL << 20)                  /* user memory one level-0 page table maps */
#define GIB (1UL << 30)                         /* ... and one level-1 table */
/* A run of MAP_COPY_MAX_PAGES pages or more from here needs two level-0 tables. */
#define PROBE_VA (USER_BASE + TABLE_SPAN - MAP_COPY_MAX_PAGES / 2 * PAGE_SIZE)
#define PROBE_RIGHTS (RIGHT_R | RIGHT_W)

/* The costliest kernel call seen (instructions, rdtime ticks) and how many calls were made. */
struct cost {
	uint64_t instret, ticks, calls;
};

static struct cost exits;          /* the exits' SPACE_DESTROY calls since the last PROBE_LAST_DESTROY */

/* Make system call n with a0..a4, counting its instructions and time into *c; its result. */
static long timed_call(struct cost *c, long n, long a0, long a1, long a2, long a3, long a4)
{
	uint64_t i0, t0, i1, t1;
	asm volatile("rdinstret %0\n\trdtime %1" : "=r"(i0), "=r"(t0) :: "memory");
	long r = sys_call6(n, a0, a1, a2, a3, a4, 0);
	asm volatile("rdinstret %0\n\trdtime %1" : "=r"(i1), "=r"(t1) :: "memory");
	c->instret = i1 - i0 > c->instret ? i1 - i0 : c->instret;
	c->ticks = t1 - t0 > c->ticks ? t1 - t0 : c->ticks;
	c->calls++;
	return r;
}

/* Destroy a space a step a call, as sys_space_destroy does, timing each call into *c. */
static long destroy_timed(struct cost *c, long space)
{
	long r;
	while ((r = timed_call(c, SYS_SPACE_DESTROY, space, 0, 0, 0, 0)) == SPACE_DESTROY_MORE)
		;
	return r;
}

/* Destroy a process's space, timing each call for PROBE_LAST_DESTROY; 0 or an error. */
long probe_space_destroy(long space)
{
	return destroy_timed(&exits, space);
}

/* Map frame pa read-write at npages pages from va of space s, a page a call: 0 or the first error. */
static long map_each(long s, uint64_t va, uint64_t pa, uint64_t npages)
{
	for (uint64_t i = 0; i < npages; i++) {
		long r = sys_map(s, va + i * PAGE_SIZE, pa, PROBE_RIGHTS, 1);
		if (r)
			return r;
	}
	return 0;
}

/* Fill the kernel's thread table with unstarted threads of s (the root task has no quota). */
static void fill_threads(long s)
{
	while (sys_thread_create(s, USER_BASE, USER_BASE) > 0)
		;
}

/* A scratch space and a frame to map in it: 0, or -E_NOMEM (nothing left over). */
static long scratch_begin(long *s, uint64_t *pa)
{
	*s = sys_space_create();
	*pa = *s > 0 ? frame_alloc() : 0;
	if (*s > 0 && !*pa)
		sys_space_destroy(*s);
	return *pa ? 0 : -E_NOMEM;
}

/* Destroy a scratch space and give its frame back. */
static void scratch_end(long s, uint64_t pa)
{
	sys_space_destroy(s);
	frame_unref(pa);
}

/* UNMAP of UNMAP_MAX_PAGES present pages over two level-0 tables, every thread slot in use. */
static long probe_unmap(struct cost *c, uint64_t *work)
{
	long s;
	uint64_t pa;
	long r = scratch_begin(&s, &pa);
	if (r)
		return r;
	r = map_each(s, PROBE_VA, pa, UNMAP_MAX_PAGES);
	fill_threads(s);
	if (!r)
		r = timed_call(c, SYS_UNMAP, s, (long)PROBE_VA, UNMAP_MAX_PAGES, 0, 0);
	uint64_t last = PROBE_VA + (UNMAP_MAX_PAGES - 1) * PAGE_SIZE;
	if (!r && sys_page_bits(s, PROBE_VA, 0) == 0 && sys_page_bits(s, last, 0) == 0)
		*work = UNMAP_MAX_PAGES;
	scratch_end(s, pa);
	return r;
}

/*
 * MAP_COPY of MAP_COPY_MAX_PAGES present pages, dropping W, into a space
 * with no page tables yet. The pages hold the frame of the last device
 * region (the kernel's ownership check goes through every region for it).
 */
static long probe_map_copy(struct cost *c, uint64_t *work)
{
	long src = sys_space_create(), dst = sys_space_create(), r = src < 0 ? src : dst;
	uint64_t device = PAGE_DOWN(bootinfo->devices[bootinfo->ndevices - 1].base);
	if (src > 0 && dst > 0)
		r = map_each(src, PROBE_VA, device, MAP_COPY_MAX_PAGES);
	if (!r)
		r = timed_call(c, SYS_MAP_COPY, dst, src, (long)PROBE_VA, MAP_COPY_MAX_PAGES, RIGHT_W);
	*work = r > 0 ? (uint64_t)r : 0;
	if (src > 0)
		sys_space_destroy(src);
	if (dst > 0)
		sys_space_destroy(dst);
	return r < 0 ? r : 0;
}

/*
 * SPACE_DESTROY of a space with the most page tables the kernel pool
 * allows: a page in every gigabyte of user space (a level-1 and a level-0
 * table each), then a page every 2 MiB from the bottom until the pool is
 * empty (full level-1 subtrees first), and threads in every free slot.
 */
static long probe_destroy(struct cost *c, uint64_t *work)
{
	long s;
	uint64_t pa;
	long r = scratch_begin(&s, &pa);
	if (r)
		return r;
	long before = sys_kstat(KSTAT_POOL_FREE);
	for (uint64_t va = USER_BASE; va < USER_TOP; va += GIB)
		if (sys_map(s, va, pa, PROBE_RIGHTS, 1) < 0)
			break;
	for (uint64_t va = USER_BASE; va < USER_TOP; va += TABLE_SPAN)
		if (sys_map(s, va, pa, PROBE_RIGHTS, 1) < 0)
			break;
	fill_threads(s);
	*work = (uint64_t)(before - sys_kstat(KSTAT_POOL_FREE));
	r = destroy_timed(c, s);
	frame_unref(pa);
	return r;
}

/* Answer PAGER_PROBE for probe `kind` into *m; -E_PERM without pager.test_hooks=1. */
int probe_request(uint64_t kind, struct msg *m)
{
	struct cost c = { 0, 0, 0 };
	uint64_t work = 0;
	long r;
	if (!pager_test_hooks)
		r = -E_PERM;
	else if (kind == PROBE_UNMAP)
		r = probe_unmap(&c, &work);
	else if (kind == PROBE_MAP_COPY)
		r = probe_map_copy(&c, &work);
	else if (kind == PROBE_DESTROY)
		r = probe_destroy(&c, &work);
	else if (kind == PROBE_LAST_DESTROY) {
		c = exits;
		work = exits.calls;
		exits = (struct cost){ 0, 0, 0 };
		r = 0;
	} else
		r = -E_INVAL;
	*m = msg_make(0, (uint64_t)r, c.instret, c.ticks, work);
	return 1;
}
