/*
 * Isolation and limits: a program cannot touch kernel memory or execute
 * its stack, processes do not see each other's writes, a fork bomb gets
 * errors from fork and the system comes back, a program cannot use up
 * the kernel's threads, and one that uses up the kernel's page-table pool
 * is killed alone. A memory hog cannot take the others' memory: an eager
 * one stops at its share, and out of memory kills the hog, not the small
 * program that asked. Run by `make test` as the suite "limits".
 */
#include <string.h>
#include "harness.h"
#include "user.h"
#include "abi/pager.h"

#define KERNEL_ADDR 0x80200000UL
#define GIB (1L << 30)
#define TABLE_SPAN (2UL << 20)          /* one level-0 page table maps 2 MiB */
#define BOMB_NAP 5
#define HOG_CHUNK (64 * (int)PAGE_SIZE) /* an eager hog's sbrk */
#define OOM_MARGIN 256                  /* frames a lazy hog leaves free */
#define INNOCENT_PAGES (2 * OOM_MARGIN) /* what a small program then needs */
#define HOG_NAP 10
#define TABLE_HOGS 30                   /* processes that each fill their kernel quotas */

static volatile char *target;
static uint64_t jump_to;

/* Child: read the target address. */
static void read_target(void)
{
	(void)*target;
}

/* Child: write the target address. */
static void write_target(void)
{
	*target = 1;
}

/* Child: jump to jump_to. */
static void jump(void)
{
	((void (*)(void))jump_to)();
}

/* User mode can neither read nor write kernel memory: the pager kills. */
static void test_no_kernel_memory(void)
{
	target = (volatile char *)KERNEL_ADDR;
	CHECK_EQ(run_child(read_target), EXIT_KILLED);
	CHECK_EQ(run_child(write_target), EXIT_KILLED);
	target = (volatile char *)0x10000000UL;   /* the UART */
	CHECK_EQ(run_child(write_target), EXIT_KILLED);
}

/* The stack is not executable (W^X): a jump there kills. */
static void test_stack_not_executable(void)
{
	uint32_t code[4] = { 0x00008067 };       /* ret */
	jump_to = (uint64_t)code;
	CHECK_EQ(run_child(jump), EXIT_KILLED);
	struct msg m = pager_last_fault(last_child_pid);
	CHECK_EQ(m.w[2], CAUSE_FETCH_PAGE_FAULT);
}

static char secret[PAGE_SIZE] = "parent's secret";

/* Child: overwrite what it sees at the parent's address. */
static void scribble(void)
{
	strcpy(secret, "child was here");
	CHECK(strcmp(secret, "child was here") == 0);
}

/* Processes do not see each other's memory: the child's write stays in the child. */
static void test_processes_apart(void)
{
	CHECK_EQ(run_child(scribble), 0);
	CHECK(strcmp(secret, "parent's secret") == 0);
}

/* Fork until fork fails, in every process, then wait for our children and go. */
static void bomb(void)
{
	int failed = 0;
	while (!failed) {
		int pid = fork();
		if (pid < 0)
			failed = 1;
	}
	sleep(BOMB_NAP);
	while (wait(0) >= 0)
		;
	exit(0);
}

/* A fork bomb gets errors from fork; afterwards all is back and fork works again. */
static void test_fork_bomb(void)
{
	CHECK_EQ(run_child(bomb), 0);
	int pid = fork();
	if (pid == 0)
		exit(3);
	int status = 0;
	CHECK_EQ(wait(&status), pid);
	CHECK_EQ(status, 3);
}

/* A program gets a limited number of kernel threads; the rest of the system keeps its own. */
static void test_thread_quota(void)
{
	long space = sys_space_create(), n = 0, tid;
	CHECK(space > 0);
	while ((tid = sys_thread_create(space, USER_BASE, USER_BASE)) > 0)
		n++;
	CHECK_EQ(tid, -E_NOMEM);
	CHECK_EQ(n, MAX_THREADS_PER_PAGER);
	CHECK_EQ(sys_space_destroy(space), 0);
	space = sys_space_create();
	CHECK(sys_thread_create(space, USER_BASE, USER_BASE) > 0);
	CHECK_EQ(sys_space_destroy(space), 0);
	CHECK_EQ(run_child(scribble), 0);             /* fork still has threads */
}

