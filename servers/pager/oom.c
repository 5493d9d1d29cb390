/*
 * Out of memory: who pays when no frame can be had, even by eviction.
 *
 * A program's pages are what it holds: mapped frames (a shared one counts
 * in each holder), swap slots and page-record nodes. Each program may hold
 * at most its share of the pool it can use (RAM, and the swap disk if its
 * replacement policy swaps), all but 1/RESERVE_SHARE of it, which is left
 * to the others: an eager sbrk past the share fails at once, and a program
 * past its share that needs room gets none. Otherwise, when room cannot be
 * made, the program holding the most pages pays: if that is the one asking,
 * its request fails (a fault kills it, sbrk and fork fail); if it is
 * another program holding more, that one is killed and its frames go to
 * the one asking. Servers and init are never chosen, so a small innocent
 * program is never the one to die for a hog.
 */
#include <stdio.h>
#include "pager.h"

#define RESERVE_SHARE 8                 /* 1/8 of the pool is beyond any one program's reach */

/* The pages p holds: frames, swap slots and page-record nodes. */
uint64_t proc_pages(const struct proc *p)
{
	return p->frames + p->swapped + p->pmap.nodes;
}

/* The most pages p may hold: its share of RAM, and of swap if its policy swaps. */
uint64_t proc_limit(const struct proc *p)
{
	uint64_t pool = frames_used() + frames_free();
	if (p->policy.evict != &evict_none)
		pool += swap_total();
	return pool - pool / RESERVE_SHARE;
}

/* Would p hold more than its share with `more` pages more? Servers have no share. */
int proc_over_limit(const struct proc *p, uint64_t more)
{
	uint64_t limit = proc_limit(p);
	return !p->system && (more > limit || proc_pages(p) > limit - more);
}

/* May q be killed to make room: a running program, not init, with its thread? */
static int killable(const struct proc *q)
{
	return q->state == PROC_RUNNING && !q->system && q->pid != init_pid && q->tid;
}

/* The program holding the most pages, if it holds more than p (than anyone for a server); else NULL. */
static struct proc *biggest_other(const struct proc *p)
{
	struct proc *best = NULL;
	for (int slot = 0; slot < MAX_PROCS; slot++) {
		struct proc *q = proc_at(slot);
		if (q != p && killable(q) && (!best || proc_pages(q) > proc_pages(best)))
			best = q;
	}
	if (best && p && !p->system && proc_pages(best) <= proc_pages(p))
		return NULL;                    /* p holds the most: it pays itself */
	return best;
}

/* No room can be made for p: kill the program holding more pages than p. 1 if one died, 0 if p must pay. */
int oom_kill_for(struct proc *p)
{
	struct proc *victim = biggest_other(p);
	if (!victim)
		return 0;
	printf("pager: killed pid %d (%s): out of memory; it holds the most pages (%lu), pid %d needs some\n",
	       victim->pid, victim->name, (unsigned long)proc_pages(victim), p ? p->pid : 0);
	stats.kills++;
	proc_exit(victim, EXIT_KILLED);
	return 1;
}
