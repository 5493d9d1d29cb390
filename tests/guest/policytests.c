/*
 * Paging-policy tests: copy-on-write keeps parent and child apart and
 * stops copying once a page is no longer shared; pages evicted to swap
 * come back exactly, with a working set four times the frames, with
 * several processes at once and across fork, pages shared since a fork
 * included; switching the policy of a
 * running program keeps its memory; an unknown policy changes nothing
 * and is refused naming the wrong part; PAGER_MAPS and PAGER_PROC_INFO
 * report a process's regions and name processes; pagerctl refuses
 * malformed command lines with status 1.
 * Run by `make test` as "policytests" under fifo and under clock, with
 * the pager limited to a few frames (pager.frames=).
 */
#include <string.h>
#include "harness.h"
#include "user.h"
#include "abi/pager.h"

#define COW_PAGES 16
#define ROUNDS 4
#define WORKING_SET_FACTOR 4
#define MULTI_PROCS 3
#define MULTI_FACTOR 2                  /* together: about MULTI_FACTOR + 1.5 times the frames */

/* Set the policy of pid (0: all) to spec; the pager's result. */
static long set_policy(int pid, const char *spec)
{
	char reply[PAGE_SIZE];
	struct msg m = msg_make(PAGER_POLICY_SET, (uint64_t)pid, 0, 0, 0);
	m.tag = TAG(PAGER_POLICY_SET, strlen(spec) + 1);
	CHECK_EQ(ipc_call(libsys_pager_tid, &m, spec, reply, sizeof(reply)), libsys_pager_tid);
	return (long)m.w[0];
}

/* A word of pattern for page i, word j, with a seed. */
static uint64_t word_of(uint64_t seed, long i, long j)
{
	return seed * 0x9e3779b97f4a7c15UL ^ (uint64_t)i << 20 ^ (uint64_t)j;
}

/* Fill pages [0, n) at base with the seeded pattern. */
static void fill(char *base, long n, uint64_t seed)
{
	for (long i = 0; i < n; i++) {
		uint64_t *w = (uint64_t *)(base + i * PAGE_SIZE);
		for (long j = 0; j < (long)(PAGE_SIZE / sizeof(*w)); j++)
			w[j] = word_of(seed, i, j);
	}
}

/* Check pages [0, n) at base byte for byte against the seeded pattern. */
static void check_fill(const char *base, long n, uint64_t seed)
{
	static uint64_t want[PAGE_SIZE / sizeof(uint64_t)];
	for (long i = 0; i < n; i++) {
		for (long j = 0; j < (long)(PAGE_SIZE / sizeof(uint64_t)); j++)
			want[j] = word_of(seed, i, j);
		CHECK(memcmp(base + i * PAGE_SIZE, want, PAGE_SIZE) == 0);
	}
}

/* How many frames the pager may use in all. */
static long frame_limit(void)
{
	return (long)pager_stats_of(0).frames_total;
}

/* Parent and child write the same pages in turn; each sees only its own writes. */
static void test_cow_writes_stay_apart(void)
{
	char *pages = sbrk(COW_PAGES * PAGE_SIZE);
	int to_child[2], to_parent[2];
	char token = 't';
	fill(pages, COW_PAGES, 1);
	CHECK_EQ(pipe(to_child), 0);
	CHECK_EQ(pipe(to_parent), 0);
	int pid = fork();
	if (pid == 0) {
		for (int r = 0; r < ROUNDS; r++) {
			CHECK_EQ(read(to_child[0], &token, 1), 1);
			check_fill(pages, COW_PAGES, r == 0 ? 1 : 100 + (uint64_t)r - 1);
			fill(pages, COW_PAGES, 100 + (uint64_t)r);
			CHECK_EQ(write(to_parent[1], &token, 1), 1);
		}
		exit(0);
	}
	for (int r = 0; r < ROUNDS; r++) {
		check_fill(pages, COW_PAGES, r == 0 ? 1 : 200 + (uint64_t)r - 1);
		fill(pages, COW_PAGES, 200 + (uint64_t)r);
		CHECK_EQ(write(to_child[1], &token, 1), 1);
		CHECK_EQ(read(to_parent[0], &token, 1), 1);
	}
	check_fill(pages, COW_PAGES, 200 + ROUNDS - 1);
	int status = -100;
	CHECK_EQ(wait(&status), pid);
	CHECK_EQ(status, 0);
}

