/*
 * The lazy-allocation lab, served by the pager: lazy sbrk, negative sbrk,
 * kills above the break, in the guard page and on a write to text, fork
 * with untouched pages, out of memory killing only the hog, the kernel
 * touching never-touched heap on a process's behalf, and no frame lost.
 * Run by `make test` as the suite "usertests".
 */
#include <string.h>
#include "harness.h"
#include "user.h"
#include "abi/pager.h"

#define GIB (1L << 30)
#define SPARSE_STRIDE (64 * PAGE_SIZE)
#define HOLE_PAGES 8
#define SHRINK_PAGES 10
#define SHRINK_BYTES (SHRINK_PAGES * (int)PAGE_SIZE)
#define DEEP_ENOUGH 1000000            /* frames of 512 bytes: far past the stack */
#define FORK_ROUNDS 100
#define TOUCH_PAGES 100
#define LABEL_DATA (LABEL_USER + 200)

static char *target;          /* address a child is about to touch */
static long parent_tid;

/* Is the page at va present in this process (asked of the pager)? */
static int resident(const void *va)
{
	struct msg m = msg_make(PAGER_RESIDENT, (uint64_t)va, 0, 0, 0);
	return (int)pager_request(&m, NULL, 0);
}

/* Run fn in a child and expect it to be killed by the pager. */
static void expect_killed(void (*fn)(void))
{
	CHECK_EQ(run_child(fn), EXIT_KILLED);
}

/* Child: read *target. */
static void read_target(void)
{
	volatile char c = *(volatile char *)target;
	(void)c;
}

/* Child: write *target. */
static void write_target(void)
{
	*(volatile char *)target = 1;
}

/* sbrk(1 GiB) on a 128 MiB machine succeeds; every 64th page reads zero and keeps a write. */
static void test_sparse_gigabyte(void)
{
	char *base = sbrk(GIB);
	if (!policy_is_lazy()) {                   /* eager: a gigabyte cannot be allocated at once */
		char *brk = sbrk(0);
		CHECK(base == (char *)-1 || base + GIB == brk);
		if (base == (char *)-1)
			return;
	}
	CHECK(base != (char *)-1);
	CHECK_EQ(sbrk(0), base + GIB);
	for (long off = 0; off < GIB; off += SPARSE_STRIDE)
		CHECK_EQ(base[off], 0);
	for (long off = 0; off < GIB; off += SPARSE_STRIDE)
		base[off + 1] = (char)(off / SPARSE_STRIDE);
	for (long off = 0; off < GIB; off += SPARSE_STRIDE)
		CHECK_EQ(base[off + 1], (char)(off / SPARSE_STRIDE));
	CHECK(!policy_is_lazy() || !resident(base + SPARSE_STRIDE / 2));
	CHECK_EQ(sbrk(-GIB), base + GIB);
}

/* Shrinking after touching frees the frames; a later access kills. */
static void test_shrink_touched(void)
{
	long before = pager_free_frames();
	char *base = sbrk(SHRINK_BYTES);
	for (int i = 0; i < SHRINK_PAGES; i++)
		base[i * PAGE_SIZE] = 1;
	long touched = pager_free_frames();
	CHECK(touched <= before - SHRINK_PAGES);
	CHECK_EQ(sbrk(-SHRINK_BYTES), base + SHRINK_BYTES);
	CHECK(pager_free_frames() >= touched + SHRINK_PAGES);
	CHECK(!resident(base));
	target = base + PAGE_SIZE;
	expect_killed(read_target);
	expect_killed(write_target);
}

/* Shrinking pages never touched works too; a later access kills. */
static void test_shrink_untouched(void)
{
	char *base = sbrk(SHRINK_BYTES);
	long before = pager_free_frames();
	CHECK_EQ(sbrk(-SHRINK_BYTES), base + SHRINK_BYTES);
	CHECK(pager_free_frames() >= before);        /* eager gave frames at sbrk; they are back */
	target = base + 3 * PAGE_SIZE;
	expect_killed(write_target);
	CHECK(sbrk(-GIB) == (char *)-1);
}

static char *holes;

/* Child: see the parent's data in touched pages, zeros and no frames in holes; write its own. */
static void hole_child(void)
{
	int lazy = policy_is_lazy();
	for (int i = 0; i < HOLE_PAGES; i++) {
		CHECK(!lazy || resident(holes + i * PAGE_SIZE) == (i % 2 == 0));
		CHECK_EQ(holes[i * PAGE_SIZE], i % 2 == 0 ? 'A' + i : 0);
	}
	for (int i = 0; i < HOLE_PAGES; i++)
		holes[i * PAGE_SIZE] = 'a' + i;
	for (int i = 1; i < HOLE_PAGES; i += 2)
		CHECK_EQ(holes[i * PAGE_SIZE], 'a' + i);
}

