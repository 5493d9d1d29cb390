/*
 * Stress: many processes at once forking, exec-ing, growing and shrinking
 * their heaps, passing data through pipes and files, and being killed in
 * the middle of all that. Every byte written is checked where it comes
 * back (a page after fork, swap or regrowth, a pipe's far end, a file,
 * an exec'd echo's output), and the harness checks after each test that
 * no frame, kernel-pool page, swap slot, thread or space was lost.
 *
 * The amount of work is a number of rounds: a few by default, for
 * `make test` (a few seconds per policy), more with the boot argument
 * stress.rounds=N. Run by `make test` as "stress" under several paging
 * policies, some with a frame cap so that pages go to swap and back;
 * results are named stress/<policy>/<test>.
 */
#include <string.h>
#include "harness.h"
#include "user.h"
#include "abi/fs.h"
#include "abi/pager.h"

#define ROUNDS_ARG "stress.rounds="
#define DEFAULT_ROUNDS 2
#define MAX_ROUNDS 100000

#define WORDS_PER_PAGE ((long)(PAGE_SIZE / sizeof(uint64_t)))

#define FORKERS 8                      /* fork_storm: children at once */
#define GRANDCHILDREN 3                /* ... each forking this many */
#define FORK_PAGES 24                  /* ... over a heap this big */

#define EXECERS 8                      /* exec_storm: children at once */
#define LINE_MAX 64

#define HEAP_WORKERS 4                 /* heap_churn: together past a 1,500-frame cap */
#define HEAP_MAX_PAGES 512
#define HEAP_MAX_STEP 128              /* pages grown or shrunk at once, at most */
#define HEAP_STEPS 16                  /* per round; every page is checked at the end of each */
#define HEAP_SAMPLE 32                 /* pages checked after each step */

#define CHAINS 2                       /* pipe_chains: chains at once */
#define STAGES 5                       /* processes per chain: a source, 3 relays, a sink */
#define PIPE_ROUND_BYTES (48 * 1024)   /* through each chain, per round */
#define PIPE_CHUNK 4096

#define MIX_WORKERS 6                  /* everything_at_once */
#define MIX_STEPS 8                    /* operations per worker per round */
#define MIX_PAGES 32
#define FILE_MAX_BYTES (20 * 1024)

#define VICTIMS 6                      /* kill_busy: processes killed while working */
#define VICTIM_TICKS 15                /* ... after this long */

#define TABLE_CHILDREN 40              /* process_table_full: tries at each level */
#define TABLE_FAILED 100               /* ... exit status of a child whose blocker failed */
#define TABLE_FULL_TICKS 20            /* ... time for the table to fill */

static int rounds = DEFAULT_ROUNDS;
static uint64_t rng_state = 1;

/* Seed this process's random numbers (xorshift64). */
static void rng_seed(uint64_t seed)
{
	rng_state = seed * 0x9e3779b97f4a7c15UL | 1;
}

/* A random number in [0, n). */
static long rng_below(long n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (long)(rng_state % (uint64_t)n);
}

/* Word j of page `page` of the pattern with this seed. */
static uint64_t word_of(uint64_t seed, long page, long j)
{
	return (seed * 0x9e3779b97f4a7c15UL) ^ ((uint64_t)page << 24) ^ ((uint64_t)j * 0x100000001UL);
}

/* Fill pages [first, first + n) of base with the seeded pattern. */
static void fill_pages(char *base, long first, long n, uint64_t seed)
{
	for (long p = first; p < first + n; p++) {
		uint64_t *w = (uint64_t *)(base + p * PAGE_SIZE);
		for (long j = 0; j < WORDS_PER_PAGE; j++)
			w[j] = word_of(seed, p, j);
	}
}

/* Check pages [first, first + n) of base against the pattern; report the first bad word and fail. */
static void check_pages(const char *base, long first, long n, uint64_t seed)
{
	for (long p = first; p < first + n; p++) {
		const uint64_t *w = (const uint64_t *)(base + p * PAGE_SIZE);
		for (long j = 0; j < WORDS_PER_PAGE; j++) {
			if (w[j] != word_of(seed, p, j)) {
				printf("stress: pid %d: page %ld word %ld at %p is %lx, not %lx\n", getpid(), p,
				       j, (void *)&w[j], (unsigned long)w[j], (unsigned long)word_of(seed, p, j));
				exit(1);
			}
		}
	}
}