/* Child: exit at once. */
static void just_exit(void)
{
}

/* Once the child is gone, the parent's writes copy nothing (under cow). */
static void test_cow_no_copy_after_child_exit(void)
{
	char *pages = sbrk(COW_PAGES * PAGE_SIZE);
	fill(pages, COW_PAGES, 3);
	CHECK_EQ(set_policy(getpid(), "lazy,cow,none"), 0);
	CHECK_EQ(run_child(just_exit), 0);
	struct pager_stats before = pager_stats_of(getpid());
	fill(pages, COW_PAGES, 4);
	struct pager_stats after = pager_stats_of(getpid());
	CHECK_EQ(after.cow_copies, before.cow_copies);
	CHECK(after.cow_reuses >= before.cow_reuses + COW_PAGES);
	check_fill(pages, COW_PAGES, 4);
}

/* A working set four times the frames comes back from swap byte for byte. */
static void test_swap_working_set(void)
{
	long pages = WORKING_SET_FACTOR * frame_limit();
	char *base = sbrk((int)(pages * PAGE_SIZE));
	CHECK(base != (char *)-1);
	fill(base, pages, 5);
	check_fill(base, pages, 5);
	struct pager_stats s = pager_stats_of(getpid());
	CHECK(s.evictions >= (uint64_t)pages / 2);
	CHECK(s.swap_ins >= (uint64_t)pages / 2);
	check_fill(base, pages, 5);
}

/* Child: its own working set of twice the frames, checked twice. */
static void swap_worker(void)
{
	long pages = MULTI_FACTOR * frame_limit() / MULTI_PROCS + frame_limit() / 2;
	char *base = sbrk((int)(pages * PAGE_SIZE));
	uint64_t seed = (uint64_t)getpid() * 7;
	fill(base, pages, seed);
	check_fill(base, pages, seed);
	check_fill(base, pages, seed);
}

/* Several processes swapping at once each get their own pages back. */
static void test_swap_several_processes(void)
{
	int pids[MULTI_PROCS];
	for (int i = 0; i < MULTI_PROCS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			swap_worker();
			exit(0);
		}
	}
	for (int i = 0; i < MULTI_PROCS; i++) {
		int status = -100;
		CHECK(wait(&status) > 0);
		CHECK_EQ(status, 0);
	}
}

/* Swapped-out pages survive fork: the child reads them, each side then changes its own. */
static void test_swap_across_fork(void)
{
	long pages = 2 * frame_limit();
	char *base = sbrk((int)(pages * PAGE_SIZE));
	fill(base, pages, 8);
	int pid = fork();
	if (pid == 0) {
		check_fill(base, pages, 8);
		fill(base, pages / 2, 9);
		check_fill(base, pages / 2, 9);
		exit(0);
	}
	int status = -100;
	CHECK_EQ(wait(&status), pid);
	CHECK_EQ(status, 0);
	check_fill(base, pages, 8);
}

/*
 * Pages shared copy-on-write since a fork can be evicted: a child that
 * needs frames takes them from the pages it shares with its parent, and
 * both still read their own data.
 */
static void test_swap_shared_pages(void)
{
	long pages = frame_limit() / 2;
	char *base = sbrk((int)(pages * PAGE_SIZE));
	int go[2];
	char token = 'g';
	fill(base, pages, 12);
	CHECK_EQ(pipe(go), 0);
	int pid = fork();
	if (pid == 0) {
		CHECK_EQ(read(go[0], &token, 1), 1);
		long more = (long)pager_stats_of(0).frames_free + pages / 2;   /* pages/2 more than are free */
		char *mine = sbrk((int)(more * PAGE_SIZE));
		fill(mine, more, 13);
		check_fill(mine, more, 13);
		check_fill(base, pages, 12);
		exit(0);
	}
	uint64_t evicted_before = pager_stats_of(getpid()).evictions;
	CHECK_EQ(write(go[1], &token, 1), 1);
	int status = -100;
	CHECK_EQ(wait(&status), pid);
	CHECK_EQ(status, 0);
	/* The oldest pages were the shared ones: many of them went to swap (unless the child's own went first: local:N, pff:N). */
	char spec[POLICY_SPEC_MAX];
	pager_policy(spec, sizeof(spec));
	if (!strstr(spec, ",local:") && !strstr(spec, ",pff:"))
		CHECK(pager_stats_of(getpid()).evictions >= evicted_before + (uint64_t)pages / 4);
	check_fill(base, pages, 12);
	close(go[0]);
	close(go[1]);
}

