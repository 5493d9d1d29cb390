/*
 * Benchmark fault_parallel: N processes (the parameter; make bench runs
 * as many as harts) each touching its own fresh heap, all at once; the
 * figure is wall time per fault over all of them, so 1 / figure is the
 * machine's aggregate fault throughput. Only wall time means anything
 * here: under -icount QEMU runs the harts in turn. It runs several rounds
 * and reports the one with the median wall time. Arguments: policy,
 * processes, pages each, rounds.
 */
#include "bench.h"
#include "sys.h"
#include "user.h"

#define MAX_PROCS 8
#define DEFAULT_ROUNDS 5     /* rounds in one boot: wall time on a shared host varies */
#define MAX_ROUNDS 15

/* Read n bytes from fd (one per process); 0 if they all came. */
static int collect(int fd, int n)
{
	char c;
	for (int i = 0; i < n; i++)
		if (read(fd, &c, 1) != 1)
			return -1;
	return 0;
}

/* A child: grow its heap, say so, wait for the start, touch every page, say so. */
static void toucher(uint64_t pages, int ready, int go, int done)
{
	char *heap = sbrk((int)(pages * PAGE_SIZE));
	char c = 'r';
	if (heap == (char *)-1)
		exit(1);
	write(ready, &c, 1);
	if (read(go, &c, 1) != 1)
		exit(1);
	for (uint64_t i = 0; i < pages; i++)
		heap[i * PAGE_SIZE] = (char)i;
	write(done, &c, 1);
	exit(0);
}

/* One round: procs processes touch `pages` fresh pages each, all at once; 0 and its wall ns and cycles, or -1. */
static int round_once(int procs, uint64_t pages, uint64_t *ns, uint64_t *cycles)
{
	int ready[2], go[2], done[2];
	if (pipe(ready) || pipe(go) || pipe(done))
		return -1;
	for (int i = 0; i < procs; i++)
		if (fork() == 0)
			toucher(pages, ready[1], go[0], done[1]);
	int ok = collect(ready[0], procs) == 0;
	char start[MAX_PROCS] = { 0 };
	uint64_t c = bench_cycles(), t = bench_ns();
	write(go[1], start, (uint64_t)procs);
	ok &= collect(done[0], procs) == 0;
	*ns = bench_ns() - t;
	*cycles = bench_cycles() - c;
	for (int i = 0; i < procs; i++) {
		int status = -1;
		wait(&status);
		ok &= status == 0;
	}
	int fds[] = { ready[0], ready[1], go[0], go[1], done[0], done[1] };
	for (int i = 0; i < 6; i++)
		close(fds[i]);
	return ok ? 0 : -1;
}

/* Arguments: policy, processes, pages each, rounds; the figure is the round with the median wall time. */
int main(int argc, char **argv)
{
	if (argc > 1)
		bench_policy(argv[1]);
	int procs = (int)bench_arg(argc, argv, 2, 1);
	uint64_t pages = (uint64_t)bench_arg(argc, argv, 3, 2048);
	int rounds = (int)bench_arg(argc, argv, 4, DEFAULT_ROUNDS);
	uint64_t ns[MAX_ROUNDS], cycles[MAX_ROUNDS];
	if (procs < 1 || procs > MAX_PROCS || rounds < 1 || rounds > MAX_ROUNDS)
		return 1;
	for (int r = 0; r < rounds; r++)
		if (round_once(procs, pages, &ns[r], &cycles[r]))
			return 1;
	for (int r = 1; r < rounds; r++)          /* sort the rounds by wall time, cycles alongside */
		for (int k = r; k > 0 && ns[k] < ns[k - 1]; k--) {
			uint64_t n = ns[k], c = cycles[k];
			ns[k] = ns[k - 1], cycles[k] = cycles[k - 1];
			ns[k - 1] = n, cycles[k - 1] = c;
		}
	bench_report("fault_parallel", (uint64_t)procs, cycles[rounds / 2], ns[rounds / 2], (uint64_t)procs * pages);
	return 0;
}