/* Check that pages [first, first + n) of base read as zeros. */
static void check_zero(const char *base, long first, long n)
{
	for (long p = first; p < first + n; p++) {
		const uint64_t *w = (const uint64_t *)(base + p * PAGE_SIZE);
		for (long j = 0; j < WORDS_PER_PAGE; j++) {
			if (w[j] != 0) {
				printf("stress: pid %d: new page %ld word %ld is %lx, not 0\n", getpid(), p, j,
				       (unsigned long)w[j]);
				exit(1);
			}
		}
	}
}

/* Move the break up to a page boundary; the (page-aligned) break. */
static char *align_break(void)
{
	char *brk = sbrk(0);
	long pad = (long)(PAGE_SIZE - (uint64_t)brk % PAGE_SIZE) % (long)PAGE_SIZE;
	CHECK(sbrk((int)pad) == brk);
	return brk + pad;
}

/* Grow the heap by n pages (the break page-aligned); their address. */
static char *grow_pages(long n)
{
	char *p = sbrk((int)(n * PAGE_SIZE));
	CHECK(p != (char *)-1);
	return p;
}

/* Wait for n children, all of them (so none outlives a failing test); the number whose status was not want. */
static int wait_all(int n, int want)
{
	int bad = 0;
	for (int i = 0; i < n; i++) {
		int status = -100;
		if (wait(&status) < 0)
			return bad + n - i;
		bad += status != want;
	}
	return bad;
}

/* Wait for n children; fail unless each exited with status 0. */
static void wait_all_ok(int n)
{
	CHECK_EQ(wait_all(n, 0), 0);
}

/* Fork: 0 in the child, its pid in the parent. If fork fails, wait for the `started` children already running, then fail. */
static int must_fork(int started)
{
	int pid = fork();
	if (pid < 0) {
		wait_all(started, 0);
		CHECK(pid >= 0);
	}
	return pid;
}

/* Grandchild of fork_storm: sees the parent's pattern, then changes its own copy only. */
static void fork_storm_grandchild(char *base, uint64_t seed, int k)
{
	check_pages(base, 0, FORK_PAGES, seed);
	fill_pages(base, 0, FORK_PAGES / 2, seed + 1 + (uint64_t)k);
	check_pages(base, 0, FORK_PAGES / 2, seed + 1 + (uint64_t)k);
	check_pages(base, FORK_PAGES / 2, FORK_PAGES - FORK_PAGES / 2, seed);
	exit(0);
}

/* Child of fork_storm: a patterned heap, forked GRANDCHILDREN times, unchanged by them. */
static void fork_storm_child(void)
{
	uint64_t seed = (uint64_t)getpid() * 1000003;
	align_break();
	char *base = grow_pages(FORK_PAGES);
	fill_pages(base, 0, FORK_PAGES, seed);
	for (int k = 0; k < GRANDCHILDREN; k++)
		if (must_fork(k) == 0)
			fork_storm_grandchild(base, seed, k);
	fill_pages(base, FORK_PAGES / 2, FORK_PAGES - FORK_PAGES / 2, seed + 100);
	wait_all_ok(GRANDCHILDREN);
	check_pages(base, 0, FORK_PAGES / 2, seed);
	check_pages(base, FORK_PAGES / 2, FORK_PAGES - FORK_PAGES / 2, seed + 100);
	exit(0);
}

/* Many processes fork at once, each forking again over a patterned heap; every copy stays its own. */
static void test_fork_storm(void)
{
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < FORKERS; i++)
			if (must_fork(i) == 0)
				fork_storm_child();
		wait_all_ok(FORKERS);
	}
}

/* The file exec_storm's child i writes to. */
static void exec_out_name(char *name, size_t size, int i)
{
	snprintf(name, size, "stress.e%d", i);
}

/* Child of exec_storm: stdout to its own file, then exec echo with a tag naming this child. */
static void exec_storm_child(int r, int i)
{
	char name[LINE_MAX], tag[LINE_MAX];
	exec_out_name(name, sizeof(name), i);
	snprintf(tag, sizeof(tag), "r%d-i%d-p%d", r, i, getpid());
	close(1);
	if (open(name, FS_O_CREATE | FS_O_WRONLY | FS_O_TRUNC) != 1)
		exit(2);
	char *argv[] = { "echo", "stress", tag, NULL };
	exec(i % 2 ? "/echo" : "echo", argv);
	exit(3);
}

