/*
 * Isolation and limits: a program cannot touch kernel memory or execute
 * its stack, processes do not see each other's writes, a fork bomb gets
 * errors from fork and the system comes back, a program cannot use up
 * the kernel's threads, and one that uses up the kernel's page-table pool
 * is killed alone. A memory hog cannot take the others' memory: an eager
 * one stops at its share, and out of memory kills the hog, not the small
 * program that asked. Run by `make test` as the suite "limits".
 *
 * Table shares (docs/SECURITY.md): for each shared table of the servers
 * (the fs server's open files, in-memory inodes and pipes, the pager's
 * images) several hogs, each within its own per-process limits, take all
 * they can get; each leaves a holder process that keeps what it took.
 * Then this process, which holds little, must still open a file by a
 * nested path, make a pipe, exec a program and fork. The holders are
 * killed before anything is checked, so a failure leaves nothing behind.
 */
#include <string.h>
#include "harness.h"
#include "user.h"
#include "abi/fs.h"
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

#define SHARES_DIR "/shares"
#define DEEP_DIR SHARES_DIR "/deep"
#define DEEP_FILE DEEP_DIR "/f"         /* what the innocent opens: a lookup through two directories */
#define DEEP_TEXT "ok"                  /* DEEP_FILE's contents */
#define DEEP_LEN (sizeof(DEEP_TEXT) - 1)
#define HOLD_NAP 100                    /* ticks a holder sleeps at a time, until it is killed */
#define HOLDER_SHIFT 8                  /* a hog's exit status: holder pid << 8 | entries taken */
#define TAKEN_MASK 0xff
#define MAX_HOGS 48
#define HOG_NAME_MAX 32
#define CONSOLE_FDS 3                   /* 0, 1, 2: a hog closes them to have every descriptor */
#define EXEC_RETURNED 42                /* exit status of a child whose exec returned */
#define FORKED_STATUS 7

/*
 * Hogs per test: together they would take more than the whole table,
 * reserve included, if its own rule did not stop them: 448 open files
 * (16 a hog), 324 inodes (a directory of its own and up to 16 files a
 * hog; once the open files' share stops a hog at 4 files, 5 inodes), 96
 * pipes (8 a hog, or 2 once the open files' share stops it), 64 images
 * (11 mapped files a hog: 16 regions less text, rodata, data, heap and
 * stack). So each test fails on the old tables (128, 64, 32, 64, no
 * rule) and on the new ones without its rule. The hogs that come once
 * the shared part is gone hold nothing (the console closed), so each
 * takes the few a process may take from the reserve.
 */
#define FILE_HOGS 32
#define INODE_HOGS 48
#define PIPE_HOGS 32
#define IMAGE_HOGS 7
#define IMAGE_FILES_PER_HOG 11

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

/* Close fds 0, 1 and 2, so that all FS_MAX_FDS descriptors are free for hogging. */
static void close_console(void)
{
	for (int fd = 0; fd < CONSOLE_FDS; fd++)
		close(fd);
}

/* The name of the file to map i into buf. */
static const char *map_file(char *buf, int i)
{
	snprintf(buf, HOG_NAME_MAX, "%s/m%d", SHARES_DIR, i);
	return buf;
}

/* Make (or, if !make, remove) the one-byte files the image hogs map; 0 if all went well. */
static int map_files(int make)
{
	char name[HOG_NAME_MAX];
	int bad = 0;
	for (int i = 0; i < IMAGE_HOGS * IMAGE_FILES_PER_HOG; i++) {
		map_file(name, i);
		if (!make) {
			bad |= unlink(name) < 0;
			continue;
		}
		int fd = open(name, FS_O_CREATE | FS_O_WRONLY);
		bad |= fd < 0 || write(fd, "x", 1) != 1;
		close(fd);
	}
	return bad;
}

/* Make SHARES_DIR, DEEP_DIR and DEEP_FILE (holding DEEP_TEXT); 0 if all went well. */
static int make_tree(void)
{
	if (mkdir(SHARES_DIR) < 0 || mkdir(DEEP_DIR) < 0)
		return -1;
	int fd = open(DEEP_FILE, FS_O_CREATE | FS_O_WRONLY);
	int n = fd < 0 ? -1 : write(fd, DEEP_TEXT, DEEP_LEN);
	close(fd);
	return n == (int)DEEP_LEN ? 0 : -1;
}

/* Remove what make_tree made; 0 if all went. */
static int remove_tree(void)
{
	int a = unlink(DEEP_FILE), b = unlink(DEEP_DIR), c = unlink(SHARES_DIR);
	return a < 0 || b < 0 || c < 0 ? -1 : 0;
}

/* Holder: keep everything inherited until killed. */
static void hold(void)
{
	for (;;)
		sleep(HOLD_NAP);
}

struct hogs {
	int holders[MAX_HOGS];          /* pids, to kill */
	int n, taken;                   /* holders; entries they took in all */
};

