/*
 * Requests (include/abi/pager.h), and the one table that says, for every
 * label the pager serves, who may send it and what serves it. The rule in
 * the "who may" column is checked in one place, request_handle, before
 * any handler runs:
 *
 *   any      any running process
 *   family   the process named by the pid in w0 itself, or one of its
 *            ancestors, or a root-like process (init, a server); pid 0
 *            (every process) only a root-like one
 *   servers  processes the pager started as servers (p->system)
 *   kernel   the kernel alone: FAULT and EXCEPTION, labels the kernel
 *            refuses from anyone else (abi.md §5), and NOTIFY from
 *            TID_KERNEL
 *
 * A refused request is answered -E_PERM (-E_NOENT for a family request
 * naming no running process), and a label with no row -E_NOSYS. Each
 * handler returns 1 when the reply in *m should go out now; exit, exec
 * that succeeds, a wait with no zombie yet and sleep answer later or
 * never. Pagerctl's and the statistics' handlers are in control.c.
 */
#include <stdio.h>
#include <string.h>
#include "pager.h"
#include "sys.h"
#include "abi/pager.h"

#define MAX_PID INT32_MAX

uint64_t timebase_hz;

/* Clock ticks since boot (PAGER_TICK_HZ a second). */
uint64_t pager_ticks(void)
{
	uint64_t now;
	asm volatile("rdtime %0" : "=r"(now));
	return now / (timebase_hz / PAGER_TICK_HZ);
}

/* Reply to rq with result in w0; returns 1 (reply now). */
int request_answer(struct request *rq, int64_t result)
{
	*rq->m = msg_make(0, (uint64_t)result, 0, 0, 0);
	return 1;
}

/* The break after moving old by n bytes, or 0 if it would leave [heap start, HEAP_LIMIT]. Any n, no overflow. */
static uint64_t moved_break(const struct proc *p, uint64_t old, int64_t n)
{
	uint64_t by = n < 0 ? 0 - (uint64_t)n : (uint64_t)n;     /* |n|, INT64_MIN's too */
	if (n >= 0)
		return old <= HEAP_LIMIT && by <= HEAP_LIMIT - old ? old + by : 0;
	return old >= p->heap_start && by <= old - p->heap_start ? old - by : 0;
}

/* Move p's break by n bytes; return the old break or a negative error. */
static int64_t do_sbrk(struct proc *p, int64_t n)
{
	uint64_t old = p->brk, brk = moved_break(p, old, n);
	if (!brk)
		return n > 0 ? -E_NOMEM : -E_INVAL;
	if (n < 0)
		proc_unmap_range(p, PAGE_UP(brk), PAGE_UP(old));
	p->brk = brk;
	region_of_kind(&p->map, REGION_HEAP)->end = PAGE_UP(brk);
	int err = n <= 0 ? 0 : p->system ? proc_populate(p, PAGE_UP(old), PAGE_UP(brk), 1)
	                                : p->policy.alloc->grow(p, PAGE_UP(old), PAGE_UP(brk));
	if (err) {
		do_sbrk(p, -n);            /* all of the new heap, or none of it */
		return -E_NOMEM;
	}
	return (int64_t)old;
}

/* PAGER_SBRK. */
static int serve_sbrk(struct request *rq)
{
	return request_answer(rq, do_sbrk(rq->p, (int64_t)rq->m->w[0]));
}

/* PAGER_FORK: the child's pid (the child gets 0 when it starts). */
static int serve_fork(struct request *rq)
{
	return request_answer(rq, proc_fork(rq->p, rq->tid));
}

/* PAGER_EXIT: never answered. */
static int serve_exit(struct request *rq)
{
	proc_exit(rq->p, (int)(int64_t)rq->m->w[0]);
	return 0;
}

