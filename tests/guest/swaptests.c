/*
 * Swap-in and eviction while the pager goes on serving others: the
 * pager drives the swap disk asynchronously and parks a fault that waits
 * for it (servers/pager/swap.c, fault.c). These tests make processes
 * swap hard while others fault, fork, shrink their heaps and get killed,
 * and check every page's contents against a pattern:
 *
 *   zero_fill_beside_swapper   zero-fill faults (each page read zero, then
 *                              written and read back) while another process
 *                              swaps a heap twice the frames, both checked
 *   kill_during_swap_in        a process killed while its swap-in is in
 *                              flight, until a read is seen to finish for
 *                              nobody; the state checker runs meanwhile
 *   fork_while_swapped         fork just after a heap twice the frames was
 *                              written (writes still in flight): parent and
 *                              child read the shared slots at once, then
 *                              each changes its own
 *   shrink_while_written       sbrk shrinks pages whose writes are in
 *                              flight; the rest reads back, regrown pages
 *                              read zero
 *   kill_several_swappers      three swapping processes killed at once
 *   swapper_takes_turns        while this process computes, a swapping one
 *                              gets about a swap-in per scheduler tick (its
 *                              turn), not one per disk answer; it is not
 *                              starved (on several harts it runs beside)
 *
 * The harness checks the books (frames, slots, kernel pool) and runs the
 * state checker after each test. Run by `make test` as "swaptests" under
 * lazy,cow,fifo and lazy,cow,clock with pager.frames=1500.
 */
#include <string.h>
#include "harness.h"
#include "user.h"
#include "abi/pager.h"

#define ZERO_ROUNDS 24                  /* zero-fill rounds beside the swapper */
#define ZERO_PAGES 64                   /* pages per round */
#define KILL_TRIES 20                   /* kills before giving up on seeing a read finish for nobody */
#define KILL_YIELDS 5                   /* turns kill_during_swap_in gives the reader before a kill */
#define SWAPPERS 3
#define TIMEBASE_HZ 10000000UL          /* rdtime's rate on QEMU virt */
#define TICK (TIMEBASE_HZ / 100)        /* the kernel's scheduler tick (TIMER_HZ 100) */
#define SPIN_TICKS 20                   /* how long swapper_takes_turns computes */
#define SWAP_INS_PER_TURN 2             /* at most per tick, with room for the ticks' edges */

/* How many frames the pager may use in all. */
static long frame_limit(void)
{
	return (long)pager_stats_of(0).frames_total;
}

/* A word of pattern for page i, word j, with a seed. */
static uint64_t word_of(uint64_t seed, long i, long j)
{
	return (seed + 1) * 0x9e3779b97f4a7c15UL ^ (uint64_t)i << 24 ^ (uint64_t)j;
}

/* Fill pages [from, to) at base with the seeded pattern. */
static void fill_pages(char *base, long from, long to, uint64_t seed)
{
	for (long i = from; i < to; i++) {
		uint64_t *w = (uint64_t *)(base + i * PAGE_SIZE);
		for (long j = 0; j < (long)(PAGE_SIZE / sizeof(*w)); j++)
			w[j] = word_of(seed, i, j);
	}
}

/* A page's checksum: its words, each weighted by its place. */
static uint64_t checksum(const uint64_t *w)
{
	uint64_t sum = 0;
	for (long j = 0; j < (long)(PAGE_SIZE / sizeof(*w)); j++)
		sum = sum * 31 + w[j];
	return sum;
}

/* Fill pages [0, n) at base with the seeded pattern. */
static void fill(char *base, long n, uint64_t seed)
{
	fill_pages(base, 0, n, seed);
}

/* Check pages [from, to) at base against the seeded pattern, page by page by checksum. */
static void check_pages(const char *base, long from, long to, uint64_t seed)
{
	static uint64_t want[PAGE_SIZE / sizeof(uint64_t)];
	for (long i = from; i < to; i++) {
		for (long j = 0; j < (long)(PAGE_SIZE / sizeof(uint64_t)); j++)
			want[j] = word_of(seed, i, j);
		CHECK_EQ(checksum((const uint64_t *)(base + i * PAGE_SIZE)), checksum(want));
	}
}

/* Check pages [0, n) at base against the seeded pattern. */
static void check_fill(const char *base, long n, uint64_t seed)
{
	check_pages(base, 0, n, seed);
}

