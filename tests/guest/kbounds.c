/*
 * Bounded time (docs/abi.md §13): each long kernel call run at its worst
 * and held to the budget: CALL_BUDGET instructions where rdinstret counts
 * instructions (QEMU -icount), else a wall-time bound that a frozen
 * machine fails. Calls in spaces with present pages are the pager's to
 * make (it alone owns frames): its PAGER_PROBE requests build those cases
 * and time them, under the boot argument pager.test_hooks=1. Run by
 * `make test` as the suite "kbounds", and again under -icount shift=0 as
 * "kbounds/icount" (boot argument kbounds.icount=1: the budget is exact).
 */
#include <string.h>
#include "harness.h"
#include "user.h"
#include "abi/pager.h"

#define TEST_VA (USER_BASE + 0x10000000UL)
#define LABEL_PING (LABEL_USER + 100)
#define GIB (1L << 30)
#define CALL_BUDGET 100000                /* most instructions one kernel call may take */
#define TIMEBASE_HZ 10000000UL            /* rdtime's rate on QEMU virt */
#define WALL_BOUND (TIMEBASE_HZ / 2)      /* without instruction counts: half a second a call */
#define TICKS_PER_US (TIMEBASE_HZ / 1000000)
#define TRIES 3                           /* a preemption can inflate one measurement: retry */
#define CALIBRATION_LOOPS 1000            /* iterations of the two-instruction loop */
#define CALIBRATION_SLACK 8               /* instructions around the loop */
#define USER_PAGES ((USER_TOP - USER_BASE) / PAGE_SIZE)
#define ICOUNT_ARG "kbounds.icount=1"     /* booted under -icount: hold to instructions, named kbounds/icount */
static int exact_budget;                  /* ICOUNT_ARG: rdinstret must count instructions */

/* What one kernel call cost: instructions by rdinstret, time by rdtime. */
struct cost {
	uint64_t instret, ticks;
};

/* Read rdinstret and rdtime. */
static inline void read_counters(uint64_t *instret, uint64_t *ticks)
{
	asm volatile("rdinstret %0\n\trdtime %1" : "=r"(*instret), "=r"(*ticks) :: "memory");
}

/* Make system call n with a0..a4 and measure it into *c; its result. */
static long timed_call(struct cost *c, long n, long a0, long a1, long a2, long a3, long a4)
{
	uint64_t i0, t0, i1, t1;
	read_counters(&i0, &t0);
	long r = sys_call6(n, a0, a1, a2, a3, a4, 0);
	read_counters(&i1, &t1);
	*c = (struct cost){ i1 - i0, t1 - t0 };
	return r;
}

/* The larger of two costs, field by field. */
static struct cost worse(struct cost a, struct cost b)
{
	return (struct cost){ a.instret > b.instret ? a.instret : b.instret,
	                      a.ticks > b.ticks ? a.ticks : b.ticks };
}

/* What rdinstret advances over n iterations of a two-instruction loop. */
static uint64_t loop_instret(uint64_t n)
{
	uint64_t before, after;
	asm volatile("rdinstret %0\n1:\taddi %2, %2, -1\n\tbnez %2, 1b\n\trdinstret %1"
	             : "=&r"(before), "=&r"(after), "+r"(n));
	return after - before;
}

/* Does rdinstret count this hart's instructions (QEMU -icount), not host clock ticks? */
static int counts_instructions(void)
{
	static int known = -1;
	for (int i = 0; known < 0 && i < TRIES; i++) {
		uint64_t short_run = loop_instret(CALIBRATION_LOOPS) - 2 * CALIBRATION_LOOPS;
		uint64_t long_run = loop_instret(5 * CALIBRATION_LOOPS) - 10 * CALIBRATION_LOOPS;
		if (short_run <= CALIBRATION_SLACK && long_run <= CALIBRATION_SLACK)
			known = 1;
	}
	if (known < 0)
		known = 0;
	return known;
}

/* Is c within the budget: CALL_BUDGET instructions where they are counted, else WALL_BOUND? */
static int within_budget(struct cost c)
{
	return counts_instructions() ? c.instret <= CALL_BUDGET : !exact_budget && c.ticks <= WALL_BOUND;
}