/* wait(): reply now with a zombie child, fail with no children, or defer. */
static int serve_wait(struct request *rq)
{
	int status = 0;
	int pid = proc_wait(rq->p, &status);
	if (pid < 0 && proc_has_children(rq->p)) {
		rq->p->waiting = 1;
		return 0;
	}
	*rq->m = msg_make(0, (uint64_t)(int64_t)(pid < 0 ? -E_NOENT : pid), (uint64_t)(int64_t)status, 0, 0);
	return 1;
}

/* kill(pid): end another process with EXIT_KILLED; killing oneself is never answered. */
static int serve_kill(struct request *rq)
{
	uint64_t pid = rq->m->w[0];
	struct proc *victim = pid <= MAX_PID ? proc_by_pid((int)pid) : NULL;
	if (!victim || victim->state != PROC_RUNNING)
		return request_answer(rq, -E_NOENT);
	if (victim->system && !pager_test_hooks)
		return request_answer(rq, -E_PERM);   /* the servers are not anyone's to kill (but in tests) */
	printf("pager: pid %d killed by pid %d\n", victim->pid, rq->p->pid);
	proc_exit(victim, EXIT_KILLED);
	return victim == rq->p ? 0 : request_answer(rq, 0);
}

/* PAGER_GETPID. */
static int serve_getpid(struct request *rq)
{
	return request_answer(rq, rq->p->pid);
}

/* Wake every sleeper whose time has come, tick the policies in use; re-arm the timer for what is next. */
void requests_timer(void)
{
	uint64_t now = pager_ticks(), next = proc_wake_sleepers(now), policies = policies_tick(now);
	if (policies && (!next || policies < next))
		next = policies;
	if (next)
		sys_timer(next * (timebase_hz / PAGER_TICK_HZ));
}

/* sleep(ticks): reply when the ticks have passed. */
static int serve_sleep(struct request *rq)
{
	int64_t ticks = (int64_t)rq->m->w[0];
	if (ticks <= 0)
		return request_answer(rq, 0);
	rq->p->wake_tick = pager_ticks() + (uint64_t)ticks;
	requests_timer();
	return 0;
}

/* PAGER_UPTIME. */
static int serve_uptime(struct request *rq)
{
	return request_answer(rq, (int64_t)pager_ticks());
}

/* PAGER_MMAP (mmap.c). */
static int serve_mmap(struct request *rq)
{
	const struct msg *m = rq->m;
	return request_answer(rq, mmap_map(rq->p, m->w[0], m->w[1], (long)m->w[2], m->w[3]));
}

/* PAGER_MUNMAP (mmap.c). */
static int serve_munmap(struct request *rq)
{
	return request_answer(rq, mmap_unmap(rq->p, rq->m->w[0], rq->m->w[1]));
}

/* Split an exec buffer (path NUL argv... NUL) into argv; argc, or -E_INVAL. */
static int split_exec_buffer(char *buf, uint64_t len, int64_t argc, char *argv[])
{
	if (len == 0 || buf[len - 1] != '\0' || argc < 0 || argc > START_MAX_ARGS)
		return -E_INVAL;
	char *s = buf + strlen(buf) + 1, *end = buf + len;
	for (int i = 0; i < argc; i++) {
		if (s >= end)
			return -E_INVAL;
		argv[i] = s;
		s += strlen(s) + 1;
	}
	return (int)argc;
}

/* exec(path, argv): on success the thread restarts and gets no reply. */
static int serve_exec(struct request *rq)
{
	struct proc *p = rq->p;
	char *argv[START_MAX_ARGS];
	int argc = split_exec_buffer(rq->buf, rq->len, (int64_t)rq->m->w[0], argv);
	int img = argc < 0 ? argc : image_open_file(rq->buf);
	int err = img < 0 ? img : proc_load(p, img, argc, argv);
	if (err == 0) {
		strncpy(p->name, proc_name_of(argc ? argv[0] : rq->buf), PROC_NAME_MAX - 1);   /* as ps shows it */
		return 0;
	}
	if (err != -E_INVAL && img >= 0) {      /* the old program is gone already */
		printf("pager: killed pid %d (%s): exec failed after loading\n", p->pid, p->name);
		proc_exit(p, EXIT_KILLED);
		return 0;
	}
	return request_answer(rq, err);
}