/* Child of exec_storm: exec of a missing program fails and the child goes on. */
static void exec_missing_child(void)
{
	char *argv[] = { "no-such-program", NULL };
	exit(exec("/no-such-program", argv) == -1 ? 0 : 4);
}

/* Many processes exec echo at once, each into its own file; each file holds exactly its line. */
static void test_exec_storm(void)
{
	int pids[EXECERS];
	char name[LINE_MAX], want[LINE_MAX], got[LINE_MAX];
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < EXECERS; i++)
			if ((pids[i] = must_fork(i)) == 0)
				exec_storm_child(r, i);
		if (must_fork(EXECERS) == 0)
			exec_missing_child();
		wait_all_ok(EXECERS + 1);
		for (int i = 0; i < EXECERS; i++) {
			exec_out_name(name, sizeof(name), i);
			snprintf(want, sizeof(want), "stress r%d-i%d-p%d\n", r, i, pids[i]);
			CHECK_EQ(read_whole_file(name, got, sizeof(got)), (int)strlen(want));
			CHECK(strcmp(got, want) == 0);
			CHECK_EQ(unlink(name), 0);
		}
	}
}

/* Worker of heap_churn: grow and shrink at random; new pages read zero, old ones keep their pattern. */
static void heap_worker(void)
{
	static uint8_t gen[HEAP_MAX_PAGES];
	uint64_t seed = (uint64_t)getpid() * 7919;
	char *base = align_break();
	long n = 0;
	rng_seed(seed);
	for (long step = 0; step < (long)rounds * HEAP_STEPS; step++) {
		if (n == 0 || (n < HEAP_MAX_PAGES && rng_below(4) != 0)) {
			long k = 1 + rng_below(HEAP_MAX_STEP);
			if (k > HEAP_MAX_PAGES - n)
				k = HEAP_MAX_PAGES - n;
			CHECK(grow_pages(k) == base + n * PAGE_SIZE);
			check_zero(base, n, k);
			for (long p = n; p < n + k; p++) {
				gen[p]++;
				fill_pages(base, p, 1, seed + gen[p]);
			}
			n += k;
		} else {
			long k = 1 + rng_below(n / 4 + 1);
			CHECK(sbrk((int)(-k * PAGE_SIZE)) == base + n * PAGE_SIZE);
			n -= k;
		}
		for (long i = 0; i < HEAP_SAMPLE && n > 0; i++) {
			long p = rng_below(n);
			check_pages(base, p, 1, seed + gen[p]);
		}
		if ((step + 1) % HEAP_STEPS == 0)
			for (long p = 0; p < n; p++)
				check_pages(base, p, 1, seed + gen[p]);
	}
	CHECK(sbrk((int)(-n * PAGE_SIZE)) == base + n * PAGE_SIZE);
	exit(0);
}

/* Several processes grow and shrink their heaps at once, past the frames a capped pager has. */
static void test_heap_churn(void)
{
	for (int i = 0; i < HEAP_WORKERS; i++)
		if (must_fork(i) == 0)
			heap_worker();
	wait_all_ok(HEAP_WORKERS);
}

/* Byte `off` of what a chain's source sends. */
static uint8_t stream_byte(long off)
{
	return (uint8_t)(off * 7 + off / 251);
}

/* Close every descriptor of the pipes except keep_read and keep_write. */
static void close_pipes_but(int fds[][2], int n, int keep_read, int keep_write)
{
	for (int i = 0; i < n; i++)
		for (int e = 0; e < 2; e++)
			if (fds[i][e] != keep_read && fds[i][e] != keep_write)
				close(fds[i][e]);
}

/* Source: write the stream in chunks of random size, from a heap buffer. */
static void chain_source(int out, long total)
{
	uint8_t *buf = (uint8_t *)grow_pages(PIPE_CHUNK / PAGE_SIZE);
	rng_seed((uint64_t)getpid());
	for (long off = 0; off < total;) {
		long n = 1 + rng_below(PIPE_CHUNK);
		if (n > total - off)
			n = total - off;
		for (long i = 0; i < n; i++)
			buf[i] = stream_byte(off + i);
		CHECK_EQ(write(out, buf, (int)n), n);
		off += n;
	}
	exit(0);
}