/* Child: make the kernel build a page table for every 2 MiB until it has none left. */
static void table_hog(void)
{
	for (;;) {
		char *p = sbrk(GIB);
		if (p == (char *)-1)
			exit(2);
		for (uint64_t off = 0; off < (uint64_t)GIB; off += TABLE_SPAN)
			p[off] = 1;
	}
}

/* Using up the kernel's page-table pool kills only that program; the pool comes back. */
static void test_kernel_pool_exhaustion(void)
{
	long before = sys_kstat(KSTAT_POOL_FREE);
	CHECK_EQ(run_child(table_hog), EXIT_KILLED);
	CHECK_EQ(sys_kstat(KSTAT_POOL_FREE), before);
	CHECK_EQ(run_child(scribble), 0);
}

static int ready[2], go[2];             /* hog -> parent: it holds its memory; parent -> hog: let go */

/* Set this process's policy; the pager's result. */
static long set_my_policy(const char *spec)
{
	struct msg m = msg_make(PAGER_POLICY_SET, (uint64_t)getpid(), 0, 0, 0);
	m.tag = TAG(PAGER_POLICY_SET, strlen(spec) + 1);
	long r = ipc_call(libsys_pager_tid, &m, spec, NULL, 0);
	return r < 0 ? r : (long)m.w[0];
}

/* Child: touch INNOCENT_PAGES pages of new heap. */
static void innocent(void)
{
	char *p = sbrk(INNOCENT_PAGES * (int)PAGE_SIZE);
	CHECK(p != (char *)-1);
	for (int i = 0; i < INNOCENT_PAGES; i++)
		p[i * PAGE_SIZE] = 1;
}

/* Child: grow eagerly until sbrk fails (it is not killed for asking), then hold it all until told. */
static void eager_hog(void)
{
	char token = 'h';
	long chunks = 0;
	CHECK_EQ(set_my_policy("eager,cow,none"), 0);
	while (sbrk(HOG_CHUNK) != (char *)-1)
		chunks++;
	CHECK(chunks > 0);
	CHECK_EQ(write(ready[1], &token, 1), 1);
	CHECK_EQ(read(go[0], &token, 1), 1);
}

/* Child: touch all but OOM_MARGIN of the free frames, lazily, then sleep holding them. */
static void lazy_hog(void)
{
	char token = 'h';
	CHECK_EQ(set_my_policy("lazy,cow,none"), 0);
	long pages = pager_free_frames() - OOM_MARGIN;
	char *p = sbrk((int)(pages * (long)PAGE_SIZE));
	CHECK(p != (char *)-1);
	for (long i = 0; i < pages; i++)
		p[i * PAGE_SIZE] = 1;
	CHECK_EQ(write(ready[1], &token, 1), 1);
	for (;;)
		sleep(HOG_NAP);
}

/* Start hog in a child and wait until it holds its memory; its pid. */
static int start_hog(void (*hog)(void))
{
	char token;
	CHECK_EQ(pipe(ready), 0);
	CHECK_EQ(pipe(go), 0);
	int pid = fork();
	if (pid == 0) {
		hog();
		exit(0);
	}
	CHECK(pid > 0);
	CHECK_EQ(read(ready[0], &token, 1), 1);
	return pid;
}

/* Run the innocent next to the hog, then let the hog go (or kill it); both exit statuses. */
static void run_beside_hog(int hog, int kill_hog, int *hog_status, int *innocent_status)
{
	char token = 'g';
	int pid = fork(), status = -100, reaped;
	if (pid == 0) {
		innocent();
		exit(0);
	}
	CHECK(pid > 0);
	while ((reaped = wait(&status)) != pid) {   /* the hog may end first, killed for it */
		CHECK_EQ(reaped, hog);
		*hog_status = status;
		hog = 0;
	}
	*innocent_status = status;
	if (hog && (kill_hog || status != 0))
		kill(hog);
	else if (hog)
		CHECK_EQ(write(go[1], &token, 1), 1);
	if (hog) {
		CHECK_EQ(wait(&status), hog);
		*hog_status = status;
	}
	close(ready[0]), close(ready[1]), close(go[0]), close(go[1]);
}

