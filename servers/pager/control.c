/*
 * The requests that look at the pager or steer it rather than a
 * process's own memory: policies (pagerctl get and set), statistics, the
 * latest fault decisions, the fault trace and the state checker. Who may
 * send each is the request table's business (requests.c); these only do
 * the work. Replies that carry text or a struct use the reply buffer.
 */
#include <string.h>
#include "pager.h"
#include "sys.h"
#include "abi/pager.h"

static char reply_buf[PAGE_SIZE];
const void *reply_data;
uint64_t reply_len;

/* Reply with a string in the buffer; returns the result for w0. */
static int64_t reply_text(const char *text, int64_t result)
{
	size_t n = strlen(text) + 1;
	memcpy(reply_buf, text, n);
	reply_data = reply_buf;
	reply_len = n;
	return result;
}

/* The process a pagerctl request names: pid 0 = none (the default, or all). */
static int target(uint64_t pid, struct proc **out)
{
	*out = pid ? proc_by_pid((int)pid) : NULL;
	return pid && (!*out || (*out)->state != PROC_RUNNING) ? -E_NOENT : 0;
}

/* pagerctl get: one process's policy, or the default. */
int request_policy_get(struct request *rq)
{
	struct proc *q;
	char spec[POLICY_SPEC_MAX];
	if (target(rq->m->w[0], &q))
		return request_answer(rq, -E_NOENT);
	policy_format(q ? &q->policy : &default_policy, spec, sizeof(spec));
	return request_answer(rq, reply_text(spec, 0));
}

/* pagerctl set: one process's policy, or the default and every running program's. */
int request_policy_set(struct request *rq)
{
	struct proc *q;
	struct policy pol = default_policy;
	if (target(rq->m->w[0], &q))
		return request_answer(rq, -E_NOENT);
	if (q)
		pol = q->policy;
	if (rq->len == 0 || rq->buf[rq->len - 1] != '\0' || policy_parse(rq->buf, &pol))
		return request_answer(rq, reply_text(policy_choices, -E_INVAL));
	if (q) {
		q->policy = pol;
	} else {
		default_policy = pol;
		proc_set_policy_all(&pol);
	}
	return request_answer(rq, 0);
}

/* pagerctl stats: counters for one process, or for the whole system. */
int request_stats_full(struct request *rq)
{
	struct proc *q;
	struct proc_stats s;
	struct pager_stats *out = (struct pager_stats *)reply_buf;
	if (target(rq->m->w[0], &q))
		return request_answer(rq, -E_NOENT);
	if (q)
		s = q->stats;
	else
		stats_total(&s);
	*out = (struct pager_stats){
		frames_used() + frames_free(), frames_free(), q ? q->frames + q->pmap.nodes : frames_used(),
		swap_total(), q ? q->swapped : swap_used(), s.faults, s.zero_fills, s.file_fills,
		s.cow_copies, s.cow_reuses, s.evictions, s.swap_ins,
	};
	reply_data = reply_buf;
	reply_len = sizeof(*out);
	return request_answer(rq, 0);
}

/* PAGER_STATS: free frames, faults, zero-fills and kills. */
int request_stats(struct request *rq)
{
	struct proc_stats totals;
	stats_total(&totals);
	*rq->m = msg_make(0, frames_free(), stats.faults, totals.zero_fills, stats.kills);
	return 1;
}

/* PAGER_LAST_FAULT or PAGER_LAST_DECISION for the process in w0 (0: any). */
int request_last_fault(struct request *rq)
{
	struct msg *m = rq->m;
	const struct fault_record *f = fault_last((int)m->w[0]);
	if (!f)
		*m = msg_make(0, (uint64_t)-E_NOENT, 0, 0, 0);
	else if (TAG_LABEL(m->tag) == PAGER_LAST_FAULT)
		*m = msg_make(0, (uint64_t)f->pid, f->addr, f->cause, f->pc);
	else
		*m = msg_make(0, (uint64_t)f->decision, 0, 0, 0);
	return 1;
}

/* PAGER_TRACE: the per-fault trace lines on (w0 ≠ 0) or off. */
int request_trace(struct request *rq)
{
	fault_hooks = (fault_hooks & ~FAULT_HOOK_TRACE) | (rq->m->w[0] ? FAULT_HOOK_TRACE : 0);
	return request_answer(rq, 0);
}

/* PAGER_CHECK: the state checker's findings; a damage to inject first only under pager.test_hooks=1. */
int request_check(struct request *rq)
{
	uint64_t inject = rq->m->w[0];
	if (inject && !pager_test_hooks)
		return request_answer(rq, -E_PERM);
	if (inject >= CHECK_INJECT_END)
		return request_answer(rq, -E_INVAL);
	return request_answer(rq, pager_check_request(rq->p, inject));
}

/* PAGER_MY_FRAMES: the caller's frames and record nodes, its swap slots, the slots in use. */
int request_my_frames(struct request *rq)
{
	struct proc *p = rq->p;
	*rq->m = msg_make(0, p->frames + p->pmap.nodes, p->swapped, swap_used(), 0);
	return 1;
}

/*
 * PAGER_HELD: what every live process holds (frames and record nodes, swap
 * slots) beside the free frames and the slots in use. Free plus held stays
 * the same while processes come, go and lose pages to eviction, unless
 * something leaks: the harness's leak check around each test.
 */
int request_held(struct request *rq)
{
	uint64_t frames = 0, slots = 0;
	for (int i = 0; i < MAX_PROCS; i++) {
		const struct proc *q = proc_at(i);
		if (q->state == PROC_RUNNING) {
			frames += q->frames + q->pmap.nodes;
			slots += q->swapped;
		}
	}
	*rq->m = msg_make(0, frames, slots, frames_free(), swap_used());
	return 1;
}

/* PAGER_RESIDENT: is the caller's page at w0 present? */
int request_resident(struct request *rq)
{
	uint64_t va = rq->m->w[0];
	uint64_t *slot = va < USER_TOP ? pmap_slot(&rq->p->pmap, PAGE_DOWN(va), 0) : NULL;
	return request_answer(rq, slot && pmap_present(*slot));
}