/* Relay: read what comes, add one to each byte, pass it on; reads land in never-touched heap. */
static void chain_relay(int in, int out)
{
	int n;
	uint8_t *buf = (uint8_t *)grow_pages(PIPE_CHUNK / PAGE_SIZE);
	while ((n = read(in, buf, PIPE_CHUNK)) > 0) {
		for (int i = 0; i < n; i++)
			buf[i]++;
		CHECK_EQ(write(out, buf, n), n);
	}
	CHECK_EQ(n, 0);
	exit(0);
}

/* Sink: every byte is the source's plus one per relay, and all of them arrive. */
static void chain_sink(int in, long total)
{
	int n;
	long off = 0;
	uint8_t *buf = (uint8_t *)grow_pages(PIPE_CHUNK / PAGE_SIZE);
	while ((n = read(in, buf, PIPE_CHUNK)) > 0) {
		for (int i = 0; i < n; i++, off++)
			if (buf[i] != (uint8_t)(stream_byte(off) + STAGES - 2)) {
				printf("stress: pipe byte %ld is %u, not %u\n", off, buf[i],
				       (uint8_t)(stream_byte(off) + STAGES - 2));
				exit(1);
			}
	}
	CHECK_EQ(n, 0);
	CHECK_EQ(off, total);
	exit(0);
}

/* Start one chain of STAGES processes joined by pipes, `started` children being up already; the parent keeps no end. */
static void start_chain(long total, int started)
{
	int fds[STAGES - 1][2];
	for (int i = 0; i < STAGES - 1; i++)
		CHECK_EQ(pipe(fds[i]), 0);
	for (int s = 0; s < STAGES; s++) {
		int pid = fork();
		if (pid < 0) {                  /* let the stages already up see the ends of their pipes */
			close_pipes_but(fds, STAGES - 1, -1, -1);
			wait_all(started + s, 0);
			CHECK(pid >= 0);
		}
		if (pid != 0)
			continue;
		int in = s > 0 ? fds[s - 1][0] : -1, out = s < STAGES - 1 ? fds[s][1] : -1;
		close_pipes_but(fds, STAGES - 1, in, out);
		if (s == 0)
			chain_source(out, total);
		else if (s == STAGES - 1)
			chain_sink(in, total);
		else
			chain_relay(in, out);
	}
	close_pipes_but(fds, STAGES - 1, -1, -1);
}

/* Chains of processes pass a stream through pipes at once; it arrives whole and in order. */
static void test_pipe_chains(void)
{
	for (int c = 0; c < CHAINS; c++)
		start_chain((long)rounds * PIPE_ROUND_BYTES, c * STAGES);
	wait_all_ok(CHAINS * STAGES);
}

/* Mixed operation: a child checks a copy of our pattern and exits with a status we pick. */
static void mix_fork(char *base, uint64_t seed)
{
	int code = (int)rng_below(100);
	int pid = must_fork(0);
	if (pid == 0) {
		check_pages(base, 0, MIX_PAGES, seed);
		fill_pages(base, 0, MIX_PAGES, seed + 1);
		exit(code);
	}
	int status = -100;
	CHECK_EQ(wait(&status), pid);
	CHECK_EQ(status, code);
	check_pages(base, 0, MIX_PAGES, seed);
}

/* Mixed operation: exec echo with stdout into a pipe; its line arrives. */
static void mix_exec(void)
{
	char tag[LINE_MAX / 2], want[LINE_MAX], got[LINE_MAX];
	int fds[2], n, len = 0;
	snprintf(tag, sizeof(tag), "m%d-%ld", getpid(), rng_below(1000000));
	snprintf(want, sizeof(want), "%s\n", tag);
	CHECK_EQ(pipe(fds), 0);
	int pid = must_fork(0);
	if (pid == 0) {
		close(fds[0]);
		close(1);
		if (dup(fds[1]) != 1)
			exit(2);
		close(fds[1]);
		char *argv[] = { "echo", tag, NULL };
		exec("echo", argv);
		exit(3);
	}
	close(fds[1]);
	while (len < LINE_MAX - 1 && (n = read(fds[0], got + len, LINE_MAX - 1 - len)) > 0)
		len += n;
	got[len] = '\0';
	close(fds[0]);
	int status = -100;
	CHECK_EQ(wait(&status), pid);
	CHECK_EQ(status, 0);
	CHECK(strcmp(got, want) == 0);
}