/* Take up to TRIES measurements until one is within the budget; print it and check it. */
static void check_bound(const char *what, struct cost (*measure)(void))
{
	struct cost c = measure();
	for (int i = 1; i < TRIES && !within_budget(c); i++)
		c = measure();
	if (exact_budget && !counts_instructions())
		printf("kbounds: %s needs rdinstret to count instructions (QEMU -icount)\n", ICOUNT_ARG);
	if (counts_instructions())
		printf("kbounds: %s: %lu instructions (budget %d)\n", what, (unsigned long)c.instret, CALL_BUDGET);
	else
		printf("kbounds: %s: %lu us (no instruction count: bound %lu us)\n", what,
		       (unsigned long)(c.ticks / TICKS_PER_US), (unsigned long)(WALL_BOUND / TICKS_PER_US));
	CHECK(within_budget(c));
}

static long bound_space;
static uint64_t probe_work;

/* The worst UNMAP a program can make: the most pages, nothing present, all its thread quota in the space. */
static struct cost unmap_empty_max(void)
{
	struct cost c;
	CHECK_EQ(timed_call(&c, SYS_UNMAP, bound_space, USER_BASE, UNMAP_MAX_PAGES, 0, 0), 0);
	return c;
}

/* The call that froze the machine for 30 s or more: UNMAP of all user space. */
static struct cost unmap_all_user_space(void)
{
	struct cost c;
	CHECK_EQ(timed_call(&c, SYS_UNMAP, bound_space, USER_BASE, USER_PAGES, 0, 0), -E_RANGE);
	return c;
}

/* UNMAP is refused above UNMAP_MAX_PAGES and bounded below it, in a space with threads. */
static void test_bound_unmap_empty_space(void)
{
	bound_space = sys_space_create();
	CHECK(bound_space > 0);
	for (int i = 0; i < MAX_THREADS_PER_PAGER; i++)
		CHECK(sys_thread_create(bound_space, TEST_VA, TEST_VA) > 0);
	check_bound("UNMAP of all user space (refused)", unmap_all_user_space);
	check_bound("UNMAP of UNMAP_MAX_PAGES absent pages", unmap_empty_max);
	CHECK_EQ(sys_unmap(bound_space, USER_BASE, UNMAP_MAX_PAGES + 1), -E_RANGE);
	CHECK_EQ(sys_unmap(bound_space, USER_TOP - PAGE_SIZE, 2), -E_RANGE);
	CHECK_EQ(sys_unmap(bound_space, USER_TOP - PAGE_SIZE, 1), 0);
	CHECK_EQ(sys_unmap(bound_space, USER_BASE, 0), 0);
	CHECK_EQ(sys_space_destroy(bound_space), 0);
}

/* Ask the pager to run kernel probe `kind`; the cost it reports (its work in probe_work). */
static struct cost run_probe(uint64_t kind)
{
	struct msg m = msg_make(PAGER_PROBE, kind, 0, 0, 0);
	long r = pager_request(&m, NULL, 0);
	if (r == -E_PERM)
		printf("kbounds: PAGER_PROBE needs the boot argument pager.test_hooks=1\n");
	CHECK_EQ(r, 0);
	probe_work = m.w[3];
	return (struct cost){ m.w[1], m.w[2] };
}

static struct cost probe_unmap(void) { return run_probe(PROBE_UNMAP); }
static struct cost probe_map_copy(void) { return run_probe(PROBE_MAP_COPY); }
static struct cost probe_destroy(void) { return run_probe(PROBE_DESTROY); }

/* UNMAP of UNMAP_MAX_PAGES present pages (over two page tables) stays within the budget. */
static void test_bound_unmap_full(void)
{
	check_bound("UNMAP of UNMAP_MAX_PAGES present pages", probe_unmap);
	CHECK_EQ(probe_work, UNMAP_MAX_PAGES);
}

/* MAP_COPY of MAP_COPY_MAX_PAGES absent pages between empty spaces. */
static struct cost map_copy_empty_max(void)
{
	struct cost c;
	long a = sys_space_create(), b = sys_space_create();
	CHECK(a > 0 && b > 0);
	CHECK_EQ(timed_call(&c, SYS_MAP_COPY, a, b, USER_BASE, MAP_COPY_MAX_PAGES, RIGHT_W), 0);
	CHECK_EQ(sys_space_destroy(a), 0);
	CHECK_EQ(sys_space_destroy(b), 0);
	return c;
}