/* Switching a running program's policy keeps every byte of its memory. */
static void test_switch_policy_while_running(void)
{
	static const char *const specs[] = {
		"around:4,copy,fifo", "eager,cow,clock", "lazy,copy,clock", "lazy,cow,fifo",
	};
	long pages = 2 * frame_limit();
	char *base = sbrk((int)(pages * PAGE_SIZE));
	fill(base, pages / 2, 10);
	for (unsigned i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		CHECK_EQ(set_policy(getpid(), specs[i]), 0);
		char now[POLICY_SPEC_MAX];
		CHECK(strcmp(pager_policy(now, sizeof(now)), specs[i]) == 0);
		check_fill(base, pages / 2, 10);
		CHECK_EQ(run_child(just_exit), 0);
	}
	fill(base + pages / 2 * PAGE_SIZE, pages / 2, 11);
	check_fill(base, pages / 2, 10);
	check_fill(base + pages / 2 * PAGE_SIZE, pages / 2, 11);
}

/* An unknown policy is refused with a line naming the wrong part and its choices, and nothing changes. */
static void test_unknown_policy(void)
{
	char before[POLICY_SPEC_MAX], after[POLICY_SPEC_MAX], reply[PAGE_SIZE];
	pager_policy(before, sizeof(before));
	static const char *const bad[][2] = {
		{ "lazy", "'lazy' has 1 part; a policy is 3 or 4: ALLOC,FORK,REPLACEMENT[,SCOPE]" },
		{ "lazy,cow", "has 2 parts" },
		{ "lazy,cow,lru", "unknown replacement policy 'lru' in 'lazy,cow,lru'; choices: none fifo clock eclock aging wsclock random" },
		{ "lazy,cow,lru:4", "unknown replacement policy 'lru' in 'lazy,cow,lru:4'" },
		{ "lazy,cow,wsclock:0", "bad parameter '0' of replacement policy 'wsclock' in 'lazy,cow,wsclock:0': TAU" },
		{ "lazy,cow,aging:x", "bad parameter 'x' of replacement policy 'aging' in 'lazy,cow,aging:x': PERIOD" },
		{ "lazy,cow,aging:", "bad parameter '' of replacement policy 'aging'" },
		{ "lazy,cow,fifo:3", "replacement policy 'fifo' takes no parameter" },
		{ "lazy,cow,clock,near", "unknown scope 'near'; choices: global local:N pff:N" },
		{ "lazy,cow,clock,local:5", "bad frame limit in scope 'local:5': local:N takes N from 16" },
		{ "lazy,cow,clock,pff:", "bad frame limit in scope 'pff:'" },
		{ "lazy,cow,none,local:100", "scope 'local:100' needs a replacement policy that evicts, not none" },
		{ "around:1,cow,none", "bad page count in allocation policy 'around:1'" },
		{ "around:x,cow,none", "around:N takes N from 2 to 64" },
		{ "around:,cow,none", "bad page count in allocation policy 'around:'" },
		{ "lazzy,cow,none", "unknown allocation policy 'lazzy' in 'lazzy,cow,none'; choices: eager lazy around:N" },
		{ "eager,fork,none", "unknown fork policy 'fork' in 'eager,fork,none'; choices: copy cow" },
		{ "", "'' has 1 part" },
		{ ",,", "unknown allocation policy ''" },
		{ "lazy,cow,none,", "unknown scope ''" },
		{ "lazy,cow,none,global,", "has 5 parts" },
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct msg m = msg_make(PAGER_POLICY_SET, (uint64_t)getpid(), 0, 0, 0);
		m.tag = TAG(PAGER_POLICY_SET, strlen(bad[i][0]) + 1);
		reply[0] = '\0';
		CHECK_EQ(ipc_call(libsys_pager_tid, &m, bad[i][0], reply, sizeof(reply)), libsys_pager_tid);
		CHECK_EQ((long)m.w[0], -E_INVAL);
		if (!strstr(reply, bad[i][1]))
			printf("policy '%s' answered: %s\n", bad[i][0], reply);
		CHECK(strstr(reply, bad[i][1]) != NULL);
	}
	CHECK(strcmp(pager_policy(after, sizeof(after)), before) == 0);
	CHECK_EQ(set_policy(99999, "lazy,cow,none"), -E_NOENT);
}