/* PAGER_MAP_DEVICE: w0 the device's va, w1 its irq. */
static int serve_map_device(struct request *rq)
{
	uint64_t irq = 0;
	int64_t r = device_grant(rq->p, (uint32_t)rq->m->w[0], (uint32_t)rq->m->w[1], &irq);
	*rq->m = msg_make(0, (uint64_t)r, irq, 0, 0);
	return 1;
}

/* PAGER_PROBE: time one of the kernel's long calls at its worst (test hooks only; probe.c checks). */
static int serve_probe(struct request *rq)
{
	return probe_request(rq->m->w[0], rq->m);
}

/* PAGER_DMA_PAGE: w0 the page's va, w1 its pa. */
static int serve_dma_page(struct request *rq)
{
	uint64_t pa = 0;
	int64_t r = dma_grant(rq->p, &pa);
	*rq->m = msg_make(0, (uint64_t)r, pa, 0, 0);
	return 1;
}

/* The fs server is up: start the first program. Once, with status 0, before any program. */
static int serve_server_ready(struct request *rq)
{
	if (fs_tid || init_pid || rq->m->w[0] != 0)
		return request_answer(rq, -E_PERM);    /* a call gets an answer; a send's is dropped */
	fs_tid = libsys_fs_tid = rq->tid;
	pager_threads_tell_fs();
	file_reads_tell_fs();
	start_init();
	return 0;
}

/* EXCEPTION, from the kernel: the process dies. */
static int serve_exception(struct request *rq)
{
	struct msg reply;
	if (!exception_handle(rq->tid, rq->m, &reply))
		return 0;
	*rq->m = reply;
	return 1;
}

/* NOTIFY, from the kernel: the timer, idle time. Never answered. */
static int serve_notify(struct request *rq)
{
	pager_notified(rq->m->w[0]);
	return 0;
}

/* Who may send a request: the "who may" column. */
enum request_who { WHO_ANY, WHO_FAMILY, WHO_SERVERS, WHO_KERNEL };

struct request_kind {
	enum request_who who;
	int (*serve)(struct request *rq);
};

/*
 * Every label the pager serves: who may send it, and its handler. FAULT
 * is the kernel's too, but main.c's dispatch serves it (fault.c) before
 * it looks here: it is the hot path, and only the kernel can send it.
 */
static const struct request_kind requests[PAGER_REQUEST_END] = {
	[LABEL_FAULT] = { WHO_KERNEL, NULL },
	[LABEL_EXCEPTION] = { WHO_KERNEL, serve_exception },
	[LABEL_NOTIFY] = { WHO_KERNEL, serve_notify },
	[PAGER_SBRK] = { WHO_ANY, serve_sbrk },
	[PAGER_FORK] = { WHO_ANY, serve_fork },
	[PAGER_EXIT] = { WHO_ANY, serve_exit },
	[PAGER_WAIT] = { WHO_ANY, serve_wait },
	[PAGER_KILL] = { WHO_ANY, serve_kill },
	[PAGER_GETPID] = { WHO_ANY, serve_getpid },
	[PAGER_SLEEP] = { WHO_ANY, serve_sleep },
	[PAGER_UPTIME] = { WHO_ANY, serve_uptime },
	[PAGER_STATS] = { WHO_ANY, request_stats },
	[PAGER_LAST_FAULT] = { WHO_ANY, request_last_fault },
	[PAGER_LAST_DECISION] = { WHO_ANY, request_last_fault },
	[PAGER_RESIDENT] = { WHO_ANY, request_resident },
	[PAGER_MY_FRAMES] = { WHO_ANY, request_my_frames },
	[PAGER_MMAP] = { WHO_ANY, serve_mmap },
	[PAGER_MUNMAP] = { WHO_ANY, serve_munmap },
	[PAGER_POLICY_GET] = { WHO_ANY, request_policy_get },
	[PAGER_POLICY_SET] = { WHO_FAMILY, request_policy_set },
	[PAGER_TRACE] = { WHO_ANY, request_trace },
	[PAGER_STATS_FULL] = { WHO_ANY, request_stats_full },
	[PAGER_EXEC] = { WHO_ANY, serve_exec },
	[PAGER_MAP_DEVICE] = { WHO_SERVERS, serve_map_device },
	[PAGER_DMA_PAGE] = { WHO_SERVERS, serve_dma_page },
	[PAGER_SERVER_READY] = { WHO_SERVERS, serve_server_ready },
	[PAGER_CHECK] = { WHO_ANY, request_check },
	[PAGER_HELD] = { WHO_ANY, request_held },
	[PAGER_PROBE] = { WHO_ANY, serve_probe },
	[PAGER_SETPGID] = { WHO_FAMILY, request_setpgid },
	[PAGER_KILL_GROUP] = { WHO_ANY, request_kill_group },
	[PAGER_PROC_INFO] = { WHO_ANY, request_proc_info },
	[PAGER_MAPS] = { WHO_ANY, request_maps },       /* read-only, like STATS_FULL: no secrets (abi.md §9) */
	[PAGER_RECORD] = { WHO_ANY, request_record },  /* START checks the family itself (record.c) */
};

