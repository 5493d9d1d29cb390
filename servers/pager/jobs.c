/*
 * Jobs: process groups, the console's ^C and ^P, and the process table
 * as ps reads it.
 *
 * Every process is in a group (p->pgid). A process starts in a group of
 * its own, a forked child in its parent's; the shell moves each job it
 * starts (every stage of a pipeline) into a fresh group (PAGER_SETPGID)
 * and tells the console which group is in the foreground (FS_CONSOLE_FG).
 * PAGER_KILL_GROUP ends every process of a group, as kill(-pgid) does on
 * Unix; the servers and init are never among those ended.
 *
 * ^C and ^P reach us from the fs server, which owns the console. It must
 * never wait on us, since we call it synchronously (fsclient.c): a SEND
 * to us could wait for ever while we wait in a call to it. So it only
 * sets NOTIFY_CONSOLE in our notification word (SYS_NOTIFY never blocks)
 * and we, on that bit, call it back (FS_CONSOLE_EVENTS) to learn what to
 * do: the call goes our usual way, pager to fs, and it answers at once.
 * A forged notification just makes us ask and hear "nothing".
 */
#include <stdio.h>
#include <string.h>
#include "pager.h"
#include "sys.h"
#include "abi/pager.h"

#define MAX_PID INT32_MAX

/* May a group kill end p? Not a server, not init, only a running process. */
static int group_killable(const struct proc *p)
{
	return p->state == PROC_RUNNING && !p->system && p->pid != init_pid;
}

/* End every process of group pgid but caller, then caller if it is one; how many were ended. */
int jobs_kill_group(int pgid, const struct proc *caller)
{
	int killed = 0, self = 0;
	for (int i = 0; i < MAX_PROCS; i++) {
		struct proc *p = proc_at(i);
		if (p->pgid != pgid || !group_killable(p))
			continue;
		if (p == caller) {
			self = 1;
			continue;
		}
		proc_exit(p, EXIT_KILLED);
		killed++;
	}
	if (self)
		proc_exit((struct proc *)caller, EXIT_KILLED);
	return killed + self;
}

/* Is there a process (running or not yet collected) in group pgid that is a or a descendant of a? */
static int group_in_family(int pgid, const struct proc *a)
{
	for (int i = 0; i < MAX_PROCS; i++) {
		const struct proc *p = proc_at(i);
		if (p->state != PROC_FREE && p->pgid == pgid && proc_ancestor_of(a, p))
			return 1;
	}
	return 0;
}

/*
 * PAGER_SETPGID: put process w0 (the family rule checked it) into group
 * w1, or a new group of its own for 0. The group must be the process's
 * own pid or one already held by the caller or one of its descendants,
 * so no one joins a stranger's group.
 */
int request_setpgid(struct request *rq)
{
	struct proc *t = proc_by_pid((int)rq->m->w[0]);
	uint64_t pgid = rq->m->w[1] ? rq->m->w[1] : rq->m->w[0];
	if (!t || pgid > MAX_PID)
		return request_answer(rq, -E_INVAL);
	if ((int)pgid != t->pid && !group_in_family((int)pgid, rq->p))
		return request_answer(rq, -E_PERM);
	t->pgid = (int)pgid;
	return request_answer(rq, 0);
}

/* PAGER_KILL_GROUP: the count ended, -E_NOENT if none; no reply when the caller was one. */
int request_kill_group(struct request *rq)
{
	uint64_t pgid = rq->m->w[0];
	struct proc *self = rq->p;
	int was_member = self->pgid == (int)pgid && group_killable(self);
	int n = pgid && pgid <= MAX_PID ? jobs_kill_group((int)pgid, self) : 0;
	if (n == 0)
		return request_answer(rq, -E_NOENT);
	printf("pager: group %d (%d processes) killed by pid %d\n", (int)pgid, n, self->pid);
	return was_member ? 0 : request_answer(rq, n);
}

/* What ps shows of p's state. */
static int32_t info_state(const struct proc *p)
{
	if (p->state == PROC_ZOMBIE)
		return PROC_INFO_ZOMBIE;
	if (p->wake_tick)
		return PROC_INFO_SLEEPING;
	return p->waiting ? PROC_INFO_WAITING : PROC_INFO_RUNNING;
}

/* Fill one process-table entry for ps from p. */
static void info_fill(const struct proc *p, struct proc_info *out)
{
	memset(out, 0, sizeof(*out));
	out->pid = p->pid;
	out->parent = p->parent;
	out->pgid = p->pgid;
	out->state = info_state(p);
	out->server = p->system;
	out->frames = p->frames;
	out->swapped = p->swapped;
	strncpy(out->name, p->name, PROC_INFO_NAME_MAX - 1);
	policy_format(&p->policy, out->policy, sizeof(out->policy));
}

/* PAGER_PROC_INFO: the first used slot >= w0 and its entry in the buffer; -E_NOENT past the last. */
int request_proc_info(struct request *rq)
{
	static struct proc_info info;
	for (uint64_t slot = rq->m->w[0]; slot < MAX_PROCS; slot++) {
		const struct proc *p = proc_at((int)slot);
		if (p->state == PROC_FREE)
			continue;
		info_fill(p, &info);
		reply_data = &info;
		reply_len = sizeof(info);
		return request_answer(rq, (int64_t)slot);
	}
	return request_answer(rq, -E_NOENT);
}

/* The name of a ps state. */
static const char *state_name(int32_t state)
{
	static const char *const names[] = {
		[PROC_INFO_RUNNING] = "run", [PROC_INFO_SLEEPING] = "sleep",
		[PROC_INFO_WAITING] = "wait", [PROC_INFO_ZOMBIE] = "zombie",
	};
	return state >= PROC_INFO_RUNNING && state <= PROC_INFO_ZOMBIE ? names[state] : "?";
}

/* ^P: print the process table on the console, as ps does. */
static void jobs_dump(void)
{
	struct proc_info info;
	printf("\n  PID  PPID  PGID STATE  NAME             FRAMES SWAPPED POLICY\n");
	for (int i = 0; i < MAX_PROCS; i++) {
		const struct proc *p = proc_at(i);
		if (p->state == PROC_FREE)
			continue;
		info_fill(p, &info);
		printf("%5d %5d %5d %-6s %-16s %6lu %7lu %s\n", info.pid, info.parent, info.pgid,
		       state_name(info.state), info.name, (unsigned long)info.frames,
		       (unsigned long)info.swapped, info.server ? "server" : info.policy);
	}
	fflush(stdout);
}

/* NOTIFY_CONSOLE: ask the fs server what was typed, and end the foreground group or print the table. */
void jobs_console_events(void)
{
	int dump = 0;
	if (!fs_tid)
		return;
	int pgid = fs_console_events(&dump);
	if (dump)
		jobs_dump();
	if (pgid)
		jobs_kill_group(pgid, NULL);
}
