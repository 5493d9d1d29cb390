/*
 * pagerctl: look at and change the pager's policies while the system runs.
 *
 *   pagerctl get [--pid N]          the default policy, or process N's
 *   pagerctl set [--pid N] SPEC     e.g. lazy,cow,clock (all programs, or process N)
 *   pagerctl run SPEC PROGRAM [ARG...]  run PROGRAM under policy SPEC
 *   pagerctl stats [PID]            frames, faults by kind, swap; all (and each process) or PID
 *   pagerctl maps [PID]             a process's memory map, like /proc/PID/maps (default: its own)
 *   pagerctl trace on|off           one line per fault on the console
 *   pagerctl help                   the policy spec and every counter explained
 *
 * The pager lets a process change only its own policy and its
 * descendants' (init and the servers anyone's, and all at once): so `set`
 * works from init, and `run` is how the shell starts a program under a
 * policy (pagerctl sets its own, which exec keeps). Malformed arguments
 * (a pid that is not a positive number, words left over, an unknown
 * command) are refused with a line saying what is wrong and status 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sys.h"
#include "user.h"
#include "abi/pager.h"
#include "kernel/fcntl.h"

#define TRACE_LINE_MAX 48             /* "S 3fffffe000 6" and more */

#define MAX_PID 0x7fffffffL              /* pids are positive 32-bit numbers */
#define ADDR_DIGITS 10                   /* hex digits of a user address in maps */

/* Print usage and fail. */
static int usage(void)
{
	fprintf(stderr, "usage: pagerctl get [--pid N] | set [--pid N] SPEC | run SPEC PROGRAM [ARG...] |"
	                " stats [PID] | maps [PID] | trace on|off | record FILE PROGRAM [ARG...] | help\n");
	return 1;
}

/* Refuse the command line with a message (printf-style) and status 1. */
static int refuse(const char *fmt, const char *what)
{
	fprintf(stderr, "pagerctl: ");
	fprintf(stderr, fmt, what);
	fprintf(stderr, "; try pagerctl help\n");
	return 1;
}

/* Make a request with a buffer out and a reply buffer back; w0 of the reply. */
static long request(struct msg *m, const void *out, size_t out_len, void *in, size_t in_cap)
{
	m->tag = TAG(TAG_LABEL(m->tag), out_len);
	long r = ipc_call(libsys_pager_tid, m, out, in, in_cap);
	return r < 0 ? r : (long)m->w[0];
}

/* The pid written in s (decimal digits only, 1 to MAX_PID), or -1 after saying why not. */
static long parse_pid(const char *s)
{
	long pid = 0;
	for (const char *c = s; *c; c++) {
		if (*c < '0' || *c > '9' || pid > MAX_PID) {
			refuse("'%s' is not a process number (a pid is a positive decimal number)", s);
			return -1;
		}
		pid = pid * 10 + (*c - '0');
	}
	if (!s[0] || pid == 0 || pid > MAX_PID) {
		refuse("'%s' is not a process number (a pid is a positive decimal number)", s);
		return -1;
	}
	return pid;
}

/* The pid of an optional --pid N at argv[*i] (moving *i past it); 0 if absent, -1 if malformed. */
static long pid_option(int argc, char **argv, int *i)
{
	if (*i >= argc || strcmp(argv[*i], "--pid") != 0)
		return 0;
	if (*i + 1 >= argc) {
		refuse("%s needs a process number after it", "--pid");
		return -1;
	}
	*i += 2;
	return parse_pid(argv[*i - 1]);
}

