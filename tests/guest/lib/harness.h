/*
 * The in-QEMU test harness, in the manner of xv6's usertests: a table of
 * named tests, each run in its own forked process, with the pager's free
 * frame count and the kernel pool compared before and after each test so
 * that a leak fails it, and the pager's state checker run after each, so
 * that any inconsistency in its books fails it too. Results go to the console in the fixed format
 * tools/runtests.py reads:
 *
 *   @@ PLAN <suite> <n>    @@ START <suite>/<name>
 *   @@ PASS <suite>/<name> @@ FAIL <suite>/<name> <reason>   @@ DONE <suite>
 *
 * A test passes when its process exits with status 0. Inside a test,
 * CHECK(cond) prints the failed condition and exits with status 1.
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "sys.h"

struct test {
	const char *name;
	void (*fn)(void);
};

/* Run tests[start..n), or only those named in argv (`usertests NAME`); start from boot argument test.start=K; 0 if all passed. */
int run_tests(const char *suite, const struct test *tests, int n, int argc, char **argv);

/* Fail the running test with a message if cond is false. */
#define CHECK(cond)                                                                  \
	do {                                                                         \
		if (!(cond)) {                                                       \
			printf("check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
			exit(1);                                                     \
		}                                                                    \
	} while (0)

/* Fail the running test if a != b, printing both. */
#define CHECK_EQ(a, b)                                                               \
	do {                                                                         \
		long a_ = (long)(a), b_ = (long)(b);                                 \
		if (a_ != b_) {                                                      \
			printf("check failed: %s == %s: %ld != %ld (%s:%d)\n", #a, #b, a_, b_, \
			       __FILE__, __LINE__);                                  \
			exit(1);                                                     \
		}                                                                    \
	} while (0)

/* The paging policy of this process, and whether its allocation is lazy. */
const char *pager_policy(char *buf, size_t size);
int policy_is_lazy(void);

/* Fail the test unless the heap, fork, wait and the console (fd 1) work; `who` names the line printed. */
void check_system_works(const char *who);

/* Read all of path into buf (at most cap-1 bytes, NUL-terminated); its length, or -1. */
int read_whole_file(const char *path, char *buf, int cap);

/* "<prefix>/<this process's policy>": a suite name that tells the policy cells apart. */
const char *policy_suite_name(const char *prefix, char *buf, size_t size);

/*
 * Is name this program's name in the pager's process table? That is the
 * name it was started by (argv[0], given to run_tests): "usertests" typed
 * at the shell, "tests/fstests" booted from the disk, cut to
 * PROC_INFO_NAME_MAX - 1 bytes.
 */
int is_own_name(const char *name);

/* What follows the last '/' of path (all of it, without one): "fspersist" of "tests/fspersist". */
const char *path_last(const char *path);

/* The pager's count of free frames. */
long pager_free_frames(void);

/* Free frames plus those held by live processes and the pager's disk and file reads (PAGER_HELD). */
long pager_frames_accounted(void);

/* The pager's counters for process pid (0: all, ended ones included); checks the pager answered. */
struct pager_stats pager_stats_of(int pid);

/* The pager's state checker (PAGER_CHECK): its number of findings, 0 when all is consistent. */
long pager_check(void);

/* Fork a child that runs fn and exits 0; its pid (the test fails if fork does). */
int spawn_child(void (*fn)(void));

/* The thread that called spawn_child last: the child's parent, for children that call it back. */
extern long spawner_tid;

/* Wait for child pid; fail the test unless it is the one that ended and with status expected. */
void reap_child(int pid, int expected);

/* Run fn in a child process; return its exit status (EXIT_KILLED if the pager killed it). */
int run_child(void (*fn)(void));

/* The pid of the child run_child started last. */
extern int last_child_pid;

/* The pager's record of the latest fault of process pid (0: of any): w0 pid, w1 addr, w2 cause, w3 pc. */
struct msg pager_last_fault(int pid);

#endif
