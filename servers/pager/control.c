/*
 * The requests that look at the pager or steer it rather than a
 * process's own memory: policies (pagerctl get and set), statistics, the
 * latest fault decisions, the fault trace and the state checker. Who may
 * send each is the request table's business (requests.c); these only do
 * the work. Replies that carry text or a struct use the reply buffer.
 */
#include <stdio.h>
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
	char why[POLICY_ERROR_MAX];
	if (rq->len == 0 || rq->buf[rq->len - 1] != '\0')
		return request_answer(rq, reply_text("the spec is not a NUL-terminated string", -E_INVAL));
	if (policy_parse_why(rq->buf, &pol, why, sizeof(why)))
		return request_answer(rq, reply_text(why, -E_INVAL));
	if (q) {
		q->policy = pol;
		scope_start(q);
	} else {
		default_policy = pol;
		proc_set_policy_all(&pol);
	}
	requests_timer();                       /* a policy with ticks may be in use now */
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
		s.cow_copies, s.cow_reuses, s.evictions, s.swap_ins, s.waits, q ? 0 : stats.swap_orphans,
		s.writebacks,
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
 * slots), the swap disk's requests in flight (their frames, and the
 * slots only they still hold) and the file reads' frames (fileread.c),
 * beside the free frames and the slots in use. Free plus held stays
 * the same while processes come, go and lose pages to eviction, unless
 * something leaks: the harness's leak check around each test.
 */
int request_held(struct request *rq)
{
	uint64_t frames = 0, slots = 0;
	swap_held(&frames, &slots);
	frames += file_reads_held();
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

_Static_assert((int)REGION_TEXT == PAGER_REGION_TEXT && (int)REGION_DATA == PAGER_REGION_DATA &&
               (int)REGION_HEAP == PAGER_REGION_HEAP && (int)REGION_STACK == PAGER_REGION_STACK &&
               (int)REGION_MMAP == PAGER_REGION_MMAP && (int)REGION_KINDS == PAGER_REGION_KINDS,
               "PAGER_MAPS reports the pager's region kinds as they are");

/* Count one page record of a region for PAGER_MAPS: present (shared if its frame has other holders) or swapped. */
static void count_page(uint64_t va, uint64_t *entry, void *ctx)
{
	struct pager_region *out = ctx;
	(void)va;
	if (pmap_present(*entry)) {
		out->present++;
		out->shared += frame_refs(pmap_pa(*entry)) > 1;
	} else if (*entry & PMAP_SWAPPED) {
		out->swapped++;
	}
}

/* The name PAGER_MAPS gives region r's backing: the image's path, "inode N", or "". */
static void region_name(const struct region *r, char *name, size_t size)
{
	const char *path = r->image < 0 ? "" : image_name(r->image);
	if (path[0] || r->image < 0)
		snprintf(name, size, "%s", path);
	else
		snprintf(name, size, "inode %lu", (unsigned long)image_inum(r->image));
}

/* PAGER_MAPS: w0 pid (0: the caller), w1 index; the number of regions, and region index in the buffer. */
int request_maps(struct request *rq)
{
	uint64_t pid = rq->m->w[0], index = rq->m->w[1];
	struct proc *q = pid ? proc_by_pid(pid <= INT32_MAX ? (int)pid : -1) : rq->p;
	if (!q || q->state != PROC_RUNNING)
		return request_answer(rq, -E_NOENT);
	if (index < (uint64_t)q->map.count) {
		const struct region *r = &q->map.r[index];
		struct pager_region *out = (struct pager_region *)reply_buf;
		*out = (struct pager_region){ r->start, r->end, r->rights, r->kind, 0, 0, 0,
		                              r->shared ? PAGER_REGION_SHARED : 0, "" };
		region_name(r, out->name, sizeof(out->name));
		pmap_walk(&q->pmap, r->start, r->end, count_page, out);
		reply_data = reply_buf;
		reply_len = sizeof(*out);
	}
	return request_answer(rq, q->map.count);
}