/*
 * Run n hogs, one after the other: hog i runs grab(i), which takes what
 * it can and returns how many it took, then forks a holder (which keeps
 * it all) and exits with the holder's pid and that count.
 */
static void start_hogs(int (*grab)(int), int n, struct hogs *h)
{
	memset(h, 0, sizeof(*h));
	for (int i = 0; i < n && i < MAX_HOGS; i++) {
		int pid = fork(), status = 0;
		if (pid == 0) {
			int taken = grab(i), holder = fork();
			if (holder == 0)
				hold();
			exit(holder > 0 ? holder << HOLDER_SHIFT | (taken & TAKEN_MASK) : 0);
		}
		if (pid < 0 || wait(&status) != pid || status <= 0)
			continue;
		h->holders[h->n++] = status >> HOLDER_SHIFT;
		h->taken += status & TAKEN_MASK;
	}
}

/* Kill every holder: what they held goes back. */
static void stop_hogs(struct hogs *h)
{
	for (int i = 0; i < h->n; i++)
		kill(h->holders[i]);
	h->n = 0;
}

/* Wait for child pid; its exit status, or -1. */
static int wait_for(int pid)
{
	int status = -1, got;
	while ((got = wait(&status)) != pid)
		if (got < 0)
			return -1;
	return status;
}

enum { OPEN_FAILED = 1, PIPE_FAILED = 2, EXEC_FAILED = 4, FORK_FAILED = 8 };

/* Can we open DEEP_FILE and read it? */
static int open_works(void)
{
	char buf[DEEP_LEN];
	int fd = open(DEEP_FILE, FS_O_RDONLY);
	int n = fd < 0 ? -1 : read(fd, buf, DEEP_LEN);
	close(fd);
	return n == (int)DEEP_LEN && memcmp(buf, DEEP_TEXT, DEEP_LEN) == 0;
}

/* Can we make a pipe and pass a byte through it? */
static int pipe_works(void)
{
	int fds[2];
	char c = 0;
	if (pipe(fds) < 0)
		return 0;
	int ok = write(fds[1], "p", 1) == 1 && read(fds[0], &c, 1) == 1 && c == 'p';
	close(fds[0]);
	close(fds[1]);
	return ok;
}

/* Can a child of ours exec a program from the disk (sleep 0, which exits 0)? */
static int exec_works(void)
{
	char *argv[] = { "sleep", "0", 0 };
	int pid = fork();
	if (pid == 0) {
		exec("/sleep", argv);
		exit(EXEC_RETURNED);
	}
	return pid > 0 && wait_for(pid) == 0;
}

/* Can we fork a child that exits with a status we see? */
static int fork_works(void)
{
	int pid = fork();
	if (pid == 0)
		exit(FORKED_STATUS);
	return pid > 0 && wait_for(pid) == FORKED_STATUS;
}

/* What an innocent process (this one, holding little) cannot do now: a mask of *_FAILED. */
static int innocent_failures(void)
{
	int failed = 0;
	failed |= open_works() ? 0 : OPEN_FAILED;
	failed |= pipe_works() ? 0 : PIPE_FAILED;
	failed |= exec_works() ? 0 : EXEC_FAILED;
	failed |= fork_works() ? 0 : FORK_FAILED;
	return failed;
}

/*
 * The shape of every table-share test: make the tree (and whatever
 * files(1) makes, if files), let n hogs run grab, see what an innocent
 * can still do, kill the holders, clean up (files(0)), then check.
 */
static void share_test(const char *table, int (*grab)(int), int n, int (*files)(int))
{
	struct hogs h;
	CHECK_EQ(make_tree(), 0);
	CHECK_EQ(files ? files(1) : 0, 0);
	start_hogs(grab, n, &h);
	int failed = innocent_failures(), holders = h.n;
	stop_hogs(&h);
	printf("%s: %d hogs took %d; innocent failures %#x (1 open, 2 pipe, 4 exec, 8 fork)\n",
	       table, holders, h.taken, failed);
	CHECK_EQ(files ? files(0) : 0, 0);
	CHECK_EQ(remove_tree(), 0);
	CHECK_EQ(holders, n);
	CHECK_EQ(failed, 0);
}

/* Hog: open SHARES_DIR on every descriptor. */
static int grab_files(int i)
{
	int n = 0;
	(void)i;
	close_console();
	while (n < FS_MAX_FDS && open(SHARES_DIR, FS_O_RDONLY) >= 0)
		n++;
	return n;
}

/* Open files: hogs holding 16 each cannot take the open files everyone else needs. */
static void test_file_table_share(void)
{
	share_test("open files", grab_files, FILE_HOGS, NULL);
}

/* The name of inode hog i's directory, or of file k in it (k >= 0), into buf. */
static const char *hog_path(char *buf, int i, int k)
{
	if (k < 0)
		snprintf(buf, HOG_NAME_MAX, "%s/d%d", SHARES_DIR, i);
	else
		snprintf(buf, HOG_NAME_MAX, "%s/d%d/%d", SHARES_DIR, i, k);
	return buf;
}