#define MAPS_TOUCH 9                    /* heap pages maps_heap_pages touches */

/* Region index of process pid (0: the caller) into *r; the number of regions, or an error. */
static long pager_region(int pid, long index, struct pager_region *r)
{
	memset(r, 0, sizeof(*r));
	struct msg m = msg_make(PAGER_MAPS, (uint64_t)pid, (uint64_t)index, 0, 0);
	CHECK_EQ(ipc_call(libsys_pager_tid, &m, NULL, r, sizeof(*r)), libsys_pager_tid);
	return (long)m.w[0];
}

/* The caller's first region of a kind into *out; 1 if there is one. */
static int region_of(uint64_t kind, struct pager_region *out)
{
	struct pager_region r;
	long n = pager_region(0, 0, &r);
	for (long i = 0; i < n; i++) {
		CHECK_EQ(pager_region(0, i, &r), n);
		if (r.kind == kind) {
			*out = r;
			return 1;
		}
	}
	return 0;
}

/* PAGER_MAPS: text, heap and stack with sane counts; touching N heap pages gives the heap N more. */
static void test_maps_heap_pages(void)
{
	struct pager_region text, heap, stack, after;
	CHECK(region_of(PAGER_REGION_TEXT, &text) && region_of(PAGER_REGION_STACK, &stack));
	CHECK(text.present >= 1 && (text.rights & RIGHT_X) && !(text.rights & RIGHT_W));
	CHECK(strcmp(path_last(text.name), "policytests") == 0);   /* "policytests" (archive), "/tests/policytests" */
	CHECK(stack.present + stack.swapped >= 1 && stack.end == PROC_STACK_TOP && stack.name[0] == '\0');
	CHECK(region_of(PAGER_REGION_HEAP, &heap));
	char *base = sbrk(MAPS_TOUCH * PAGE_SIZE);
	for (int i = 0; i < MAPS_TOUCH; i++)
		base[i * PAGE_SIZE] = 1;
	CHECK(region_of(PAGER_REGION_HEAP, &after));
	CHECK_EQ(after.start, heap.start);
	CHECK_EQ(after.end, heap.end + MAPS_TOUCH * PAGE_SIZE);
	CHECK_EQ(after.present + after.swapped, heap.present + heap.swapped + MAPS_TOUCH);
	CHECK(after.present <= (after.end - after.start) / PAGE_SIZE);
	struct pager_region r;
	long n = pager_region(0, 0, &r);
	CHECK_EQ(pager_region(0, n, &r), n);                 /* past the end: the count, no region */
	CHECK_EQ(pager_region(99999, 0, &r), -E_NOENT);
	CHECK(pager_region(1, 0, &r) > 0);          /* pid 1 (fs, or init without one): anyone may read a map */
}

/* The process table (PAGER_PROC_INFO, what pagerctl stats names processes by) lists the caller with its name. */
static void test_procs_names(void)
{
	struct proc_info info;
	int n = 0, found = 0;
	for (int slot = 0; (slot = procinfo(slot, &info)) >= 0; slot++, n++)
		if (info.pid == getpid())
			found = is_own_name(info.name) && !info.server;
	CHECK(n >= 3);
	CHECK(found);
}

/* Run pagerctl with argv; its exit status. */
static int run_pagerctl(char **argv)
{
	int pid = fork(), status = -100;
	if (pid == 0) {
		close(1);                       /* its messages are not this test's output */
		close(2);
		exec("pagerctl", argv);
		exit(99);
	}
	CHECK(pid > 0);
	CHECK_EQ(wait(&status), pid);
	return status;
}