/* MAP_COPY of MAP_COPY_MAX_PAGES pages, absent or present and losing W, stays within the budget. */
static void test_bound_map_copy_max(void)
{
	check_bound("MAP_COPY of MAP_COPY_MAX_PAGES absent pages", map_copy_empty_max);
	check_bound("MAP_COPY of MAP_COPY_MAX_PAGES present pages", probe_map_copy);
	CHECK_EQ(probe_work, MAP_COPY_MAX_PAGES);
}

/* Each call of a SPACE_DESTROY of a space with the most page tables the pool allows, and a full thread table. */
static void test_bound_space_destroy_most_tables(void)
{
	long pool = sys_kstat(KSTAT_POOL_FREE);
	check_bound("SPACE_DESTROY call, most page tables", probe_destroy);
	printf("kbounds: that space had %lu page tables\n", (unsigned long)probe_work);
	CHECK(probe_work >= (uint64_t)pool - 1);          /* the pool was emptied */
	CHECK_EQ(sys_kstat(KSTAT_POOL_FREE), pool);
}

/*
 * Child: a process that pages MAX_SPACES_PER_PAGER spaces holding its
 * whole thread quota (half of the threads with a fault queued on it), and
 * whose heap has a page in every gigabyte it can reach (a level-1 and a
 * level-0 table each); then it waits in a call to its parent until killed.
 */
static void nested_pager(void)
{
	long spaces[MAX_SPACES_PER_PAGER];
	for (int i = 0; i < MAX_SPACES_PER_PAGER; i++)
		CHECK((spaces[i] = sys_space_create()) > 0);
	for (int i = 0; i < MAX_THREADS_PER_PAGER; i++) {
		long t = sys_thread_create(spaces[i % MAX_SPACES_PER_PAGER], TEST_VA, TEST_VA);
		CHECK(t > 0);
		struct msg start = msg_make(0, 0, 0, 0, 0);
		if (i % 2)
			CHECK_EQ(ipc_reply(t, &start, NULL), 0);
	}
	char *p;
	int lazy = policy_is_lazy();                        /* else sbrk would fill every page */
	while (lazy && (p = sbrk(GIB)) != (char *)-1)
		p[0] = 1;
	struct msg m = msg_make(LABEL_PING, 0, 0, 0, 0);
	ipc_call(spawner_tid, &m, NULL, NULL, 0);
}

/* Kill a nested_pager child; the pager's costliest SPACE_DESTROY call for it. */
static struct cost kill_nested_pager(void)
{
	run_probe(PROBE_LAST_DESTROY);                      /* forget earlier exits */
	int pid = spawn_child(nested_pager);
	struct msg m;
	CHECK(ipc_recv(TID_ANY, &m, NULL, 0) > 0);          /* it is ready */
	CHECK_EQ(kill(pid), 0);
	reap_child(pid, EXIT_KILLED);
	struct cost c = run_probe(PROBE_LAST_DESTROY);
	CHECK(probe_work >= 3);                             /* its threads, its children, its tables */
	return c;
}

/* Each step of SPACE_DESTROY of a space that pages others, with threads waiting on it, its own. */
static struct cost destroy_own_space(void)
{
	struct cost c = { 0, 0 }, step;
	long s = sys_space_create(), r;
	CHECK(s > 0);
	for (int i = 0; i < MAX_THREADS_PER_PAGER; i++)
		CHECK(sys_thread_create(s, TEST_VA, TEST_VA) > 0);
	while ((r = timed_call(&step, SYS_SPACE_DESTROY, s, 0, 0, 0, 0)) == SPACE_DESTROY_MORE)
		c = worse(c, step);
	CHECK_EQ(r, 0);
	return worse(c, step);
}

/* SPACE_DESTROY of a process with child spaces, threads and scattered tables: each call within the budget. */
static void test_bound_space_destroy_process(void)
{
	check_bound("SPACE_DESTROY call, a process paging others", kill_nested_pager);
	check_bound("SPACE_DESTROY call, a space with a full thread quota", destroy_own_space);
}

static char console_buf[IPC_BUF_MAX];

/* CONSOLE_WRITE of the most newlines (two characters each) it takes. */
static struct cost console_write_max(void)
{
	struct cost c;
	memset(console_buf, '\n', sizeof(console_buf));
	CHECK_EQ(timed_call(&c, SYS_CONSOLE_WRITE, (long)console_buf, sizeof(console_buf), 0, 0, 0),
	         CONSOLE_WRITE_MAX);
	return c;
}

