/*
 * The system-call fuzzer: random system-call numbers and arguments (wild
 * and kernel pointers, misaligned and huge lengths, stale and foreign ids,
 * spaces and threads of its own), 100,000 calls by default (boot argument
 * fuzz.calls=N for more). The kernel must answer every call with a result
 * or an error, never panic, and give back everything when the fuzzing
 * process ends (the harness compares frames, the kernel pool, threads and
 * spaces). Calls that would block for ever or print junk on the console
 * are steered clear of: receives only name threads that cannot send, and
 * console writes only get bad pointers.
 */
#include <string.h>
#include "harness.h"
#include "user.h"
#include "abi/pager.h"

#define DEFAULT_CALLS 100000
#define CALLS_ARG "fuzz.calls="
#define SEED 0x5eed1234abcdUL
#define EXTRA_NUMBERS 8                 /* numbers past SYS_COUNT to try too */
#define WILD_USER 0x2000000000UL
#define KERNEL_ADDR 0x80200000UL
#define HUGE_LEN (1UL << 40)
#define USER_PAGES ((USER_TOP - USER_BASE) / PAGE_SIZE)   /* an UNMAP of all of it once froze the machine */

static long calls = DEFAULT_CALLS;
static uint64_t rng = SEED;
static char heap_buf[2 * PAGE_SIZE];
static long my_spaces[MAX_SPACES_PER_PAGER], my_threads[8];

/* The next pseudo-random number (xorshift64). */
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* An argument worth trying: a value from the interesting pool, or random bits. */
static uint64_t argument(void)
{
	uint64_t pool[] = {
		0, 1, (uint64_t)-1, next(), KERNEL_ADDR, WILD_USER, (uint64_t)heap_buf,
		(uint64_t)heap_buf + 3, (uint64_t)&pool, USER_TOP - 1, USER_BASE, HUGE_LEN,
		IPC_BUF_MAX + 1, PAGE_SIZE, (uint64_t)sys_gettid(), (uint64_t)my_spaces[next() % MAX_SPACES_PER_PAGER],
		(uint64_t)my_threads[next() % 8], RIGHTS_ALL, RIGHT_W, MAP_MAX_PAGES + 1, USER_PAGES,
	};
	return pool[next() % (sizeof(pool) / sizeof(pool[0]))];
}

/* A thread id that cannot keep us waiting: ourselves, or nobody. */
static uint64_t safe_peer(void)
{
	uint64_t pool[] = { (uint64_t)sys_gettid(), 123456789, (uint64_t)-5, 0 };
	return pool[next() % (sizeof(pool) / sizeof(pool[0]))];
}

/* Make the arguments of call n safe to make (no endless block, no console junk). */
static void steer(uint64_t n, uint64_t a[6])
{
	switch (n) {
	case SYS_SEND: case SYS_CALL: case SYS_RECV: case SYS_REPLY: case SYS_REPLY_RECV:
		a[0] = safe_peer();
		if (n == SYS_RECV && a[0] == 0)
			a[0] = 123456789;           /* notifications only: might never come */
		break;
	case SYS_CONSOLE_WRITE:
		a[0] = next() % 2 ? KERNEL_ADDR : WILD_USER;
		break;
	case SYS_YIELD: case SYS_POWEROFF:
		break;
	}
}

/* Remember spaces and threads our calls created, so later calls use them. */
static void remember(uint64_t n, long r)
{
	if (r <= 0)
		return;
	if (n == SYS_SPACE_CREATE)
		my_spaces[next() % MAX_SPACES_PER_PAGER] = r;
	if (n == SYS_THREAD_CREATE || n == SYS_THREAD_COPY)
		my_threads[next() % 8] = r;
}

/* One random system call through the raw IPC or register stub; its result. */
static long one_call(void)
{
	uint64_t n = next() % (SYS_COUNT + EXTRA_NUMBERS), a[6];
	struct msg m;
	if (next() % 64 == 0)
		n = next();                     /* a wild number */
	for (int i = 0; i < 6; i++)
		a[i] = argument();
	steer(n, a);
	m.tag = next() % 4 ? TAG(next() % (LABEL_USER + 64), next() % 16) : argument();
	if (TAG_LABEL(m.tag) >= LABEL_FAULT && TAG_LABEL(m.tag) <= LABEL_NOTIFY && n == SYS_REPLY)
		m.tag = TAG(LABEL_USER, 0);
	for (int i = 0; i < MSG_WORDS; i++)
		m.w[i] = argument();
	long r = n <= SYS_REPLY_RECV ? sys_ipc((long)n, (long)a[0], &m, (void *)a[1], (void *)a[2], a[3])
	                             : sys_call6((long)n, (long)a[0], (long)a[1], (long)a[2],
	                                         (long)a[3], (long)a[4], (long)a[5]);
	remember(n, r);
	return r;
}

/* Many random calls; the kernel answers each, and ordinary calls still work after. */
static void test_random_syscalls(void)
{
	long errors = 0;
	for (long i = 0; i < calls; i++)
		errors += one_call() < 0;
	CHECK(errors > calls / 2);              /* most random calls are refused */
	CHECK(getpid() > 0);
	char *p = sbrk(PAGE_SIZE);
	p[0] = 1;
	CHECK_EQ(p[0], 1);
	printf("sysfuzz: %ld calls, %ld refused\n", calls, errors);
}

/* Calls with every argument at an extreme, for each system-call number in turn. */
static void test_extremes_per_call(void)
{
	static const uint64_t extremes[] = { 0, (uint64_t)-1, KERNEL_ADDR, WILD_USER, HUGE_LEN, USER_BASE, USER_PAGES };
	for (uint64_t n = 0; n < SYS_COUNT + EXTRA_NUMBERS; n++) {
		for (unsigned e = 0; e < sizeof(extremes) / sizeof(extremes[0]); e++) {
			uint64_t a[6] = { extremes[e], extremes[e], extremes[e], extremes[e], extremes[e], extremes[e] };
			steer(n, a);
			if (n == SYS_RECV)
				a[0] = 123456789;
			struct msg m = { extremes[e], { extremes[e], extremes[e], extremes[e], extremes[e] } };
			if (n <= SYS_REPLY_RECV)
				sys_ipc((long)n, (long)a[0], &m, (void *)a[1], (void *)a[2], a[3]);
			else
				sys_call6((long)n, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4], (long)a[5]);
		}
	}
	CHECK(getpid() > 0);
}

static const struct test tests[] = {
	{ "random_syscalls", test_random_syscalls },
	{ "extremes_per_call", test_extremes_per_call },
};

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], CALLS_ARG, strlen(CALLS_ARG)) == 0)
			calls = atol(argv[i] + strlen(CALLS_ARG));
	return run_tests("sysfuzz", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