/* A heap of n pages, filled with the seeded pattern. */
static char *swap_heap(long n, uint64_t seed)
{
	char *base = sbrk((int)(n * PAGE_SIZE));
	CHECK(base != (char *)-1);
	fill(base, n, seed);
	return base;
}

/* Child: swap a heap twice the frames: fill it, check it and write it anew, twice. */
static void swapper(void)
{
	long pages = 2 * frame_limit();
	uint64_t seed = (uint64_t)getpid();
	char *base = swap_heap(pages, seed);
	for (uint64_t lap = 1; lap <= 2; lap++) {
		check_fill(base, pages, seed + lap - 1);
		fill(base, pages, seed + lap);
	}
	check_fill(base, pages, seed + 2);
}

/* Child: zero-fill faults in rounds; each page reads zero, then holds what was written. */
static void zero_filler(void)
{
	for (int r = 0; r < ZERO_ROUNDS; r++) {
		char *base = sbrk(ZERO_PAGES * PAGE_SIZE);
		CHECK(base != (char *)-1);
		for (long i = 0; i < ZERO_PAGES; i++) {
			const uint64_t *w = (const uint64_t *)(base + i * PAGE_SIZE);
			CHECK_EQ(w[0] | w[PAGE_SIZE / sizeof(*w) - 1], 0);
			CHECK_EQ(checksum(w), 0);
		}
		fill(base, ZERO_PAGES, (uint64_t)r);
		check_fill(base, ZERO_PAGES, (uint64_t)r);
		CHECK(sbrk(-(int)(ZERO_PAGES * PAGE_SIZE)) != (char *)-1);
	}
}

/* Zero-fill faults are served, and right, while another process swaps; the swapper's faults waited. */
static void test_zero_fill_beside_swapper(void)
{
	uint64_t waits = pager_stats_of(0).swap_waits, swap_ins = pager_stats_of(0).swap_ins;
	int swap_pid = spawn_child(swapper);
	int zero_pid = spawn_child(zero_filler);
	reap_child(zero_pid, 0);
	reap_child(swap_pid, 0);
	struct pager_stats after = pager_stats_of(0);
	printf("zero_fill_beside_swapper: %lu swap-ins, %lu faults waited for the swap disk\n",
	       (unsigned long)(after.swap_ins - swap_ins), (unsigned long)(after.swap_waits - waits));
	CHECK(after.swap_ins > swap_ins);
	CHECK(after.swap_waits > waits);              /* swap-ins waited while the pager went on */
}

/*
 * Child: fill a heap bigger than the frames, say so on fd, then read it
 * round and round: every page whole, or only its first word (then its
 * heap is three times the frames, and it nearly always waits for a read).
 */
static void reader(int fd, int whole_pages)
{
	long pages = whole_pages ? frame_limit() + frame_limit() / 2 : 3 * frame_limit();
	char *base = swap_heap(pages, 77);
	CHECK_EQ(write(fd, "r", 1), 1);
	for (;;) {
		if (whole_pages)
			check_fill(base, pages, 77);
		for (long i = 0; !whole_pages && i < pages; i++)
			CHECK_EQ(*(const uint64_t *)(base + i * PAGE_SIZE), word_of(77, i, 0));
	}
}

/* Start a reader child (reading whole pages, or first words); return its pid once its heap is written. */
static int start_reader(int whole_pages)
{
	int fds[2];
	char c;
	CHECK_EQ(pipe(fds), 0);
	int pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		reader(fds[1], whole_pages);
	}
	close(fds[1]);
	CHECK_EQ(read(fds[0], &c, 1), 1);
	close(fds[0]);
	return pid;
}

/* Kill a process whose swap-in is in flight, until a read is seen to finish for nobody. */
static void test_kill_during_swap_in(void)
{
	int tries = 0;
	for (; tries < KILL_TRIES; tries++) {
		uint64_t orphans = pager_stats_of(0).swap_orphans;
		int pid = start_reader(0);                /* it nearly always waits for a read */
		sleep(1 + tries % 3);
		CHECK_EQ(pager_check(), 0);               /* the books hold with requests in flight */
		sleep(1);
		for (int i = 0; i < KILL_YIELDS; i++)     /* a reader answered meanwhile takes its turn */
			sys_yield();                      /* and starts its next read */
		CHECK_EQ(kill(pid), 0);
		reap_child(pid, EXIT_KILLED);
		sleep(1);                                 /* its read finishes meanwhile */
		CHECK_EQ(pager_check(), 0);
		if (pager_stats_of(0).swap_orphans > orphans)
			break;
	}
	CHECK(tries < KILL_TRIES);
	printf("kill_during_swap_in: a swap-in finished for a killed process after %d kills\n", tries + 1);
}

