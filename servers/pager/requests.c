/*
 * Requests from processes (include/abi/pager.h): sbrk, fork, exit, wait,
 * kill, getpid, sleep, uptime and the statistics pagerctl and the tests
 * read. Each handler returns 1 when the reply in *m should go out now;
 * exit, a wait with no zombie yet, and sleep answer later or never.
 */
#include <stdio.h>
#include <string.h>
#include "pager.h"
#include "sys.h"
#include "abi/pager.h"

uint64_t timebase_hz;

/* Clock ticks since boot (PAGER_TICK_HZ a second). */
uint64_t pager_ticks(void)
{
	uint64_t now;
	asm volatile("rdtime %0" : "=r"(now));
	return now / (timebase_hz / PAGER_TICK_HZ);
}

/* Move p's break by n bytes; return the old break or a negative error. */
static int64_t do_sbrk(struct proc *p, int64_t n)
{
	uint64_t old = p->brk;
	if (n > 0 && (uint64_t)n > HEAP_LIMIT - old)
		return -E_NOMEM;
	if (n < 0 && (uint64_t)-n > old - p->heap_start)
		return -E_INVAL;
	uint64_t brk = old + (uint64_t)n;
	if (n < 0)
		proc_unmap_range(p, PAGE_UP(brk), PAGE_UP(old));
	p->brk = brk;
	region_of_kind(&p->map, REGION_HEAP)->end = PAGE_UP(brk);
	int err = n <= 0 ? 0 : p->system ? proc_populate(p, PAGE_UP(old), PAGE_UP(brk))
	                                : p->policy.alloc->grow(p, PAGE_UP(old), PAGE_UP(brk));
	if (err) {
		do_sbrk(p, -n);            /* all of the new heap, or none of it */
		return -E_NOMEM;
	}
	return (int64_t)old;
}

/* wait(): reply now with a zombie child, fail with no children, or defer. */
static int do_wait(struct proc *p, struct msg *m)
{
	int status = 0;
	int pid = proc_wait(p, &status);
	if (pid < 0 && proc_has_children(p)) {
		p->waiting = 1;
		return 0;
	}
	*m = msg_make(0, (uint64_t)(int64_t)(pid < 0 ? -E_NOENT : pid), (uint64_t)(int64_t)status, 0, 0);
	return 1;
}

/* kill(pid): end another process with EXIT_KILLED. */
static int64_t do_kill(struct proc *p, int pid, int *replies)
{
	struct proc *victim = proc_by_pid(pid);
	if (!victim || victim->state != PROC_RUNNING)
		return -E_NOENT;
	if (victim->system && !pager_test_hooks)
		return -E_PERM;               /* the servers are not anyone's to kill (but in tests) */
	printf("pager: pid %d killed by pid %d\n", victim->pid, p->pid);
	*replies = victim != p;
	proc_exit(victim, EXIT_KILLED);
	return 0;
}

/* Wake every sleeper whose time has come; re-arm the timer for the rest. */
void requests_timer(void)
{
	uint64_t next = proc_wake_sleepers(pager_ticks());
	if (next)
		sys_timer(next * (timebase_hz / PAGER_TICK_HZ));
}

/* sleep(ticks): reply when the ticks have passed. */
static int do_sleep(struct proc *p, int64_t ticks)
{
	if (ticks <= 0)
		return 1;
	p->wake_tick = pager_ticks() + (uint64_t)ticks;
	requests_timer();
	return 0;
}

/* Split an exec buffer (path NUL argv... NUL) into argv; argc, or -E_INVAL. */
static int split_exec_buffer(char *buf, uint64_t len, int argc, char *argv[])
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
	return argc;
}

/* exec(path, argv): on success the thread restarts and gets no reply. */
static int do_exec(struct proc *p, struct msg *m, char *buf, uint64_t len)
{
	char *argv[START_MAX_ARGS];
	int argc = split_exec_buffer(buf, len, (int)m->w[0], argv);
	int img = argc < 0 ? argc : image_open_file(buf);
	int err = img < 0 ? img : proc_load(p, img, argc, argv);
	if (err == 0) {
		strncpy(p->name, argc ? argv[0] : buf, PROC_NAME_MAX - 1);   /* as ps and kill messages show it */
		return 0;
	}
	if (err != -E_INVAL && img >= 0) {      /* the old program is gone already */
		printf("pager: killed pid %d (%s): exec failed after loading\n", p->pid, p->name);
		proc_exit(p, EXIT_KILLED);
		return 0;
	}
	*m = msg_make(0, (uint64_t)(int64_t)err, 0, 0, 0);
	return 1;
}

/* The fs server is up: start the first program. Only a server may say so, once. */
static int do_server_ready(struct proc *p, int64_t tid, int64_t status, struct msg *m)
{
	if (!p->system || fs_tid || init_pid || status != 0) {
		*m = msg_make(0, (uint64_t)-E_PERM, 0, 0, 0);
		return 1;                  /* a call from someone else gets an answer */
	}
	fs_tid = libsys_fs_tid = tid;
	start_init();
	return 0;
}

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
static int64_t policy_get(uint64_t pid)
{
	struct proc *q;
	char spec[POLICY_SPEC_MAX];
	if (target(pid, &q))
		return -E_NOENT;
	policy_format(q ? &q->policy : &default_policy, spec, sizeof(spec));
	return reply_text(spec, 0);
}

