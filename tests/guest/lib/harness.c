/* The in-QEMU test harness; see harness.h. */
#include <string.h>
#include "harness.h"
#include "user.h"
#include "abi/fs.h"
#include "abi/pager.h"

/* The pager's count of free frames. */
long pager_free_frames(void)
{
	struct msg m = msg_make(PAGER_STATS, 0, 0, 0, 0);
	return pager_request(&m, NULL, 0);
}

/*
 * Free frames plus the frames live processes and the pager's disk and
 * file reads hold (PAGER_HELD): the same before and after a process that
 * leaks nothing, even while a write-back or a read started earlier ends
 * and gives its frame back meanwhile.
 */
long pager_frames_accounted(void)
{
	struct msg m = msg_make(PAGER_HELD, 0, 0, 0, 0);
	pager_request(&m, NULL, 0);
	return (long)(m.w[2] + m.w[0]);
}

/* The pager's counters for process pid (0: all, ended ones included); checks the pager answered. */
struct pager_stats pager_stats_of(int pid)
{
	struct pager_stats s;
	memset(&s, 0, sizeof(s));
	struct msg m = msg_make(PAGER_STATS_FULL, (uint64_t)pid, 0, 0, 0);
	CHECK_EQ(ipc_call(libsys_pager_tid, &m, NULL, &s, sizeof(s)), libsys_pager_tid);
	return s;
}

/* The pager's state checker (PAGER_CHECK): how many differences it found; 0 when all is consistent. */
long pager_check(void)
{
	struct msg m = msg_make(PAGER_CHECK, CHECK_INJECT_NONE, 0, 0, 0);
	return pager_request(&m, NULL, 0);
}

/*
 * What must come back after a test, and after a suite: free frames plus
 * what live processes hold (PAGER_HELD), the kernel pool's free pages,
 * and the swap slots in use less those live processes hold. Each stays
 * the same unless something leaks. Counting every live process, not only
 * this one, keeps them the same when another program (the shell a suite
 * runs from) starts, ends or loses pages to eviction meanwhile.
 */
struct books {
	long frames, pool, swap;
};

/* The books now. */
static struct books take_books(void)
{
	struct msg m = msg_make(PAGER_HELD, 0, 0, 0, 0);
	pager_request(&m, NULL, 0);
	return (struct books){ (long)(m.w[2] + m.w[0]), sys_kstat(KSTAT_POOL_FREE), (long)m.w[3] - (long)m.w[1] };
}

/* The paging policy this process runs under ("lazy,cow,none"...), into buf. */
const char *pager_policy(char *buf, size_t size)
{
	struct msg m = msg_make(PAGER_POLICY_GET, (uint64_t)getpid(), 0, 0, 0);
	m.tag = TAG(PAGER_POLICY_GET, 0);
	buf[0] = '\0';
	ipc_call(libsys_pager_tid, &m, NULL, buf, size);
	return buf;
}

/* Does this process's allocation policy leave untouched pages absent (lazy)? */
int policy_is_lazy(void)
{
	char buf[POLICY_SPEC_MAX];
	return strncmp(pager_policy(buf, sizeof(buf)), "lazy,", 5) == 0;
}

/* Fail the test unless the heap, fork, wait and the console (fd 1) work. */
void check_system_works(const char *who)
{
	enum { PAGES = 16, STATUS = 5 };
	char line[64];
	char *p = sbrk(PAGES * PAGE_SIZE);
	CHECK(p != (char *)-1);
	p[(PAGES - 1) * PAGE_SIZE] = 7;
	CHECK_EQ(p[(PAGES - 1) * PAGE_SIZE], 7);
	int pid = fork();
	if (pid == 0)
		exit(STATUS);
	int status = 0;
	CHECK_EQ(wait(&status), pid);
	CHECK_EQ(status, STATUS);
	int n = snprintf(line, sizeof(line), "%s: console works\n", who);
	CHECK_EQ(write(1, line, n), n);
}