/* fork copies touched pages and leaves holes untouched; each side keeps its own data. */
static void test_fork_with_holes(void)
{
	holes = sbrk(HOLE_PAGES * PAGE_SIZE);
	for (int i = 0; i < HOLE_PAGES; i += 2)
		holes[i * PAGE_SIZE] = (char)('A' + i);
	CHECK_EQ(run_child(hole_child), 0);
	int lazy = policy_is_lazy();
	for (int i = 0; i < HOLE_PAGES; i++) {
		CHECK(!lazy || resident(holes + i * PAGE_SIZE) == (i % 2 == 0));
		CHECK_EQ(holes[i * PAGE_SIZE], i % 2 == 0 ? 'A' + i : 0);
	}
}

/* A store into the guard page under the stack kills. */
static void test_guard_page(void)
{
	target = (char *)PROC_STACK_BOTTOM - 8;
	expect_killed(write_target);
	expect_killed(read_target);
	struct msg m = pager_last_fault(last_child_pid);
	CHECK_EQ(m.w[1], (uint64_t)target);
}

/* Child: recurse until the stack runs into the guard page. */
static int deep(int n)
{
	volatile char frame[512];
	frame[0] = (char)n;
	if (n > DEEP_ENOUGH)
		return 0;
	return deep(n + 1) + frame[0];
}

static void overflow_stack(void)
{
	deep(0);
}

/* Running off the bottom of the stack kills instead of corrupting the heap. */
static void test_stack_overflow(void)
{
	expect_killed(overflow_stack);
}

/* A fault above the break kills; so does a fault below the image or far away. */
static void test_above_break(void)
{
	target = (char *)sbrk(0) + 2 * PAGE_SIZE;
	expect_killed(read_target);
	target = (char *)sbrk(0) + 100 * PAGE_SIZE;
	expect_killed(write_target);
	target = (char *)(USER_BASE - PAGE_SIZE);
	expect_killed(read_target);
	target = NULL;
	expect_killed(read_target);
}

/* A write to the program's text kills. */
static void test_write_text(void)
{
	target = (char *)(uintptr_t)test_write_text;
	expect_killed(write_target);
	struct msg m = pager_last_fault(last_child_pid);
	CHECK_EQ(m.w[2], CAUSE_STORE_PAGE_FAULT);
}

/* Child: touch TOUCH_PAGES pages, then exit or spin. */
static void toucher(void)
{
	char *p = sbrk(TOUCH_PAGES * PAGE_SIZE);
	for (int i = 0; i < TOUCH_PAGES; i++)
		p[i * PAGE_SIZE] = 1;
}

/* Child: touch pages until the pager runs out of frames. */
static void hog(void)
{
	char *p = sbrk(GIB);
	for (long off = 0; off < GIB; off += PAGE_SIZE)
		p[off] = 1;
}

/* Out of memory kills only the hog; afterwards memory works again. */
static void test_out_of_memory(void)
{
	long before = pager_free_frames();
	expect_killed(hog);
	CHECK(pager_free_frames() >= before);       /* ours may have gone to swap meanwhile */
	char *p = sbrk(TOUCH_PAGES * PAGE_SIZE);
	for (int i = 0; i < TOUCH_PAGES; i++)
		p[i * PAGE_SIZE] = 1;
	CHECK_EQ(run_child(toucher), 0);
}

/* Child: call the parent with a buffer in heap it never touched (it reads as zeros). */
static void send_untouched(void)
{
	char *fresh = sbrk(2 * PAGE_SIZE);
	struct msg m = msg_make(LABEL_DATA, 0, 0, 0, 0);
	m.tag = TAG(LABEL_DATA, 2 * PAGE_SIZE);
	CHECK(!policy_is_lazy() || !resident(fresh));
	CHECK_EQ(ipc_call(parent_tid, &m, fresh, fresh, 2 * PAGE_SIZE), parent_tid);
	CHECK_EQ(TAG_LENGTH(m.tag), 100);
	for (int i = 0; i < 100; i++)
		CHECK_EQ(fresh[i], 'k');
}

/* The kernel's copy into and out of untouched heap gets its pages from the pager. */
static void test_kernel_access_both_ways(void)
{
	parent_tid = sys_gettid();
	int pid = fork();
	if (pid == 0) {
		send_untouched();
		exit(0);
	}
	char *in = sbrk(2 * PAGE_SIZE);
	struct msg m;
	long from = ipc_recv(TID_ANY, &m, in, 2 * PAGE_SIZE);
	CHECK(from > 0);
	CHECK_EQ(TAG_LENGTH(m.tag), 2 * PAGE_SIZE);
	for (unsigned long i = 0; i < 2 * PAGE_SIZE; i++)
		CHECK_EQ(in[i], 0);
	char reply[100];
	memset(reply, 'k', sizeof(reply));
	m.tag = TAG(LABEL_DATA, sizeof(reply));
	CHECK_EQ(ipc_reply(from, &m, reply), 0);
	int status = -100;
	CHECK_EQ(wait(&status), pid);
	CHECK_EQ(status, 0);
}

