/*
 * Process calls, made as requests to the pager (include/abi/pager.h):
 * the xv6 signatures for fork, exit, wait, kill, getpid, sbrk, sleep and
 * uptime, plus _exit and sbrk for picolibc; and job control: process
 * groups (setpgid, kill of -pgid) and the process table (procinfo).
 */
#include <stddef.h>
#include <string.h>
#include "sys.h"
#include "abi/pager.h"

void _exit(int status);
void libsys_flush_stdout(void);
void *sbrk(ptrdiff_t increment);
int fork(void);
int wait(int *status);
int kill(int pid);
int getpid(void);
int sleep(int ticks);
int uptime(void);
int policy_set(int pid, const char *spec);
long policy_set_why(int pid, const char *spec, char *why, unsigned long size);
int setpgid(int pid, int pgid);
int procinfo(int slot, struct proc_info *out);
long pager_stats(int pid, struct pager_stats *out);
void *mmap(void *addr, size_t len, int prot, int flags, int fd, long offset);
int munmap(void *addr, size_t len);

long libsys_pager_tid, libsys_fs_tid;

/* Call the pager with *m (and a buffer); return the first reply word. */
long pager_request(struct msg *m, const void *buf, size_t len)
{
	m->tag = TAG(TAG_LABEL(m->tag), len);
	long r = ipc_call(libsys_pager_tid, m, buf, NULL, 0);
	return r < 0 ? r : (long)m->w[0];
}

/* Make a request with one argument; return its result. */
static long pager_simple(uint64_t label, uint64_t arg)
{
	struct msg m = msg_make(label, arg, 0, 0, 0);
	return pager_request(&m, NULL, 0);
}

/* End the process; the pager frees everything and tells the parent. */
void _exit(int status)
{
	libsys_flush_stdout();
	for (;;)
		pager_simple(PAGER_EXIT, (uint64_t)(int64_t)status);
}

/* Move the break by increment bytes; return the old break or (void *)-1. */
void *sbrk(ptrdiff_t increment)
{
	long r = pager_simple(PAGER_SBRK, (uint64_t)increment);
	return r < 0 && r > -E_COUNT ? (void *)-1 : (void *)r;
}

/* Duplicate this process; 0 in the child, the child's pid in the parent. */
static int my_pid;                     /* getpid's answer, once known (0: ask the pager) */

int fork(void)
{
	libsys_flush_stdout();              /* a partial line is printed once, not by both */
	struct msg m = msg_make(PAGER_FORK, 0, 0, 0, 0);
	long pid = pager_request(&m, NULL, 0);
	if (pid == 0)
		my_pid = (int)m.w[1];           /* the child: the pager's start message says who it is */
	return (int)pid;
}

/* Wait for a child to exit; store its status; return its pid or -1. */
int wait(int *status)
{
	struct msg m = msg_make(PAGER_WAIT, 0, 0, 0, 0);
	if (status && !user_writable(status, sizeof(*status)))
		return -1;                  /* a bad pointer: no child is collected */
	long pid = pager_request(&m, NULL, 0);
	if (pid >= 0 && status)
		*status = (int)m.w[1];
	return pid < 0 ? -1 : (int)pid;
}

/* Kill process pid, or with pid < 0 every process of group -pid (as on Unix); 0 or -1. */
int kill(int pid)
{
	if (pid < 0)
		return pager_simple(PAGER_KILL_GROUP, (uint64_t)-(int64_t)pid) < 0 ? -1 : 0;
	return pager_simple(PAGER_KILL, (uint64_t)pid) < 0 ? -1 : 0;
}

/* Put process pid (itself or a descendant) in group pgid, or a new group of its own for 0; 0 or -1. */
int setpgid(int pid, int pgid)
{
	struct msg m = msg_make(PAGER_SETPGID, (uint64_t)pid, (uint64_t)pgid, 0, 0);
	return pager_request(&m, NULL, 0) < 0 ? -1 : 0;
}

/* The process-table entry in the first used slot >= slot, into *out; that slot, or -1 past the last. */
int procinfo(int slot, struct proc_info *out)
{
	if (slot < 0 || !user_writable(out, sizeof(*out)))
		return -1;
	struct msg m = msg_make(PAGER_PROC_INFO, (uint64_t)slot, 0, 0, 0);
	m.tag = TAG(PAGER_PROC_INFO, 0);
	long r = ipc_call(libsys_pager_tid, &m, NULL, out, sizeof(*out));
	return r < 0 || (long)m.w[0] < 0 ? -1 : (int)m.w[0];
}

/* The pager's counters for process pid (0: all) into *out (zeroed first); the pager's answer, or an IPC error. */
long pager_stats(int pid, struct pager_stats *out)
{
	memset(out, 0, sizeof(*out));
	struct msg m = msg_make(PAGER_STATS_FULL, (uint64_t)pid, 0, 0, 0);
	long r = ipc_call(libsys_pager_tid, &m, NULL, out, sizeof(*out));
	return r < 0 ? r : (long)m.w[0];
}

/* This process's id: asked of the pager once, then remembered (fork tells the child its own). */
int getpid(void)
{
	if (my_pid <= 0)
		my_pid = (int)pager_simple(PAGER_GETPID, 0);
	return my_pid;
}

/* Sleep for ticks clock ticks (PAGER_TICK_HZ per second). */
int sleep(int ticks)
{
	return pager_simple(PAGER_SLEEP, (uint64_t)ticks) < 0 ? -1 : 0;
}

/* Map len bytes of file fd from offset (addr is a hint the pager ignores); the address or (void *)-1. */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, long offset)
{
	(void)addr;
	struct msg m = msg_make(PAGER_MMAP, len, (uint64_t)prot | (uint64_t)flags << MMAP_FLAGS_SHIFT,
	                        (uint64_t)fd, (uint64_t)offset);
	long r = pager_request(&m, NULL, 0);
	return r < 0 && r > -E_COUNT ? (void *)-1 : (void *)r;
}

/* Unmap [addr, addr + len) of a mapping, writing shared pages back; 0 or -1. */
int munmap(void *addr, size_t len)
{
	struct msg m = msg_make(PAGER_MUNMAP, (uint64_t)addr, len, 0, 0);
	return pager_request(&m, NULL, 0) < 0 ? -1 : 0;
}

/* Clock ticks since boot. */
int uptime(void)
{
	return (int)pager_simple(PAGER_UPTIME, 0);
}

/* Set the paging policy of process pid (itself or a descendant) to spec ("lazy,cow,clock"); 0 or -1. */
int policy_set(int pid, const char *spec)
{
	return policy_set_why(pid, spec, NULL, 0) < 0 ? -1 : 0;
}

/*
 * Set process pid's paging policy to spec: 0, or the pager's error
 * (-E_INVAL a bad spec, -E_PERM, -E_NOENT), with its reason (which part
 * of the spec is wrong) in why if there is room.
 */
long policy_set_why(int pid, const char *spec, char *why, unsigned long size)
{
	long len = user_strlen(spec, POLICY_SPEC_MAX);
	if (len < 0)
		return -E_FAULT;
	struct msg m = msg_make(PAGER_POLICY_SET, (uint64_t)pid, 0, 0, 0);
	m.tag = TAG(PAGER_POLICY_SET, (uint64_t)len + 1);
	long r = ipc_call(libsys_pager_tid, &m, spec, why, size ? size - 1 : 0);
	if (why && size)
		why[r < 0 ? 0 : TAG_LENGTH(m.tag)] = '\0';    /* the reason, as text */
	return r < 0 ? r : (long)m.w[0];
}