/* Read all of path into buf (at most cap-1 bytes, NUL-terminated); its length, or -1. */
int read_whole_file(const char *path, char *buf, int cap)
{
	int fd = open(path, FS_O_RDONLY), n = 0, got;
	if (fd < 0)
		return -1;
	while (n < cap - 1 && (got = read(fd, buf + n, cap - 1 - n)) > 0)
		n += got;
	buf[n] = '\0';
	close(fd);
	return n;
}

/* "<prefix>/<this process's policy>". */
const char *policy_suite_name(const char *prefix, char *buf, size_t size)
{
	char policy[POLICY_SPEC_MAX];
	snprintf(buf, size, "%s/%s", prefix, pager_policy(policy, sizeof(policy)));
	return buf;
}

#define PREFIX_ARG "harness.prefix="   /* boot argument: a prefix for every test name */
#define SUITE_NAME_MAX 96

static const char *started_as = "";   /* argv[0], which run_tests records */

/* Is name this program's name in the pager's process table: the last element of the path it was started by, cut as the table cuts it? */
int is_own_name(const char *name)
{
	char own[PROC_INFO_NAME_MAX];
	snprintf(own, sizeof(own), "%s", path_last(started_as));   /* the pager names a process by its path's last element */
	return strcmp(name, own) == 0;
}

/* What follows the last '/' of path (all of it, without one). */
const char *path_last(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

int last_child_pid;

/* The pager's record of the latest fault of process pid (0: of any): w0 pid, w1 addr, w2 cause, w3 pc. */
struct msg pager_last_fault(int pid)
{
	struct msg m = msg_make(PAGER_LAST_FAULT, (uint64_t)pid, 0, 0, 0);
	pager_request(&m, NULL, 0);
	return m;
}

long spawner_tid;

/* Fork a child that runs fn and exits 0; its pid. */
int spawn_child(void (*fn)(void))
{
	spawner_tid = sys_gettid();
	int pid = fork();
	if (pid == 0) {
		fn();
		exit(0);
	}
	CHECK(pid > 0);
	return pid;
}

/* Wait for child pid and check its exit status. */
void reap_child(int pid, int expected)
{
	int status = -100;
	CHECK_EQ(wait(&status), pid);
	CHECK_EQ(status, expected);
}

/* Run fn in a child process; return its exit status (-100 if it could not be run). */
int run_child(void (*fn)(void))
{
	int pid = fork();
	last_child_pid = pid;
	if (pid == 0) {
		fn();
		exit(0);
	}
	int status = -100, reaped;
	if (pid < 0)
		return -100;
	while ((reaped = wait(&status)) != pid)     /* orphans of a failed test come to us */
		if (reaped < 0)
			return -100;
	return status;
}

/* The index to start from: boot argument test.start=K, else 0. */
static int start_index(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], "test.start=", 11) == 0)
			return atoi(argv[i] + 11);
	return 0;
}

/* Run one test in its own process; print its result; return 1 if it passed. */
static int run_one(const char *suite, const struct test *t)
{
	printf("@@ START %s/%s\n", suite, t->name);
	struct books before = take_books();
	long threads = sys_kstat(KSTAT_THREADS), spaces = sys_kstat(KSTAT_SPACES);
	int status = run_child(t->fn);
	struct books after = take_books();
	long findings = pager_check();
	if (status != 0)
		printf("@@ FAIL %s/%s exit status %d\n", suite, t->name, status);
	else if (findings != 0)
		printf("@@ FAIL %s/%s the pager's state checker found %ld differences\n", suite, t->name, findings);
	else if (after.frames != before.frames)
		printf("@@ FAIL %s/%s lost %ld frames\n", suite, t->name, before.frames - after.frames);
	else if (after.pool != before.pool)
		printf("@@ FAIL %s/%s kernel pool lost %ld pages\n", suite, t->name, before.pool - after.pool);
	else if (after.swap != before.swap)
		printf("@@ FAIL %s/%s lost %ld swap slots\n", suite, t->name, after.swap - before.swap);
	else if (sys_kstat(KSTAT_THREADS) != threads || sys_kstat(KSTAT_SPACES) != spaces)
		printf("@@ FAIL %s/%s threads or spaces left behind\n", suite, t->name);
	else {
		printf("@@ PASS %s/%s\n", suite, t->name);
		return 1;
	}
	return 0;
}