/* Mixed operation: grow the heap past the pattern, fill, check, shrink back. */
static void mix_heap(char *base, uint64_t seed)
{
	long k = 1 + rng_below(4 * MIX_PAGES);
	CHECK(grow_pages(k) == base + MIX_PAGES * PAGE_SIZE);
	check_zero(base, MIX_PAGES, k);
	fill_pages(base, MIX_PAGES, k, seed + 2);
	check_pages(base, 0, MIX_PAGES, seed);
	check_pages(base, MIX_PAGES, k, seed + 2);
	CHECK(sbrk((int)(-k * PAGE_SIZE)) == base + (MIX_PAGES + k) * PAGE_SIZE);
}

/* Mixed operation: write a file of random size from the pattern, read it back, remove it. */
static void mix_file(char *base, uint64_t seed)
{
	static char in[FILE_MAX_BYTES + 1];
	char name[LINE_MAX];
	int len = 1 + (int)rng_below(FILE_MAX_BYTES);
	snprintf(name, sizeof(name), "stress.m%d", getpid());
	int fd = open(name, FS_O_CREATE | FS_O_RDWR | FS_O_TRUNC);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, base, len), len);
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(read_whole_file(name, in, sizeof(in)), len);
	CHECK(memcmp(in, base, (size_t)len) == 0);
	CHECK_EQ(unlink(name), 0);
	check_pages(base, 0, MIX_PAGES, seed);
}

/* Worker of everything_at_once: a random mix of the operations above. */
static void mix_worker(void)
{
	uint64_t seed = (uint64_t)getpid() * 104729;
	rng_seed(seed);
	char *base = align_break();
	CHECK(grow_pages(MIX_PAGES) == base);
	fill_pages(base, 0, MIX_PAGES, seed);
	for (long step = 0; step < (long)rounds * MIX_STEPS; step++) {
		switch (rng_below(4)) {
		case 0: mix_fork(base, seed); break;
		case 1: mix_exec(); break;
		case 2: mix_heap(base, seed); break;
		default: mix_file(base, seed); break;
		}
	}
	check_pages(base, 0, MIX_PAGES, seed);
	exit(0);
}

/* Forks, execs, heaps, pipes and files, all at once in several processes. */
static void test_everything_at_once(void)
{
	for (int i = 0; i < MIX_WORKERS; i++)
		if (must_fork(i) == 0)
			mix_worker();
	wait_all_ok(MIX_WORKERS);
}

/* Victim: loop forever over heap, pipe and file work, checking everything, until killed. */
static void busy_victim(int kind)
{
	uint64_t seed = (uint64_t)getpid() * 31;
	int fds[2];
	char name[LINE_MAX];
	static char buf[PIPE_CHUNK];
	rng_seed(seed);
	char *base = align_break();
	CHECK_EQ(pipe(fds), 0);
	if (kind == 0) {                       /* blocked in the fs server when killed */
		read(fds[0], buf, 1);
		exit(1);
	}
	snprintf(name, sizeof(name), "stress.k%d", getpid());
	for (;;) {
		long k = 1 + rng_below(HEAP_MAX_STEP);
		CHECK(grow_pages(k) == base);
		fill_pages(base, 0, k, seed);
		check_pages(base, 0, k, seed);
		CHECK_EQ(write(fds[1], base, PIPE_CHUNK), PIPE_CHUNK);
		CHECK_EQ(read(fds[0], buf, PIPE_CHUNK), PIPE_CHUNK);
		CHECK(memcmp(buf, base, PIPE_CHUNK) == 0);
		int fd = open(name, FS_O_CREATE | FS_O_RDWR | FS_O_TRUNC);
		CHECK(fd >= 0);
		CHECK_EQ(write(fd, base, PIPE_CHUNK), PIPE_CHUNK);
		CHECK_EQ(close(fd), 0);
		CHECK(sbrk((int)(-k * PAGE_SIZE)) == base + k * PAGE_SIZE);
	}
}