/* pagerctl set: one process's policy, or the default and every running program's. */
static int64_t policy_set(uint64_t pid, char *spec, uint64_t len)
{
	struct proc *q;
	struct policy pol = default_policy;
	if (target(pid, &q))
		return -E_NOENT;
	if (q)
		pol = q->policy;
	if (len == 0 || spec[len - 1] != '\0' || policy_parse(spec, &pol))
		return reply_text(policy_choices, -E_INVAL);
	if (q) {
		q->policy = pol;
	} else {
		default_policy = pol;
		proc_set_policy_all(&pol);
	}
	return 0;
}

/* pagerctl stats: counters for one process, or for the whole system. */
static int64_t stats_full(uint64_t pid)
{
	struct proc *q;
	struct proc_stats s;
	struct pager_stats *out = (struct pager_stats *)reply_buf;
	if (target(pid, &q))
		return -E_NOENT;
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
	return 0;
}

/* Answer PAGER_LAST_FAULT or PAGER_LAST_DECISION for the process in w0 (0: any) into *m. */
static int last_fault_reply(struct msg *m)
{
	const struct fault_record *f = fault_last((int)m->w[0]);
	if (!f)
		*m = msg_make(0, (uint64_t)-E_NOENT, 0, 0, 0);
	else if (TAG_LABEL(m->tag) == PAGER_LAST_FAULT)
		*m = msg_make(0, (uint64_t)f->pid, f->addr, f->cause, f->pc);
	else
		*m = msg_make(0, (uint64_t)f->decision, 0, 0, 0);
	return 1;
}

/* Handle request m from thread tid; return 1 to reply with *m (and reply_data). */
int request_handle(int64_t tid, struct msg *m, void *buf, uint64_t len)
{
	struct proc *p = proc_by_tid(tid);
	struct proc_stats totals;
	reply_data = NULL;
	reply_len = 0;
	uint64_t label = TAG_LABEL(m->tag), arg = m->w[0];
	int64_t r = 0;
	int replies = 1;
	if (!p) {
		*m = msg_make(0, (uint64_t)-E_PERM, 0, 0, 0);
		return 1;
	}
	switch (label) {
	case PAGER_SBRK: r = do_sbrk(p, (int64_t)arg); break;
	case PAGER_FORK: r = proc_fork(p, tid); break;
	case PAGER_EXIT: proc_exit(p, (int)(int64_t)arg); return 0;
	case PAGER_WAIT: return do_wait(p, m);
	case PAGER_KILL: r = do_kill(p, (int)arg, &replies); break;
	case PAGER_GETPID: r = p->pid; break;
	case PAGER_SLEEP:
		r = 0;
		replies = do_sleep(p, (int64_t)arg);
		break;
	case PAGER_UPTIME: r = (int64_t)pager_ticks(); break;
	case PAGER_STATS:
		stats_total(&totals);
		*m = msg_make(0, frames_free(), stats.faults, totals.zero_fills, stats.kills);
		return 1;
	case PAGER_LAST_FAULT:
	case PAGER_LAST_DECISION:
		return last_fault_reply(m);
	case PAGER_MY_FRAMES:
		*m = msg_make(0, p->frames + p->pmap.nodes, p->swapped, swap_used(), 0);
		return 1;
	case PAGER_MMAP:
		r = mmap_map(p, arg, m->w[1], (long)m->w[2], m->w[3]);
		break;
	case PAGER_MUNMAP:
		r = mmap_unmap(p, arg, m->w[1]);
		break;
	case PAGER_EXEC:
		return do_exec(p, m, buf, len);
	case PAGER_POLICY_GET: r = policy_get(arg); break;
	case PAGER_POLICY_SET: r = policy_set(arg, buf, len); break;
	case PAGER_STATS_FULL: r = stats_full(arg); break;
	case PAGER_TRACE:
		pager_trace = arg != 0;
		break;
	case PAGER_MAP_DEVICE: {
		uint64_t irq = 0;
		r = device_grant(p, (uint32_t)arg, (uint32_t)m->w[1], &irq);
		*m = msg_make(0, (uint64_t)r, irq, 0, 0);
		return 1;
	}
	case PAGER_DMA_PAGE: {
		uint64_t pa = 0;
		r = dma_grant(p, &pa);
		*m = msg_make(0, (uint64_t)r, pa, 0, 0);
		return 1;
	}
	case PAGER_SERVER_READY:
		return do_server_ready(p, tid, (int64_t)arg, m);
	case PAGER_PROBE:
		return probe_request(arg, m);
	case PAGER_RESIDENT: {
		uint64_t *slot = pmap_slot(&p->pmap, PAGE_DOWN(arg), 0);
		r = slot && pmap_present(*slot);
		break;
	}
	default:
		r = -E_NOSYS;
	}
	*m = msg_make(0, (uint64_t)r, 0, 0, 0);
	return replies;
}