/* Fail unless argv[i] is the end of the command line. */
static int no_more(int argc, char **argv, int i)
{
	return i < argc ? refuse("unexpected '%s' at the end of the command", argv[i]) : 0;
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

/* pagerctl set: the pager's refusal of a bad spec names the part that is wrong. */
static int set(long pid, const char *spec)
{
	char reply[PAGE_SIZE];
	long r = policy_set_why((int)pid, spec, reply, sizeof(reply));
	if (r == -E_NOENT)
		fprintf(stderr, "pagerctl: no process %ld\n", pid);
	else if (r == -E_PERM)
		fprintf(stderr, "pagerctl: may not change %s (only a process itself, its ancestors, init and "
		        "the servers may); in the shell, `policy SPEC` sets the policy of every command it starts, "
		        "and pagerctl run SPEC PROGRAM runs one program under SPEC\n", pid ? "that process's policy" : "every program's policy");
	else if (r < 0)
		fprintf(stderr, "pagerctl: %s\n", reply[0] ? reply : "bad policy");
	return r < 0;
}

/* The name of process pid (from the process table, procinfo), into name; "?" if it is gone. */
static const char *proc_name(long pid, char *name, size_t size)
{
	struct proc_info info;
	snprintf(name, size, "?");
	for (int slot = 0; (slot = procinfo(slot, &info)) >= 0; slot++)
		if (info.pid == pid)
			snprintf(name, size, "%s", info.name);
	return name;
}

/* The counters of pid (0: all) into *s; 0, or 1 after saying there is no such process. */
static int get_stats(long pid, struct pager_stats *s)
{
	if (pager_stats((int)pid, s) < 0) {
		fprintf(stderr, "pagerctl: no process %ld\n", pid);
		return 1;
	}
	return 0;
}

/* Print the fault counters of s, after a prefix. */
static void print_faults(const char *prefix, const struct pager_stats *s)
{
	printf("%sfaults %lu: zero-fill %lu, file-fill %lu, cow copy %lu, cow reuse %lu, swap-in %lu; evicted %lu"
	       " (written back %lu)\n",
	       prefix, (unsigned long)s->faults, (unsigned long)s->zero_fills, (unsigned long)s->file_fills,
	       (unsigned long)s->cow_copies, (unsigned long)s->cow_reuses, (unsigned long)s->swap_ins,
	       (unsigned long)s->evictions, (unsigned long)s->writebacks);
}

/* One process's stats: a line with its pid and name, then its faults. */
static void print_proc_stats(long pid, const char *name, const struct pager_stats *s)
{
	printf("pid %ld (%s): %lu frames, %lu pages in swap\n", pid, name, (unsigned long)s->frames_used,
	       (unsigned long)s->swap_used);
	print_faults("  ", s);
}

/* pagerctl stats: the system's totals and then each process's, or process pid's alone. */
static int stats(long pid)
{
	struct pager_stats s;
	struct proc_info info;
	char name[PROC_INFO_NAME_MAX];
	if (get_stats(pid, &s))
		return 1;
	if (pid) {
		print_proc_stats(pid, proc_name(pid, name, sizeof(name)), &s);
		return 0;
	}
	printf("frames: %lu in all, %lu free, %lu used; swap: %lu of %lu slots used\n",
	       (unsigned long)s.frames_total, (unsigned long)s.frames_free,
	       (unsigned long)s.frames_used, (unsigned long)s.swap_used, (unsigned long)s.swap_total);
	print_faults("", &s);
	for (int slot = 0; (slot = procinfo(slot, &info)) >= 0; slot++)
		if (info.state != PROC_INFO_ZOMBIE && !get_stats(info.pid, &s))   /* it may have ended meanwhile */
			print_proc_stats(info.pid, info.name, &s);
	return 0;
}

/* The name of a region kind. */
static const char *kind_name(uint64_t kind)
{
	static const char *const names[PAGER_REGION_KINDS] = {
		[PAGER_REGION_TEXT] = "text", [PAGER_REGION_DATA] = "data", [PAGER_REGION_HEAP] = "heap",
		[PAGER_REGION_STACK] = "stack", [PAGER_REGION_MMAP] = "mmap",
	};
	return kind < PAGER_REGION_KINDS ? names[kind] : "?";
}

/* Print one region as a maps line: start-end, rwx and p/s, kind, present, swapped, shared, file. */
static void print_region(const struct pager_region *r)
{
	printf("%0*lx-%0*lx %c%c%c%c %-5s %7lu %7lu %6lu %s\n", ADDR_DIGITS, (unsigned long)r->start,
	       ADDR_DIGITS, (unsigned long)r->end, (r->rights & RIGHT_R) ? 'r' : '-',
	       (r->rights & RIGHT_W) ? 'w' : '-', (r->rights & RIGHT_X) ? 'x' : '-',
	       (r->flags & PAGER_REGION_SHARED) ? 's' : 'p', kind_name(r->kind), (unsigned long)r->present,
	       (unsigned long)r->swapped, (unsigned long)r->shared, r->name);
}

/* pagerctl maps: process pid's regions, one PAGER_MAPS call each. */
static int maps(long pid)
{
	struct pager_region r;
	char name[PROC_INFO_NAME_MAX];
	long count = 1;
	for (long i = 0; i < count; i++) {
		struct msg m = msg_make(PAGER_MAPS, (uint64_t)pid, (uint64_t)i, 0, 0);
		memset(&r, 0, sizeof(r));
		count = request(&m, NULL, 0, &r, sizeof(r));
		if (count < 0) {
			fprintf(stderr, "pagerctl: no process %ld\n", pid);
			return 1;
		}
		if (i == 0)
			printf("pid %ld (%s): %ld regions\n%-*s %-*s perm kind  present swapped shared file\n", pid,
			       proc_name(pid ? pid : getpid(), name, sizeof(name)), count, ADDR_DIGITS, "start", ADDR_DIGITS, "end");
		if (i < count)
			print_region(&r);
	}
	return 0;
}

/* pagerctl help: the policy spec and every counter stats and maps print. */
static int help(void)
{
	usage();
	printf("A policy SPEC is ALLOC,FORK,REPLACEMENT[,SCOPE], no spaces (default lazy,cow,none):\n"
	       "  ALLOC        eager      sbrk maps every new heap page at once\n"
	       "               lazy       a page gets a zeroed frame at its first touch\n"
	       "               around:N   like lazy, but a fault also maps the next N-1 pages (N 2..64)\n"
	       "  FORK         copy       the child gets a copy of every present page\n"
	       "               cow        parent and child share pages read-only; a write copies\n"
	       "  REPLACEMENT  none       no swapping: out of memory kills the biggest program\n"
	       "               fifo       evict the page that got its frame first\n"
	       "               clock      evict a page not used since the clock hand passed\n"
	       "               eclock     clock that takes unused clean pages first (no write-back)\n"
	       "               aging[:P]  evict the page least used lately: accessed bits sampled every P ticks\n"
	       "               wsclock[:T] evict a clean page unused for T ticks (out of the working set)\n"
	       "               random     evict a page drawn at random (a baseline)\n"
	       "  SCOPE        global     (the default) room is made from any program's pages\n"
	       "               local:N    at most N frames; past that the program's own pages go\n"
	       "               pff:N      as local:N, N moved by the program's page-fault frequency\n"
	       "stats prints, for the system and then each process (pid and name):\n"
	       "  frames       in all, free, used (a process: frames it holds, with its page records)\n"
	       "  swap         slots used of all (a process: its pages in swap)\n"
	       "  faults       page faults the pager served, of these:\n"
	       "  zero-fill    given a zeroed frame (heap, stack, bss)\n"
	       "  file-fill    read from the program file or a mapped file\n"
	       "  cow copy     a write to a shared copy-on-write page copied it\n"
	       "  cow reuse    a write to a copy-on-write page no longer shared made it writable\n"
	       "  swap-in      read back from the swap disk\n"
	       "  evicted      pages taken away to make room: written to the swap disk (written back)\n"
	       "               or, clean, dropped to be filled again\n"
	       "maps prints one line per region: start-end, rights (r w x, then p private or s shared),\n"
	       "  kind (text data heap stack mmap), present pages (with a frame), swapped pages (in\n"
	       "  swap), shared pages (their frame mapped by another process too), and the file.\n");
	return 0;
}

/* pagerctl trace on|off. */
static int trace(const char *onoff)
{
	int on = strcmp(onoff, "on") == 0;
	if (!on && strcmp(onoff, "off") != 0)
		return refuse("trace takes on or off, not '%s'", onoff);
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

/* Write the trace the pager recorded to fd, one line an event (tools/replay.c reads it); the events written. */
static long save_trace(int fd)
{
	static uint64_t ev[RECORD_READ_MAX];
	static const char head[] = "# page-reference trace: F VA STORE (a fault), S VA BITS (accessed since the last tick)\n";
	char line[TRACE_LINE_MAX];
	long from = 0, n;
	write(fd, head, sizeof(head) - 1);
	do {
		struct msg m = msg_make(PAGER_RECORD, (uint64_t)getpid(), RECORD_READ, (uint64_t)from, 0);
		n = request(&m, NULL, 0, ev, sizeof(ev));
		for (long k = 0; k < n; k++)
			write(fd, line, snprintf(line, sizeof(line), "%c %lx %lu\n", (ev[k] & RECORD_SAMPLE) ? 'S' : 'F',
			                         (unsigned long)(ev[k] & ~(uint64_t)(PAGE_SIZE - 1)),
			                         (unsigned long)((ev[k] >> RECORD_BITS_SHIFT) & RECORD_BITS_MASK)));
		from += n > 0 ? n : 0;
	} while (n == RECORD_READ_MAX);
	return from;
}

/* pagerctl record FILE PROGRAM [ARG...]: run PROGRAM with its page references recorded, then save them to FILE. */
static int record(const char *file, char **argv)
{
	int status, pid = fork();
	if (pid == 0) {
		struct msg m = msg_make(PAGER_RECORD, (uint64_t)getpid(), RECORD_START, 0, 0);
		request(&m, NULL, 0, NULL, 0);
		exec(argv[0], argv);
		fprintf(stderr, "pagerctl: cannot run %s\n", argv[0]);
		exit(1);
	}
	if (pid < 0 || wait(&status) != pid)
		return refuse("cannot start %s", argv[0]);
	int fd = open(file, O_CREATE | O_WRONLY | O_TRUNC);
	if (fd < 0)
		return refuse("cannot create '%s'", file);
	long n = save_trace(fd);
	close(fd);
	printf("pagerctl: %ld events of %s in %s\n", n, argv[0], file);
	return 0;
}

/* The optional PID at argv[2] of stats and maps (dflt without one); -1 if malformed or followed by more. */
static long optional_pid(int argc, char **argv, long dflt)
{
	int i = 2;
	long pid = pid_option(argc, argv, &i);
	if (pid == 0 && i < argc)
		pid = parse_pid(argv[i++]);
	if (pid < 0 || no_more(argc, argv, i))
		return -1;
	return pid ? pid : dflt;
}

int main(int argc, char **argv)
{
	int i = 2;
	if (argc < 2)
		return usage();
	const char *cmd = argv[1];
	if (strcmp(cmd, "get") == 0 || strcmp(cmd, "set") == 0) {
		long pid = pid_option(argc, argv, &i);
		if (pid < 0)
			return 1;
		if (cmd[0] == 'g')
			return no_more(argc, argv, i) ? 1 : get(pid);
		if (i == argc)
			return refuse("%s needs a policy SPEC", "set");
		return no_more(argc, argv, i + 1) ? 1 : set(pid, argv[i]);
	}
	if (strcmp(cmd, "run") == 0)
		return argc >= 4 ? run(argv[2], argv + 3) : refuse("%s needs a policy SPEC and a PROGRAM", cmd);
	if (strcmp(cmd, "stats") == 0 || strcmp(cmd, "maps") == 0) {
		long pid = optional_pid(argc, argv, cmd[0] == 's' ? 0 : getpid());
		return pid < 0 ? 1 : cmd[0] == 's' ? stats(pid) : maps(pid);
	}
	if (strcmp(cmd, "record") == 0)
		return argc >= 4 ? record(argv[2], argv + 3) : refuse("%s needs a FILE and a PROGRAM", cmd);
	if (strcmp(cmd, "trace") == 0)
		return argc == 3 ? trace(argv[2]) : refuse("%s takes on or off", cmd);
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
		return no_more(argc, argv, i) ? 1 : help();
	return refuse("unknown command '%s'", cmd);
}