/* Hog i: make a directory of its own, work in it, and make and keep open files there. */
static int grab_inodes(int i)
{
	char name[HOG_NAME_MAX];
	int n = 0;
	close_console();
	if (mkdir(hog_path(name, i, -1)) < 0 || chdir(name) < 0)
		return 0;
	while (n < FS_MAX_FDS && open(hog_path(name, i, n), FS_O_CREATE | FS_O_RDWR) >= 0)
		n++;
	return n;
}

/* Remove whatever the inode hogs made (nothing to make first); 0. */
static int inode_hog_files(int make)
{
	char name[HOG_NAME_MAX];
	for (int i = 0; i < INODE_HOGS && !make; i++) {
		for (int k = 0; k < FS_MAX_FDS; k++)
			unlink(hog_path(name, i, k));
		unlink(hog_path(name, i, -1));
	}
	return 0;                       /* what is left makes remove_tree fail */
}

/* In-memory inodes: hogs holding a directory and many files each cannot take the inodes a lookup needs. */
static void test_inode_table_share(void)
{
	share_test("inodes", grab_inodes, INODE_HOGS, inode_hog_files);
}

/* Hog: make pipes until its descriptors or the pipes run out. */
static int grab_pipes(int i)
{
	int fds[2], n = 0;
	(void)i;
	close_console();
	while (n < FS_MAX_FDS / 2 && pipe(fds) == 0)
		n++;
	return n;
}

/* Pipes: hogs holding 8 pipes each cannot take the pipe everyone else needs. */
static void test_pipe_table_share(void)
{
	share_test("pipes", grab_pipes, PIPE_HOGS, NULL);
}

/* Hog i: map its own IMAGE_FILES_PER_HOG files, each a new image of the pager. */
static int grab_images(int i)
{
	char name[HOG_NAME_MAX];
	int n = 0;
	close_console();
	for (; n < IMAGE_FILES_PER_HOG; n++) {
		int fd = open(map_file(name, i * IMAGE_FILES_PER_HOG + n), FS_O_RDONLY);
		void *p = fd < 0 ? (void *)-1 : mmap(0, PAGE_SIZE, MMAP_PROT_READ, MMAP_PRIVATE, fd, 0);
		close(fd);
		if (p == (void *)-1)
			break;
	}
	return n;
}

/* Pager images: hogs mapping 11 files each cannot take the image exec needs. */
static void test_image_table_share(void)
{
	share_test("images", grab_images, IMAGE_HOGS, map_files);
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

static int table_hold[2], table_ready[2];           /* table hogs wait on table_hold; each says it is table_ready on table_ready */

/* Child: take every space and thread the kernel's quotas allow, say so, table_hold them until table_hold closes. */
static void kernel_table_hog(void)
{
	long space = sys_space_create(), more;
	char c = 'r';
	for (int i = 1; i < MAX_SPACES_PER_PAGER && (more = sys_space_create()) > 0; i++)
		;
	while (space > 0 && sys_thread_create(space, USER_BASE, USER_BASE) > 0)
		;
	close(table_hold[1]);
	write(table_ready[1], &c, 1);
	read(table_hold[0], &c, 1);                   /* end of file when the test lets go */
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
	CHECK(pipe(table_hold) == 0 && pipe(table_ready) == 0);
	for (int i = 0; i < TABLE_HOGS; i++) {
		int pid = fork();
		CHECK(pid >= 0);
		if (pid == 0)
			kernel_table_hog();
	}
	for (int i = 0; i < TABLE_HOGS; i++)
		CHECK_EQ(read(table_ready[0], &c, 1), 1);
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
	close(table_hold[1]);
	for (int i = 0; i < TABLE_HOGS; i++)
		CHECK(wait(NULL) > 0);
	close(table_hold[0]);
	close(table_ready[0]);
	close(table_ready[1]);
}

static const struct test tests[] = {
	{ "no_kernel_memory", test_no_kernel_memory },
	{ "stack_not_executable", test_stack_not_executable },
	{ "processes_apart", test_processes_apart },
	{ "fork_bomb", test_fork_bomb },
	{ "thread_quota", test_thread_quota },
	{ "kernel_pool_exhaustion", test_kernel_pool_exhaustion },
	{ "file_table_share", test_file_table_share },
	{ "inode_table_share", test_inode_table_share },
	{ "pipe_table_share", test_pipe_table_share },
	{ "image_table_share", test_image_table_share },
	{ "eager_hog_spares_others", test_eager_hog_spares_others },
	{ "oom_kills_biggest", test_oom_kills_biggest },
	{ "checker_needs_hooks", test_checker_needs_hooks },
	{ "kernel_tables_shared", test_kernel_tables_shared },
};

int main(int argc, char **argv)
{
	return run_tests("limits", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