/* Is p root-like: init, or a server? */
static int root_like(const struct proc *p)
{
	return p->system || p->pid == init_pid;
}

/* Is a the process t itself, or one of its ancestors? */
int proc_ancestor_of(const struct proc *a, const struct proc *t)
{
	for (int depth = 0; t && depth <= MAX_PROCS; depth++) {
		if (t == a)
			return 1;
		t = proc_by_pid(t->parent);
	}
	return 0;
}

/* May p act on process pid (0: every process)? 0, -E_NOENT (no such running process) or -E_PERM. */
static int64_t family_may(const struct proc *p, uint64_t pid)
{
	const struct proc *t = pid && pid <= MAX_PID ? proc_by_pid((int)pid) : NULL;
	if (pid && (!t || t->state != PROC_RUNNING))
		return -E_NOENT;
	if (root_like(p))
		return 0;
	return t && proc_ancestor_of(p, t) ? 0 : -E_PERM;
}

/* May running process p send a request whose rule is `who`, with w0 = w0? 0, or the error to answer. */
static int64_t who_may(enum request_who who, const struct proc *p, uint64_t w0)
{
	switch (who) {
	case WHO_ANY: return 0;
	case WHO_FAMILY: return family_may(p, w0);
	case WHO_SERVERS: return p->system ? 0 : -E_PERM;
	default: return -E_PERM;           /* WHO_KERNEL: never a process */
	}
}

/* Did the kernel send this message (label, from)? The kernel refuses FAULT and EXCEPTION from others. */
static int from_kernel(uint64_t label, int64_t from)
{
	return label != LABEL_NOTIFY || from == TID_KERNEL;
}

/* Handle message m from thread `from`: check who may send it, then serve it. 1 to reply with *m (and reply_data). */
int request_handle(int64_t from, struct msg *m, void *buf, uint64_t len)
{
	uint64_t label = TAG_LABEL(m->tag);
	const struct request_kind *k = label < PAGER_REQUEST_END && requests[label].serve ? &requests[label] : NULL;
	struct request rq = { proc_by_tid(from), from, m, buf, len };
	reply_data = NULL;
	reply_len = 0;
	if (k && k->who == WHO_KERNEL)
		return from_kernel(label, from) ? k->serve(&rq) : 0;
	if (!rq.p)
		return request_answer(&rq, -E_PERM);
	if (!k)
		return request_answer(&rq, -E_NOSYS);
	int64_t err = who_may(k->who, rq.p, m->w[0]);
	return err ? request_answer(&rq, err) : k->serve(&rq);
}