/* pagerctl refuses malformed command lines with status 1, and takes good ones. */
static void test_pagerctl_refuses(void)
{
	static char *bad[][5] = {
		{ "pagerctl", "get", "--pid", "abc", 0 }, { "pagerctl", "get", "--pid", 0 },
		{ "pagerctl", "stats", "12x", 0 }, { "pagerctl", "maps", "-1", 0 },
		{ "pagerctl", "get", "junk", 0 }, { "pagerctl", "frobnicate", 0 },
		{ "pagerctl", "trace", "maybe", 0 }, { "pagerctl", "run", "lazzy,cow,none", "echo", 0 },
		{ "pagerctl", 0 },
	};
	static char *good[][4] = {
		{ "pagerctl", "get", 0 }, { "pagerctl", "stats", 0 }, { "pagerctl", "maps", 0 },
		{ "pagerctl", "help", 0 },
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(run_pagerctl(bad[i]), 1);
	for (unsigned i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CHECK_EQ(run_pagerctl(good[i]), 0);
}

#define RECORD_PAGES 64

/* One PAGER_RECORD call: w0 of the answer, events into ev (RECORD_READ). */
static long record_call(long pid, uint64_t op, uint64_t from, uint64_t *ev, uint64_t cap)
{
	struct msg m = msg_make(PAGER_RECORD, (uint64_t)pid, op, from, 0);
	m.tag = TAG(PAGER_RECORD, 0);
	CHECK_EQ(ipc_call(libsys_pager_tid, &m, NULL, ev, cap), libsys_pager_tid);
	return (long)m.w[0];
}

/* A process records its own faults: each new page it touches is an event at its address; init cannot be recorded by it. */
static void test_record_trace(void)
{
	static uint64_t ev[RECORD_READ_MAX];
	char *base = sbrk(RECORD_PAGES * PAGE_SIZE);
	CHECK_EQ(record_call(getpid(), RECORD_START, 0, NULL, 0), 0);
	for (long i = 0; i < RECORD_PAGES; i++)
		base[i * PAGE_SIZE] = 1;
	CHECK_EQ(record_call(getpid(), RECORD_STOP, 0, NULL, 0), 0);
	long n = record_call(getpid(), RECORD_READ, 0, ev, sizeof(ev)), found = 0;
	for (long k = 0; k < n; k++)
		found += !(ev[k] & RECORD_SAMPLE) && (ev[k] & ~(uint64_t)(PAGE_SIZE - 1)) >= (uint64_t)base &&
		         (ev[k] & ~(uint64_t)(PAGE_SIZE - 1)) < (uint64_t)base + RECORD_PAGES * PAGE_SIZE;
	CHECK(found >= RECORD_PAGES);
	CHECK_EQ(record_call(1, RECORD_START, 0, NULL, 0), -E_PERM);         /* not its own, nor a child */
	CHECK_EQ(record_call(987654, RECORD_START, 0, NULL, 0), -E_NOENT);
	CHECK_EQ(record_call(getpid(), 99, 0, NULL, 0), -E_INVAL);
}

static const struct test tests[] = {
	{ "cow_writes_stay_apart", test_cow_writes_stay_apart },
	{ "cow_no_copy_after_child_exit", test_cow_no_copy_after_child_exit },
	{ "swap_working_set", test_swap_working_set },
	{ "swap_several_processes", test_swap_several_processes },
	{ "swap_across_fork", test_swap_across_fork },
	{ "swap_shared_pages", test_swap_shared_pages },
	{ "switch_policy_while_running", test_switch_policy_while_running },
	{ "unknown_policy", test_unknown_policy },
	{ "maps_heap_pages", test_maps_heap_pages },
	{ "procs_names", test_procs_names },
	{ "pagerctl_refuses", test_pagerctl_refuses },
	{ "record_trace", test_record_trace },
};

/* Results are named policytests/<policy>/<test>. */
int main(int argc, char **argv)
{
	char suite[POLICY_SPEC_MAX + 16];
	policy_suite_name("policytests", suite, sizeof(suite));
	return run_tests(suite, tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
