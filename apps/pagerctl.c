/*
 * pagerctl: look at and change the pager's policies while the system runs.
 *
 *   pagerctl get [--pid N]          the default policy, or process N's
 *   pagerctl set [--pid N] SPEC     e.g. lazy,cow,clock (all programs, or process N)
 *   pagerctl run SPEC PROGRAM [ARG...]  run PROGRAM under policy SPEC
 *   pagerctl stats [N]              frames, faults by kind, swap; all or process N
 *   pagerctl trace on|off           one line per fault on the console
 *
 * The pager lets a process change only its own policy and its
 * descendants' (init and the servers anyone's, and all at once): so `set`
 * works from init, and `run` is how the shell starts a program under a
 * policy (pagerctl sets its own, which exec keeps).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sys.h"
#include "user.h"
#include "abi/pager.h"

/* Print usage and fail. */
static int usage(void)
{
	fprintf(stderr, "usage: pagerctl get [--pid N] | set [--pid N] SPEC | run SPEC PROGRAM [ARG...] |"
	                " stats [PID] | trace on|off\n");
	return 2;
}

/* Make a request with a buffer out and a reply buffer back; w0 of the reply. */
static long request(struct msg *m, const void *out, size_t out_len, void *in, size_t in_cap)
{
	m->tag = TAG(TAG_LABEL(m->tag), out_len);
	long r = ipc_call(libsys_pager_tid, m, out, in, in_cap);
	return r < 0 ? r : (long)m->w[0];
}

/* The pid after --pid at argv[*i], if there; 0 otherwise. */
static long pid_option(int argc, char **argv, int *i)
{
	if (*i + 1 < argc && strcmp(argv[*i], "--pid") == 0) {
		long pid = atol(argv[*i + 1]);
		*i += 2;
		return pid;
	}
	return 0;
}

/* pagerctl get. */
static int get(long pid)
{
	char spec[POLICY_SPEC_MAX] = "";
	struct msg m = msg_make(PAGER_POLICY_GET, (uint64_t)pid, 0, 0, 0);
	if (request(&m, NULL, 0, spec, sizeof(spec)) < 0) {
		fprintf(stderr, "pagerctl: no process %ld\n", pid);
		return 1;
	}
	printf("%s\n", spec);
	return 0;
}

/* pagerctl set. */
static int set(long pid, const char *spec)
{
	char reply[PAGE_SIZE] = "";
	struct msg m = msg_make(PAGER_POLICY_SET, (uint64_t)pid, 0, 0, 0);
	long r = request(&m, spec, strlen(spec) + 1, reply, sizeof(reply) - 1);
	if (r == -E_NOENT)
		fprintf(stderr, "pagerctl: no process %ld\n", pid);
	else if (r == -E_PERM)
		fprintf(stderr, "pagerctl: may not change %s (only a process itself, its ancestors, init and "
		        "the servers may); in the shell, `policy SPEC` sets the policy of every command it starts, "
		        "and pagerctl run SPEC PROGRAM runs one program under SPEC\n", pid ? "that process's policy" : "every program's policy");
	else if (r < 0)
		fprintf(stderr, "pagerctl: unknown policy \"%s\"; the choices are\n  %s\n", spec, reply);
	return r < 0;
}

/* pagerctl stats. */
static int stats(long pid)
{
	struct pager_stats s;
	struct msg m = msg_make(PAGER_STATS_FULL, (uint64_t)pid, 0, 0, 0);
	if (request(&m, NULL, 0, &s, sizeof(s)) < 0) {
		fprintf(stderr, "pagerctl: no process %ld\n", pid);
		return 1;
	}
	if (pid)
		printf("pid %ld: %lu frames, %lu pages in swap\n", pid, (unsigned long)s.frames_used,
		       (unsigned long)s.swap_used);
	else
		printf("frames: %lu in all, %lu free, %lu used; swap: %lu of %lu slots used\n",
		       (unsigned long)s.frames_total, (unsigned long)s.frames_free,
		       (unsigned long)s.frames_used, (unsigned long)s.swap_used, (unsigned long)s.swap_total);
	printf("faults %lu: zero-fill %lu, file-fill %lu, cow copy %lu, cow reuse %lu, swap-in %lu; evicted %lu\n",
	       (unsigned long)s.faults, (unsigned long)s.zero_fills, (unsigned long)s.file_fills,
	       (unsigned long)s.cow_copies, (unsigned long)s.cow_reuses, (unsigned long)s.swap_ins,
	       (unsigned long)s.evictions);
	return 0;
}

/* pagerctl trace on|off. */
static int trace(const char *onoff)
{
	int on = strcmp(onoff, "on") == 0;
	if (!on && strcmp(onoff, "off") != 0)
		return usage();
	struct msg m = msg_make(PAGER_TRACE, (uint64_t)on, 0, 0, 0);
	return request(&m, NULL, 0, NULL, 0) < 0;
}

/* pagerctl run: take policy spec, then become argv[0] (exec keeps the policy). */
static int run(const char *spec, char **argv)
{
	if (set(getpid(), spec))
		return 1;
	exec(argv[0], argv);
	fprintf(stderr, "pagerctl: cannot run %s\n", argv[0]);
	return 1;
}

int main(int argc, char **argv)
{
	int i = 2;
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "get") == 0) {
		long pid = pid_option(argc, argv, &i);
		return i == argc ? get(pid) : usage();
	}
	if (strcmp(argv[1], "set") == 0) {
		long pid = pid_option(argc, argv, &i);
		return i + 1 == argc ? set(pid, argv[i]) : usage();
	}
	if (strcmp(argv[1], "run") == 0 && argc >= 4)
		return run(argv[2], argv + 3);
	if (strcmp(argv[1], "stats") == 0 && argc <= 3)
		return stats(argc == 3 ? atol(argv[2]) : 0);
	if (strcmp(argv[1], "trace") == 0 && argc == 3)
		return trace(argv[2]);
	return usage();
}