/* Fork just after writing a heap twice the frames; both read the shared slots at once, then change their own. */
static void test_fork_while_swapped(void)
{
	long pages = 2 * frame_limit();
	char *base = swap_heap(pages, 5);
	int pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		check_fill(base, pages, 5);
		fill(base, pages / 2, 6);
		check_fill(base, pages / 2, 6);
		check_pages(base, pages / 2, pages, 5);
		exit(0);
	}
	check_fill(base, pages, 5);
	reap_child(pid, 0);
	check_fill(base, pages, 5);
}

/* Shrink the heap over pages whose writes are in flight; the rest reads back; regrown pages read zero. */
static void test_shrink_while_written(void)
{
	long pages = 2 * frame_limit(), half = pages / 2;
	char *base = swap_heap(pages, 11);
	CHECK(sbrk(-(int)((pages - half) * PAGE_SIZE)) != (char *)-1);
	check_fill(base, half, 11);
	char *again = sbrk((int)((pages - half) * PAGE_SIZE));
	CHECK(again == base + half * PAGE_SIZE);
	for (long i = 0; i < pages - half; i++)
		CHECK_EQ(checksum((const uint64_t *)(again + i * PAGE_SIZE)), 0);
	check_fill(base, half, 11);
}

/* Several processes swapping, killed at once: nothing is lost (the harness checks the books). */
static void test_kill_several_swappers(void)
{
	int pids[SWAPPERS];
	for (int i = 0; i < SWAPPERS; i++)
		pids[i] = start_reader(1);
	sleep(2);
	CHECK_EQ(pager_check(), 0);
	for (int i = 0; i < SWAPPERS; i++)
		CHECK_EQ(kill(pids[i]), 0);
	for (int i = 0; i < SWAPPERS; i++)
		reap_child(pids[i], EXIT_KILLED);
}

/* The time counter. */
static uint64_t now(void)
{
	uint64_t t;
	asm volatile("rdtime %0" : "=r"(t));
	return t;
}

/* Compute, with no system call, for `ticks` scheduler ticks. */
static void spin_ticks(uint64_t ticks)
{
	for (uint64_t end = now() + ticks * TICK; now() < end;)
		;
}

/*
 * A swapping process resumes after the disk in its turn (the pager's
 * MAP_TAKE_TURN answer), so while this one computes it gets about one
 * swap-in per tick, not one per disk answer; and it is not starved. On
 * one hart the count is bounded; on several it runs beside, unbounded.
 */
static void test_swapper_takes_turns(void)
{
	int pid = start_reader(1);
	uint64_t before = pager_stats_of(pid).swap_ins;
	sleep(SPIN_TICKS);
	uint64_t alone = pager_stats_of(pid).swap_ins - before;
	before = pager_stats_of(pid).swap_ins;
	spin_ticks(SPIN_TICKS);
	uint64_t beside = pager_stats_of(pid).swap_ins - before;
	CHECK_EQ(kill(pid), 0);
	reap_child(pid, EXIT_KILLED);
	long harts = sys_kstat(KSTAT_HARTS);
	printf("swapper_takes_turns: %lu swap-ins in %d ticks alone, %lu beside a computing process (%ld harts)\n",
	       (unsigned long)alone, SPIN_TICKS, (unsigned long)beside, harts);
	CHECK(harts >= 1);
	CHECK(beside >= 1);
	if (harts == 1)
		CHECK(beside <= SWAP_INS_PER_TURN * SPIN_TICKS);
}

static const struct test tests[] = {
	{ "zero_fill_beside_swapper", test_zero_fill_beside_swapper },
	{ "kill_during_swap_in", test_kill_during_swap_in },
	{ "fork_while_swapped", test_fork_while_swapped },
	{ "shrink_while_written", test_shrink_while_written },
	{ "kill_several_swappers", test_kill_several_swappers },
	{ "swapper_takes_turns", test_swapper_takes_turns },
};

/* Results are named swaptests/<policy>/<test>. */
int main(int argc, char **argv)
{
	char suite[POLICY_SPEC_MAX + 16];
	policy_suite_name("swaptests", suite, sizeof(suite));
	return run_tests(suite, tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