/*
 * Does name match pattern, a test name in which '*' stands for any run of
 * characters and '?' for any one (`usertests 'churn_*'`, make test ONLY=)?
 */
static int name_matches(const char *pattern, const char *name)
{
	if (*pattern == '*')
		return name_matches(pattern + 1, name) || (*name && name_matches(pattern, name + 1));
	if (*pattern == '\0' || *name == '\0')
		return *pattern == *name;
	return (*pattern == '?' || *pattern == *name) && name_matches(pattern + 1, name + 1);
}

/* Is test t chosen: named by an argument (one without '='), or no test named at all? */
static int chosen(const struct test *t, int argc, char **argv)
{
	int named = 0;
	for (int i = 1; i < argc; i++) {
		if (strchr(argv[i], '='))
			continue;                 /* a boot argument, not a test name */
		named = 1;
		if (name_matches(argv[i], t->name))
			return 1;
	}
	return !named;
}

/* Does every test name among the arguments name a test? If not, say which do exist. */
static int names_known(const char *suite, const struct test *tests, int n, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		int found = strchr(argv[i], '=') != NULL;
		for (int k = 0; k < n && !found; k++)
			found = name_matches(argv[i], tests[k].name);
		if (found)
			continue;
		printf("%s: no test named %s; the tests are:", suite, argv[i]);
		for (int k = 0; k < n; k++)
			printf(" %s", tests[k].name);
		printf("\n");
		return 0;
	}
	return 1;
}

/* The suite's name, as "P/suite" if a boot argument harness.prefix=P asks (the SMP runs: smp4/). */
static const char *prefixed(const char *suite, int argc, char **argv, char *buf, size_t size)
{
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], PREFIX_ARG, strlen(PREFIX_ARG)) == 0) {
			snprintf(buf, size, "%s/%s", argv[i] + strlen(PREFIX_ARG), suite);
			return buf;
		}
	}
	return suite;
}

/*
 * Run the chosen tests (all, or those named on the command line, as in
 * `usertests NAME`) from the start index, then the whole-suite leak
 * check; return 0 if all passed.
 */
int run_tests(const char *suite, const struct test *tests, int n, int argc, char **argv)
{
	char named[SUITE_NAME_MAX];
	suite = prefixed(suite, argc, argv, named, sizeof(named));
	int failed = 0, planned = 0;
	started_as = argc > 0 ? argv[0] : "";
	if (!names_known(suite, tests, n, argc, argv))
		return 1;
	struct books before = take_books();
	char policy[POLICY_SPEC_MAX];
	const struct test *run[n];
	for (int i = 0; i < n; i++)
		if (chosen(&tests[i], argc, argv))
			run[planned++] = &tests[i];
	printf("%s: policy %s\n", suite, pager_policy(policy, sizeof(policy)));
	printf("@@ PLAN %s %d\n", suite, planned + 1);
	for (int i = start_index(argc, argv); i < planned; i++)
		failed += !run_one(suite, run[i]);
	printf("@@ START %s/no_frame_lost\n", suite);
	struct books after = take_books();
	if (after.frames == before.frames && after.pool == before.pool && after.swap == before.swap) {
		printf("@@ PASS %s/no_frame_lost\n", suite);
	} else {
		printf("@@ FAIL %s/no_frame_lost %ld frames, %ld pool pages, %ld swap slots lost over the suite\n",
		       suite, before.frames - after.frames, before.pool - after.pool, after.swap - before.swap);
		failed++;
	}
	printf("@@ DONE %s\n", suite);
	return failed != 0;
}