/* A buffer above the break makes the request fail, without killing anyone. */
static void test_kernel_access_bad_address(void)
{
	char *above = (char *)sbrk(0) + 4 * PAGE_SIZE;
	struct msg m = msg_make(PAGER_GETPID, 0, 0, 0, 0);
	m.tag = TAG(PAGER_GETPID, 64);
	CHECK_EQ(ipc_call(libsys_pager_tid, &m, above, NULL, 0), -E_FAULT);
	CHECK_EQ(sys_console_write(above, 8), -E_FAULT);
	m = msg_make(PAGER_GETPID, 0, 0, 0, 0);
	CHECK_EQ(ipc_call(libsys_pager_tid, &m, NULL, (char *)PROC_STACK_BOTTOM - 16, 16), -E_FAULT);
	CHECK(getpid() > 0);
}

static void toucher_spins(void)
{
	toucher();
	for (;;)
		sleep(1);
}

/*
 * exit gives back every frame; kill does too, and wait reports it. The
 * frames are counted with those the pager's disk requests hold, which a
 * write-back started by an earlier test may give back meanwhile.
 */
static void test_exit_and_kill_free(void)
{
	long before = pager_frames_accounted();
	CHECK_EQ(run_child(toucher), 0);
	CHECK_EQ(pager_frames_accounted(), before);
	int pid = fork();
	if (pid == 0) {
		toucher_spins();
	}
	CHECK(pid > 0);
	sleep(5);
	CHECK(pager_stats_of(pid).frames_used >= TOUCH_PAGES);
	CHECK_EQ(kill(pid), 0);
	int status = 0;
	CHECK_EQ(wait(&status), pid);
	CHECK_EQ(status, EXIT_KILLED);
	CHECK_EQ(pager_frames_accounted(), before);
	CHECK_EQ(kill(pid), -1);
}

/* Child: exit with a particular status. */
static void exit_seven(void)
{
	exit(7);
}

/* 100 fork/exit/wait rounds lose nothing, and wait returns each status. */
static void test_fork_exit_wait_rounds(void)
{
	long before = pager_free_frames();
	for (int i = 0; i < FORK_ROUNDS; i++)
		CHECK_EQ(run_child(exit_seven), 7);
	CHECK_EQ(pager_free_frames(), before);
	int status;
	CHECK_EQ(wait(&status), -1);
}

/* picolibc's malloc runs on sbrk; printf works. */
static void test_malloc_and_printf(void)
{
	enum { BLOCKS = 32, SIZE = 10000 };
	char *blocks[BLOCKS];
	for (int i = 0; i < BLOCKS; i++) {
		blocks[i] = malloc(SIZE);
		CHECK(blocks[i] != NULL);
		memset(blocks[i], i, SIZE);
	}
	for (int i = 0; i < BLOCKS; i++)
		CHECK_EQ(blocks[i][SIZE - 1], i);
	for (int i = 0; i < BLOCKS; i++)
		free(blocks[i]);
	char line[64];
	snprintf(line, sizeof(line), "%d-%s-%x", 42, "ok", 255);
	CHECK(strcmp(line, "42-ok-ff") == 0);
	printf("usertests: printf works\n");
}

/* sleep waits at least the ticks asked; uptime advances; pids differ. */
static void test_sleep_uptime_getpid(void)
{
	int start = uptime();
	CHECK_EQ(sleep(10), 0);
	CHECK(uptime() >= start + 10);
	int me = getpid();
	int pid = fork();
	if (pid == 0)
		exit(getpid() == me ? 1 : 0);
	int status = -100;
	CHECK_EQ(wait(&status), pid);
	CHECK_EQ(status, 0);
}

static const struct test tests[] = {
	{ "sparse_gigabyte", test_sparse_gigabyte },
	{ "shrink_touched", test_shrink_touched },
	{ "shrink_untouched", test_shrink_untouched },
	{ "fork_with_holes", test_fork_with_holes },
	{ "guard_page", test_guard_page },
	{ "stack_overflow", test_stack_overflow },
	{ "above_break", test_above_break },
	{ "write_text", test_write_text },
	{ "out_of_memory", test_out_of_memory },
	{ "kernel_access_both_ways", test_kernel_access_both_ways },
	{ "kernel_access_bad_address", test_kernel_access_bad_address },
	{ "exit_and_kill_free", test_exit_and_kill_free },
	{ "fork_exit_wait_rounds", test_fork_exit_wait_rounds },
	{ "malloc_and_printf", test_malloc_and_printf },
	{ "sleep_uptime_getpid", test_sleep_uptime_getpid },
};

/* Results are named usertests/<policy>/<test>, so the policy matrix is one named cell each. */
int main(int argc, char **argv)
{
	char suite[POLICY_SPEC_MAX + 16];
	policy_suite_name("usertests", suite, sizeof(suite));
	return run_tests(suite, tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