/* Processes killed in the middle of their work (one blocked in a pipe read) leave nothing behind. */
static void test_kill_busy(void)
{
	int pids[VICTIMS];
	char name[LINE_MAX];
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < VICTIMS; i++) {
			if ((pids[i] = fork()) == 0)
				busy_victim(i);
			if (pids[i] < 0) {
				for (int j = 0; j < i; j++)
					kill(pids[j]);
				wait_all(i, EXIT_KILLED);
				CHECK(pids[i] >= 0);
			}
		}
		sleep(VICTIM_TICKS + r % 10);
		int not_killed = 0;
		for (int i = 0; i < VICTIMS; i++)
			not_killed += kill(pids[i]) != 0;   /* it ended by itself: a check failed */
		CHECK_EQ(wait_all(VICTIMS, EXIT_KILLED), 0);
		CHECK_EQ(not_killed, 0);
		for (int i = 0; i < VICTIMS; i++) {
			snprintf(name, sizeof(name), "stress.k%d", pids[i]);
			unlink(name);                  /* absent if killed before its first write */
		}
	}
}

/* Grandchild of process_table_full: wait until the write end of `in` closes. */
static void table_blocker(int in)
{
	char c;
	exit(read(in, &c, 1) == 0 ? 0 : 1);
}

/* Child of process_table_full: fork blockers until refused; exit with their count (TABLE_FAILED if one failed). */
static void table_forker(int in)
{
	int n = 0;
	while (n < TABLE_CHILDREN) {
		int pid = fork();
		if (pid < 0)
			break;
		if (pid == 0)
			table_blocker(in);
		n++;
	}
	exit(wait_all(n, 0) ? TABLE_FAILED : n);
}

/* Fork until the process table is full: refused cleanly, and everyone gets out again. */
static void test_process_table_full(void)
{
	int fds[2];
	for (int r = 0; r < rounds; r++) {
		CHECK_EQ(pipe(fds), 0);
		int n = 0, forked = 0, bad = 0;
		for (; n < TABLE_CHILDREN; n++) {
			int pid = fork();
			if (pid < 0)
				break;
			if (pid == 0) {
				close(fds[1]);
				table_forker(fds[0]);
			}
		}
		close(fds[0]);
		sleep(TABLE_FULL_TICKS);        /* let the children fill the table */
		CHECK_EQ(close(fds[1]), 0);
		for (int i = 0; i < n; i++) {
			int status = -100;
			CHECK(wait(&status) > 0);
			if (status >= 0 && status < TABLE_FAILED)
				forked += status;
			else
				bad++;
		}
		if (r == 0)
			printf("stress: %d children and %d grandchildren, then fork refused\n", n, forked);
		CHECK_EQ(bad, 0);
		CHECK(n < TABLE_CHILDREN);
	}
}

static const struct test tests[] = {
	{ "fork_storm", test_fork_storm },
	{ "exec_storm", test_exec_storm },
	{ "heap_churn", test_heap_churn },
	{ "pipe_chains", test_pipe_chains },
	{ "everything_at_once", test_everything_at_once },
	{ "kill_busy", test_kill_busy },
	{ "process_table_full", test_process_table_full },
};

/* The number of rounds: boot argument stress.rounds=N, else DEFAULT_ROUNDS. */
static int rounds_arg(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], ROUNDS_ARG, strlen(ROUNDS_ARG)) == 0) {
			int n = atoi(argv[i] + strlen(ROUNDS_ARG));
			return n < 1 ? 1 : n > MAX_ROUNDS ? MAX_ROUNDS : n;
		}
	}
	return DEFAULT_ROUNDS;
}

/* Print what the pager did for all processes so far (so a log shows that swapping happened). */
static void print_pager_stats(void)
{
	struct pager_stats s;
	if (pager_stats(0, &s) < 0)
		return;
	printf("stress: %lu frames; %lu faults, %lu cow copies, %lu evictions, %lu swap-ins\n",
	       (unsigned long)s.frames_total, (unsigned long)s.faults, (unsigned long)s.cow_copies,
	       (unsigned long)s.evictions, (unsigned long)s.swap_ins);
}

/* Results are named stress/<policy>/<test>, as usertests does. */
int main(int argc, char **argv)
{
	char suite[POLICY_SPEC_MAX + 16];
	rounds = rounds_arg(argc, argv);
	printf("stress: %d round%s\n", rounds, rounds == 1 ? "" : "s");
	policy_suite_name("stress", suite, sizeof(suite));
	int failed = run_tests(suite, tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
	print_pager_stats();
	return failed;
}
