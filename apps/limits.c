/*
 * Isolation and limits: a program cannot touch kernel memory or execute
 * its stack, processes do not see each other's writes, a fork bomb gets
 * errors from fork and the system comes back, a program cannot use up
 * the kernel's threads, and one that uses up the kernel's page-table pool
 * is killed alone. Run by `make test` as the suite "limits".
 */
#include <string.h>
#include "harness.h"
#include "user.h"
#include "abi/pager.h"

#define KERNEL_ADDR 0x80200000UL
#define GIB (1L << 30)
#define TABLE_SPAN (2UL << 20)          /* one level-0 page table maps 2 MiB */
#define BOMB_NAP 5

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

static const struct test tests[] = {
	{ "no_kernel_memory", test_no_kernel_memory },
	{ "stack_not_executable", test_stack_not_executable },
	{ "processes_apart", test_processes_apart },
	{ "fork_bomb", test_fork_bomb },
	{ "thread_quota", test_thread_quota },
	{ "kernel_pool_exhaustion", test_kernel_pool_exhaustion },
};

int main(int argc, char **argv)
{
	return run_tests("limits", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