/* An eager hog's sbrk stops at its share: a small program still gets memory, and the hog lives on. */
static void test_eager_hog_spares_others(void)
{
	int hog_status = -100, innocent_status = -100;
	run_beside_hog(start_hog(eager_hog), 0, &hog_status, &innocent_status);
	CHECK_EQ(innocent_status, 0);
	CHECK_EQ(hog_status, 0);
}

/* Out of memory kills the program holding the most frames, not the small one that faulted. */
static void test_oom_kills_biggest(void)
{
	int hog_status = -100, innocent_status = -100;
	run_beside_hog(start_hog(lazy_hog), 1, &hog_status, &innocent_status);
	CHECK_EQ(innocent_status, 0);
	CHECK_EQ(hog_status, EXIT_KILLED);
}

/* The state checker's damage injection is for test hooks only. */
static void test_checker_needs_hooks(void)
{
	struct msg m = msg_make(PAGER_CHECK, CHECK_INJECT_LOST_FRAME, 0, 0, 0);
	CHECK_EQ(pager_request(&m, NULL, 0), -E_PERM);
	CHECK_EQ(pager_check(), 0);
}

static int hold[2], ready[2];           /* table hogs wait on hold; each says it is ready on ready */

/* Child: take every space and thread the kernel's quotas allow, say so, hold them until hold closes. */
static void kernel_table_hog(void)
{
	long space = sys_space_create(), more;
	char c = 'r';
	for (int i = 1; i < MAX_SPACES_PER_PAGER && (more = sys_space_create()) > 0; i++)
		;
	while (space > 0 && sys_thread_create(space, USER_BASE, USER_BASE) > 0)
		;
	close(hold[1]);
	write(ready[1], &c, 1);
	read(hold[0], &c, 1);                   /* end of file when the test lets go */
	exit(0);
}

/*
 * Thirty processes each within their own quotas would take every kernel
 * thread and space; the root task's reserve leaves the pager enough to
 * fork and exec for everyone else.
 */
static void test_kernel_tables_shared(void)
{
	char c, *argv[] = { "echo", "tables", "left", NULL };
	CHECK(pipe(hold) == 0 && pipe(ready) == 0);
	for (int i = 0; i < TABLE_HOGS; i++) {
		int pid = fork();
		CHECK(pid >= 0);
		if (pid == 0)
			kernel_table_hog();
	}
	for (int i = 0; i < TABLE_HOGS; i++)
		CHECK_EQ(read(ready[0], &c, 1), 1);
	CHECK_EQ(run_child(scribble), 0);
	int pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		exec("echo", argv);
		exit(1);
	}
	int status = -1;
	CHECK_EQ(wait(&status), pid);
	CHECK_EQ(status, 0);
	close(hold[1]);
	for (int i = 0; i < TABLE_HOGS; i++)
		CHECK(wait(NULL) > 0);
	close(hold[0]);
	close(ready[0]);
	close(ready[1]);
}

static const struct test tests[] = {
	{ "no_kernel_memory", test_no_kernel_memory },
	{ "stack_not_executable", test_stack_not_executable },
	{ "processes_apart", test_processes_apart },
	{ "fork_bomb", test_fork_bomb },
	{ "thread_quota", test_thread_quota },
	{ "kernel_pool_exhaustion", test_kernel_pool_exhaustion },
	{ "eager_hog_spares_others", test_eager_hog_spares_others },
	{ "oom_kills_biggest", test_oom_kills_biggest },
	{ "checker_needs_hooks", test_checker_needs_hooks },
	{ "kernel_tables_shared", test_kernel_tables_shared },
};

int main(int argc, char **argv)
{
	return run_tests("limits", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
