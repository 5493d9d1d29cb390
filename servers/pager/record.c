/*
 * Recording a process's page-reference trace (PAGER_RECORD), for the
 * replay tool (tools/replay.c) to run against every policy offline. Two
 * kinds of events, in order: a fault that gave one of its pages a frame
 * (proc_note_frame: fills, swap-ins, copy-on-write copies), and, every
 * pager tick, a sample of each of its pages that was accessed since the
 * last one, with its dirty bit (read and cleared many pages a call,
 * proc_sample; the accessed bits it clears are the clock policies' too,
 * for that process alone). Events past RECORD_EVENTS_MAX are counted,
 * not kept. pagerctl record saves a trace to a file.
 */
#include "pager.h"
#include "sys.h"
#include "abi/pager.h"

static int recording_pid;                 /* 0: none */
static uint64_t events[RECORD_EVENTS_MAX], recorded;

/* Keep one event (count it if the buffer is full). */
static void keep(uint64_t va, uint64_t kind, uint64_t bits)
{
	if (recorded < RECORD_EVENTS_MAX)
		events[recorded] = PAGE_DOWN(va) | kind | (bits & RECORD_BITS_MASK) << RECORD_BITS_SHIFT;
	recorded++;
}

/* p's page va got a frame: a fault event if p is being recorded. */
void record_fault(const struct proc *p, uint64_t va)
{
	if (recording_pid && p->pid == recording_pid)
		keep(va, 0, 0);
}

/* One sampled page: an event if it was accessed. */
static void record_sampled(struct proc *p, uint64_t va, uint64_t pa, int64_t bits, void *ctx)
{
	(void)p, (void)pa, (void)ctx;
	if (bits & PAGE_ACCESSED)
		keep(va, RECORD_SAMPLE, (uint64_t)bits);
}

/* The timer: sample the recorded process's accessed bits; the next tick wanted, or 0 if none is recorded. */
uint64_t record_tick(uint64_t now)
{
	struct proc *p = recording_pid ? proc_by_pid(recording_pid) : NULL;
	if (!p || p->state != PROC_RUNNING) {
		recording_pid = 0;
		return 0;
	}
	proc_sample(p, PAGE_BITS_CLEAR_ACCESSED, record_sampled, NULL);
	return now + 1;
}

/*
 * PAGER_RECORD: start recording process w0 (the caller itself or a
 * descendant; init and the servers: anyone), read the events from w2, or
 * stop. Reading and stopping are anyone's (page addresses, no contents,
 * as PAGER_MAPS shows), so a parent reads its child's trace after it ended.
 */
int request_record(struct request *rq)
{
	uint64_t op = rq->m->w[1], from = rq->m->w[2];
	struct proc *q = proc_by_pid((int)rq->m->w[0]);
	if (op == RECORD_START && (!q || q->state != PROC_RUNNING))
		return request_answer(rq, -E_NOENT);
	if (op == RECORD_START && !proc_ancestor_of(rq->p, q) && !rq->p->system && rq->p->pid != init_pid)
		return request_answer(rq, -E_PERM);
	if (op == RECORD_START) {
		recording_pid = q->pid;
		recorded = 0;
		requests_timer();
		return request_answer(rq, 0);
	}
	if (op == RECORD_STOP) {
		recording_pid = 0;
		return request_answer(rq, 0);
	}
	if (op != RECORD_READ)
		return request_answer(rq, -E_INVAL);
	uint64_t kept = recorded < RECORD_EVENTS_MAX ? recorded : RECORD_EVENTS_MAX;
	uint64_t n = from < kept ? kept - from : 0;
	n = n < RECORD_READ_MAX ? n : RECORD_READ_MAX;
	reply_data = &events[from < kept ? from : 0];
	reply_len = n * sizeof(events[0]);
	*rq->m = msg_make(0, n, recorded, 0, 0);
	return 1;
}