/* CONSOLE_WRITE writes at most CONSOLE_WRITE_MAX bytes a call, within the budget. */
static void test_bound_console_write(void)
{
	check_bound("CONSOLE_WRITE of IPC_BUF_MAX newlines", console_write_max);
	CHECK_EQ(sys_console_write("ok\n", 3), 3);
}

/* Child: call the parent with the largest buffer, misaligned (the byte-at-a-time copy). */
static void big_caller(void)
{
	static char out[IPC_BUF_MAX + 8];
	memset(out, 'x', sizeof(out));
	struct msg m = msg_make(LABEL_PING, 0, 0, 0, 0);
	m.tag = TAG(LABEL_PING, IPC_BUF_MAX);
	CHECK_EQ(ipc_call(spawner_tid, &m, out + 3, NULL, 0), spawner_tid);
}

/* A receive that takes a queued call with IPC_BUF_MAX misaligned bytes. */
static struct cost receive_biggest(void)
{
	static char in[IPC_BUF_MAX + 8];
	memset(in, 0, sizeof(in));
	int pid = spawn_child(big_caller);
	CHECK_EQ(sleep(2), 0);                             /* the child's call is queued meanwhile */
	struct msg m = { 0, { 0, 0, 0, 0 } };
	uint64_t i0, t0, i1, t1;
	read_counters(&i0, &t0);
	long from = sys_ipc(SYS_RECV, TID_ANY, &m, NULL, in + 1, IPC_BUF_MAX);
	read_counters(&i1, &t1);
	CHECK(from > 0);
	CHECK_EQ(TAG_LENGTH(m.tag), IPC_BUF_MAX);
	CHECK_EQ(in[IPC_BUF_MAX], 'x');
	m = msg_make(0, 0, 0, 0, 0);
	CHECK_EQ(ipc_reply(from, &m, NULL), 0);
	reap_child(pid, 0);
	return (struct cost){ i1 - i0, t1 - t0 };
}

/* The calls whose work is a pass over a table or a page of memory. */
static struct cost table_scans(void)
{
	struct cost c = { 0, 0 }, one;
	static char buf[IPC_BUF_MAX + 8];
	CHECK(timed_call(&one, SYS_KSTAT, KSTAT_THREADS, 0, 0, 0, 0) > 0);
	c = worse(c, one);
	CHECK(timed_call(&one, SYS_KSTAT, KSTAT_SPACES, 0, 0, 0, 0) > 0);
	c = worse(c, one);
	long s = timed_call(&one, SYS_SPACE_CREATE, 0, 0, 0, 0, 0);
	CHECK(s > 0);
	c = worse(c, one);
	CHECK(timed_call(&one, SYS_THREAD_CREATE, s, TEST_VA, TEST_VA, 0, 0) > 0);
	c = worse(c, one);
	CHECK_EQ(timed_call(&one, SYS_USER_CHECK, (long)buf + 1, IPC_BUF_MAX, 1, 0, 0), 0);
	c = worse(c, one);
	CHECK_EQ(sys_space_destroy(s), 0);
	return c;
}

/* IPC with the largest misaligned buffer, and the calls that scan a table, stay within the budget. */
static void test_bound_ipc_and_scans(void)
{
	check_bound("RECV of a queued call with IPC_BUF_MAX misaligned bytes", receive_biggest);
	check_bound("KSTAT, SPACE_CREATE, THREAD_CREATE, USER_CHECK", table_scans);
}

static const struct test tests[] = {
	{ "bound_unmap_empty_space", test_bound_unmap_empty_space },
	{ "bound_unmap_full", test_bound_unmap_full },
	{ "bound_map_copy_max", test_bound_map_copy_max },
	{ "bound_space_destroy_most_tables", test_bound_space_destroy_most_tables },
	{ "bound_space_destroy_process", test_bound_space_destroy_process },
	{ "bound_console_write", test_bound_console_write },
	{ "bound_ipc_and_scans", test_bound_ipc_and_scans },
};

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], ICOUNT_ARG) == 0)
			exact_budget = 1;
	return run_tests(exact_budget ? "kbounds/icount" : "kbounds", tests, sizeof(tests) / sizeof(tests[0]),
	                 argc, argv);
}
