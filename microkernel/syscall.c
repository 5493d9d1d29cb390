/*
 * System-call entry points. syscall_dispatch advances the pc past the
 * ecall and calls the handler for a7 through a bounds-checked table.
 * Every handler validates all of its arguments and rights first and only
 * then commits; a bad argument is a negative error code in a0.
 *
 * IPC handlers first make sure the caller's send and receive buffers are
 * present with the needed rights. A missing page is turned into a FAULT
 * (kernel access) to the caller's pager and the call restarts after the
 * reply, so a buffer in never-touched heap just works.
 */
#include "kernel.h"
#include "arch/riscv/riscv.h"

#define ARG(t, n) ((t)->frame.r[REG_A0 + (n)])
#define RESTARTED 1
#define DESTROY_ENTRIES_PER_STEP 1024   /* level-1 entries (each a table to free) a SPACE_DESTROY step looks at */

/* Return a value to the calling thread. */
static void ret(struct thread *t, int64_t value)
{
	ipc_set_result(t, value);
}

/* Was [va, va + len) found writable by t's last receive-buffer check, with nothing unmapped since? */
static int rbuf_checked(const struct thread *t, uint64_t va, uint64_t len)
{
	return va == t->rbuf_ok_va && len <= t->rbuf_ok_len && t->space->shrinks == t->rbuf_ok_shrinks;
}

/* Check one buffer of t; 0, RESTARTED (fault sent), or a negative error. */
static HOT_PATH int check_buffer(struct thread *t, uint64_t va, uint64_t len, int write)
{
	if (len == 0)
		return 0;
	if (len > IPC_BUF_MAX)
		return -E_INVAL;
	if (write && rbuf_checked(t, va, len))
		return 0;                     /* a server's buffer: checked before, nothing removed since */
	uint64_t bad = space_check(t->space, va, len, write);
	if (bad == CHECK_OK) {
		if (write) {
			t->rbuf_ok_va = va;
			t->rbuf_ok_len = len;
			t->rbuf_ok_shrinks = t->space->shrinks;
		}
		return 0;
	}
	if (bad == CHECK_RANGE)
		return -E_FAULT;
	int err = fault_kernel_access(t, bad, write);
	return err ? err : RESTARTED;
}

/* Did a syscall's checks stop it (err: a negative result for t, or RESTARTED)? */
static int stopped(struct thread *t, int err)
{
	if (err && err != RESTARTED)
		ret(t, err);
	return err != 0;
}

/* Check t's send buffer (a6, tag length) and/or receive buffer (t0, t1). */
static HOT_PATH int check_ipc_buffers(struct thread *t, int sending, int receiving)
{
	int r = 0;
	if (sending)
		r = check_buffer(t, t->frame.r[REG_A6], TAG_LENGTH(ARG(t, 1)), 0);
	if (!r && receiving)
		r = check_buffer(t, t->frame.r[REG_T0], t->frame.r[REG_T1], 1);
	return r;
}

/* Look up the IPC destination in a0: a live thread other than t. */
static HOT_PATH struct thread *ipc_peer(struct thread *t, int *err)
{
	struct thread *peer = thread_lookup((int64_t)ARG(t, 0));
	*err = !peer ? -E_NOENT : peer == t ? -E_INVAL : 0;
	return *err ? NULL : peer;
}

/* Labels only the kernel may send: a pager must be able to trust them. */
static int kernel_only_label(uint64_t tag)
{
	uint64_t label = TAG_LABEL(tag);
	return label == LABEL_FAULT || label == LABEL_EXCEPTION || label == LABEL_NOTIFY;
}

/* Common body of send and call. */
static HOT_PATH void send_or_call(struct thread *t, int expects_reply)
{
	int err;
	struct thread *dst = ipc_peer(t, &err);
	if (!err && kernel_only_label(ARG(t, 1)))
		err = -E_INVAL;
	if (!err)
		err = check_ipc_buffers(t, 1, expects_reply);
	if (stopped(t, err))
		return;
	ipc_send(t, dst, expects_reply);
}

/*
 * The peer of a call or reply_recv that may take the fast path (no buffer
 * to send, a label users may send, a receive buffer with nothing to
 * check), else NULL.
 */
FAST_STEP struct thread *fast_peer(struct thread *t)
{
	uint64_t tag = ARG(t, 1), rcap = t->frame.r[REG_T1];
	if (TAG_LENGTH(tag) || kernel_only_label(tag) ||
	    (rcap && !rbuf_checked(t, t->frame.r[REG_T0], rcap)))
		return NULL;
	return thread_lookup((int64_t)ARG(t, 0));
}

static void sys_send(struct thread *t) { send_or_call(t, 0); }

static HOT_PATH void sys_call(struct thread *t)
{
	struct thread *dst = fast_peer(t);
	if (!dst || !ipc_call_fast(t, dst))
		send_or_call(t, 1);
}

/* Validate the source filter in a0 and receive. */
static HOT_PATH void receive(struct thread *t, int64_t from)
{
	if (from != TID_ANY && from != TID_KERNEL && (!thread_lookup(from) || from == t->tid)) {
		ret(t, -E_NOENT);
		return;
	}
	ipc_recv(t, from);
}

static HOT_PATH void sys_recv(struct thread *t)
{
	int err = check_ipc_buffers(t, 0, 1);
	if (stopped(t, err))
		return;
	receive(t, (int64_t)ARG(t, 0));
}

static void sys_reply(struct thread *t)
{
	int err;
	struct thread *dst = ipc_peer(t, &err);
	if (!err && kernel_only_label(ARG(t, 1)))
		err = -E_INVAL;
	if (!err)
		err = check_ipc_buffers(t, 1, 0);
	if (stopped(t, err))
		return;
	ret(t, ipc_reply(t, dst));
}

/*
 * REPLY_RECV's t2, if not 0, names a 32-bit word of the caller's own that
 * the kernel sets to 0 once the reply has gone through, as the caller
 * starts to wait: a lock it held while it made the reply. (The pager's:
 * its MAP answer is installed before another of its threads may change
 * the page; servers/pager/threads.c.) A word not writable is left alone.
 */
static HOT_PATH void release_word(struct thread *t)
{
	uint64_t va = t->frame.r[REG_T2];
	if (!va)
		return;
	if (va != t->release_va || t->space->shrinks != t->release_shrinks) {
		uint64_t pa = va % sizeof(uint32_t) == 0 ? space_access(t->space, va, 1) : 0;
		if (!pa)
			return;
		t->release_va = va;           /* the same word next time: no walk, unless an unmap came between */
		t->release_pa = pa;
		t->release_shrinks = t->space->shrinks;
	}
	__atomic_store_n((uint32_t *)t->release_pa, 0, __ATOMIC_RELEASE);
}

/*
 * Reply to a0 (unless it is TID_ANY), then receive from anyone. A refused
 * reply returns its error at once, without receiving, so the replier
 * learns of it.
 */
static HOT_PATH void reply_recv(struct thread *t)
{
	int err = check_ipc_buffers(t, 1, 1);
	struct thread *dst = NULL;
	if (!err && (int64_t)ARG(t, 0) != TID_ANY)
		dst = ipc_peer(t, &err);
	if (!err && dst && kernel_only_label(ARG(t, 1)))
		err = -E_INVAL;
	if (!err && dst)
		err = ipc_reply(t, dst);
	if (stopped(t, err))
		return;
	release_word(t);
	receive(t, TID_ANY);
}

static HOT_PATH void sys_reply_recv(struct thread *t)
{
	struct thread *dst = fast_peer(t);
	if (!dst || !ipc_reply_recv_fast(t, dst))
		reply_recv(t);
	else if (t->frame.r[REG_T2])
		release_word(t);
}

static void sys_notify(struct thread *t)
{
	struct thread *dst = thread_lookup((int64_t)ARG(t, 0));
	if (!dst || ARG(t, 1) == 0) {
		ret(t, dst ? -E_INVAL : -E_NOENT);
		return;
	}
	thread_notify(dst, ARG(t, 1));
	ret(t, 0);
}

static void sys_yield(struct thread *t)
{
	ret(t, 0);
	thread_preempt();
}

/* Is t a pager of s: does s belong to t's space (created by a thread of it)? Threads of one space page as one. */
static int pages_space(const struct thread *t, const struct space *s)
{
	return s->parent == t->space->id;
}

/* The space in a0 if t is its pager (the root task's threads page their own); else NULL with *err set. */
static struct space *paged_space(struct thread *t, uint64_t id, int *err)
{
	struct space *s = space_lookup(id);
	int pages = s && (pages_space(t, s) || (t->space == root_thread->space && s == t->space));
	*err = !s ? -E_NOENT : !pages ? -E_PERM : 0;
	return *err ? NULL : s;
}

/* May t create one more space: the root task always; any other pager within its quota, leaving the root's reserve? */
static int space_quota_left(struct thread *t)
{
	return t->space == root_thread->space ||
	       (t->space->children < MAX_SPACES_PER_PAGER && MAX_SPACES - space_count() > ROOT_RESERVED_SPACES);
}

/* A new space whose faults go to the thread in a0 (a thread of the caller's space; 0: the caller). */
static void sys_space_create(struct thread *t)
{
	struct thread *pager = ARG(t, 0) ? thread_lookup((int64_t)ARG(t, 0)) : t;
	if (!pager || pager->space != t->space) {
		ret(t, -E_INVAL);
		return;
	}
	if (!space_quota_left(t)) {
		ret(t, -E_NOMEM);
		return;
	}
	struct space *s = space_create(pager->tid);
	if (!s) {
		ret(t, -E_NOMEM);
		return;
	}
	s->parent = t->space->id;
	t->space->children++;
	ret(t, (int64_t)s->id);
}

/* A space that threads of v page, or NULL (its count of them spares the search when none). */
static struct space *first_child(struct space *v)
{
	return v->children ? space_child_of(v->id) : NULL;
}

/*
 * One bounded step of destroying s and, before it, every space that
 * threads of s page. Go down to the first space that has threads or pages
 * none; kill its threads (one batch); if it pages none, free its page
 * tables, looking at DESTROY_ENTRIES_PER_STEP entries at most, and free
 * the space once none are left. 0 once s is gone, else SPACE_DESTROY_MORE.
 */
static int destroy_step(struct space *s)
{
	struct space *v = s, *child;
	while (!v->threads && (child = first_child(v)))
		v = child;
	if (v->threads)
		thread_kill_space(v);
	if (first_child(v))
		return SPACE_DESTROY_MORE;          /* the spaces it pages go first */
	if (space_free_tables(v, DESTROY_ENTRIES_PER_STEP))
		return SPACE_DESTROY_MORE;
#ifdef SMP
	if (space_active_elsewhere(v))
		return SPACE_DESTROY_MORE;          /* a hart that ran its thread has not left its table yet */
#endif
	struct space *parent = space_lookup(v->parent);
	if (parent)
		parent->children--;
	space_destroy(v);
	return v == s ? 0 : SPACE_DESTROY_MORE;
}

static void sys_space_destroy(struct thread *t)
{
	int err;
	struct space *s = paged_space(t, ARG(t, 0), &err);
	if (!err && s == t->space)
		err = -E_INVAL;
	ret(t, err ? err : destroy_step(s));
}

/* May t create one more thread: the root task always; any other pager within its quota, leaving the root's reserve? */
static int thread_quota_left(struct thread *t)
{
	return t->space == root_thread->space ||
	       (t->space->child_threads < MAX_THREADS_PER_PAGER && MAX_THREADS - thread_count() > ROOT_RESERVED_THREADS);
}

/* A new thread waits for its creator's reply before it runs (so the creator can finish setting up). */
static void await_start(struct thread *n, struct thread *creator)
{
	thread_block(n, T_REPLY);
	n->partner = creator;
	n->unstarted = 1;
	if (creator->space != root_thread->space)
		creator->space->child_threads++;
}

static void sys_thread_create(struct thread *t)
{
	int err;
	struct space *s = paged_space(t, ARG(t, 0), &err);
	if (!err && !thread_quota_left(t))
		err = -E_NOMEM;
	struct thread *n = err ? NULL : thread_create(s, ARG(t, 1), ARG(t, 2), ARG(t, 3));
	if (n)
		await_start(n, t);
	ret(t, err ? err : n ? n->tid : -E_NOMEM);
}

/* New thread in a space t pages, with the registers of a thread t pages, waiting for t's reply. */
static void sys_thread_copy(struct thread *t)
{
	int err;
	struct space *s = paged_space(t, ARG(t, 0), &err);
	struct thread *src = err ? NULL : thread_lookup((int64_t)ARG(t, 1));
	if (!err && !src)
		err = -E_NOENT;
	if (!err && src != t && !pages_space(t, src->space))
		err = -E_PERM;                  /* before running: a thread it does not page gets one answer, running or not */
	if (!err && thread_running(src))
		err = -E_INVAL;                 /* a running thread's frame is not complete */
	if (!err && !thread_quota_left(t))
		err = -E_NOMEM;
	struct thread *n = err ? NULL : thread_create(s, 0, 0, 0);
	if (err || !n) {
		ret(t, err ? err : -E_NOMEM);
		return;
	}
	n->frame = src->frame;
	await_start(n, t);
	ret(t, n->tid);
}

/*
 * Start a thread that waits for the caller's reply afresh at pc with sp and
 * a0 = arg, all other registers zero: how exec replaces a program without
 * replacing its thread.
 */
static void sys_thread_restart(struct thread *t)
{
	struct thread *target = thread_lookup((int64_t)ARG(t, 0));
	int err = !target ? -E_NOENT : !pages_space(t, target->space) ? -E_PERM :
	          !ipc_answers(t, target) || target->in_fault ? -E_INVAL : 0;
	if (!err) {
		memset(&target->frame, 0, sizeof(target->frame));
		target->frame.r[REG_PC] = ARG(t, 1);
		target->frame.r[REG_SP] = ARG(t, 2);
		target->frame.r[REG_A0] = ARG(t, 3);
		target->partner = NULL;
		target->unstarted = 0;
		thread_ready(target, 0);
	}
	ret(t, err);
}

static void sys_thread_kill(struct thread *t)
{
	struct thread *victim = thread_lookup((int64_t)ARG(t, 0));
	int err = !victim ? -E_NOENT : !pages_space(t, victim->space) ? -E_PERM : 0;
	if (err)
		ret(t, err);
	else if (victim != t)
		ret(t, 0);
	if (!err)
		thread_kill(victim);
}

static void sys_map(struct thread *t)
{
	int err;
	struct space *s = paged_space(t, ARG(t, 0), &err);
	if (!err)
		err = space_map_checked(t->space, s, ARG(t, 1), ARG(t, 2), ARG(t, 3), ARG(t, 4));
	ret(t, err);
}

/* Is [va, va + npages pages) page aligned, inside user space, and at most max pages? */
static int user_range(uint64_t va, uint64_t npages, uint64_t max)
{
	return va % PAGE_SIZE == 0 && va >= USER_BASE && va < USER_TOP && npages <= max &&
	       npages <= (USER_TOP - va) / PAGE_SIZE;
}

/* Share a range of one paged space's pages with another (copy-on-write fork). */
static void sys_map_copy(struct thread *t)
{
	int err, err2;
	struct space *dst = paged_space(t, ARG(t, 0), &err), *src = paged_space(t, ARG(t, 1), &err2);
	uint64_t va = ARG(t, 2), npages = ARG(t, 3), drop = ARG(t, 4);
	if (!err)
		err = err2;
	if (!err && !user_range(va, npages, MAP_COPY_MAX_PAGES))
		err = -E_RANGE;
	if (!err && ((drop & ~RIGHT_W) || dst == src))
		err = -E_INVAL;               /* only W may go: the page keeps what it can be read with */
	ret(t, err ? err : space_map_copy(dst, src, va, npages, drop));
}

/* Unmap up to UNMAP_MAX_PAGES pages, unless one is a buffer an IPC in progress needs. */
static void sys_unmap(struct thread *t)
{
	int err;
	struct space *s = paged_space(t, ARG(t, 0), &err);
	uint64_t va = ARG(t, 1), npages = ARG(t, 2);
	if (!err && !user_range(va, npages, UNMAP_MAX_PAGES))
		err = -E_RANGE;
	if (!err && thread_buffers_busy(s, va, npages * PAGE_SIZE))
		err = -E_BUSY;
	if (!err)
		space_unmap(s, va, npages);
	ret(t, err);
}

static void sys_protect(struct thread *t)
{
	int err;
	struct space *s = paged_space(t, ARG(t, 0), &err);
	ret(t, err ? err : space_protect(s, ARG(t, 1), ARG(t, 2)));
}

/* The accessed and dirty bits of 1 to PAGE_BITS_MAX_PAGES pages (npages 0 means 1), cleared as asked. */
static void sys_page_bits(struct thread *t)
{
	int err;
	struct space *s = paged_space(t, ARG(t, 0), &err);
	uint64_t va = ARG(t, 1), how = ARG(t, 2), npages = ARG(t, 3) ? ARG(t, 3) : 1;
	if (!err && !user_range(va, npages, PAGE_BITS_MAX_PAGES))
		err = -E_RANGE;
	if (!err && how >= PAGE_BITS_HOWS)
		err = -E_INVAL;
	ret(t, err ? err : space_page_bits(s, va, how, npages));
}

static void sys_irq_bind(struct thread *t)
{
	struct thread *target = thread_lookup((int64_t)ARG(t, 1));
	int err = t != root_thread ? -E_PERM : !target ? -E_NOENT : 0;
	ret(t, err ? err : irq_bind(ARG(t, 0), target, ARG(t, 2)));
}

static void sys_irq_ack(struct thread *t)
{
	ret(t, irq_ack(ARG(t, 0), t));
}

/* Write up to CONSOLE_WRITE_MAX bytes of a user buffer to the kernel console; the bytes written. */
static void sys_console_write(struct thread *t)
{
	uint64_t va = ARG(t, 0), len = ARG(t, 1);
	uint64_t n = len < CONSOLE_WRITE_MAX ? len : CONSOLE_WRITE_MAX;
	int err = len > IPC_BUF_MAX ? -E_INVAL : check_buffer(t, va, n, 0);
	if (err == RESTARTED)
		return;
	for (uint64_t done = 0; !err && done < n;) {       /* a page at a time: one walk each */
		const char *p = (const char *)space_access(t->space, va + done, 0);
		uint64_t chunk = PAGE_SIZE - (va + done) % PAGE_SIZE;
		chunk = chunk < n - done ? chunk : n - done;
		for (uint64_t i = 0; i < chunk; i++)
			kputc(p[i]);
		done += chunk;
	}
	ret(t, err ? err : (int64_t)n);
}

/*
 * Make [va, va + len) of the caller's own memory accessible for reading
 * (or writing), faulting absent pages in through its pager as for a
 * kernel copy: 0, or -E_FAULT where no region allows it. libsys checks
 * the pointers a program hands it this way, so a bad one fails the call.
 */
static void sys_user_check(struct thread *t)
{
	int err = check_buffer(t, ARG(t, 0), ARG(t, 1), ARG(t, 2) != 0);
	if (!stopped(t, err))
		ret(t, 0);
}

/* The root task asks to be notified the next time the CPU would idle (to zero frames then). */
static void sys_idle_notify(struct thread *t)
{
	if (t != root_thread || ARG(t, 0) == 0) {
		ret(t, t != root_thread ? -E_PERM : -E_INVAL);
		return;
	}
	thread_idle_notify(t, ARG(t, 0));
	ret(t, 0);
}

static void sys_poweroff(struct thread *t)
{
	if (t->space != root_thread->space) {
		ret(t, -E_PERM);
		return;
	}
	sbi_poweroff(ARG(t, 0) != 0);
}

static void sys_gettid(struct thread *t) { ret(t, t->tid); }

static void sys_timer(struct thread *t)
{
	t->timer_deadline = ARG(t, 0);
	ret(t, 0);
}

static void sys_kstat(struct thread *t)
{
	switch (ARG(t, 0)) {
	case KSTAT_POOL_FREE: ret(t, (int64_t)pool_free_pages()); break;
	case KSTAT_THREADS: ret(t, thread_count()); break;
	case KSTAT_SPACES: ret(t, space_count()); break;
	case KSTAT_TLB_FLUSHES: ret(t, (int64_t)space_tlb_flushes()); break;
	case KSTAT_IDLE_TICKS: ret(t, (int64_t)trap_idle_ticks()); break;
	case KSTAT_HARTS: ret(t, smp_harts_online()); break;
	default: ret(t, -E_INVAL);
	}
}

typedef void (*syscall_fn)(struct thread *t);

static const syscall_fn syscalls[SYS_COUNT] __attribute__((section(".hot.rodata"))) = {   /* on the hot data's page */
	[SYS_SEND] = sys_send,
	[SYS_RECV] = sys_recv,
	[SYS_CALL] = sys_call,
	[SYS_REPLY] = sys_reply,
	[SYS_REPLY_RECV] = sys_reply_recv,
	[SYS_NOTIFY] = sys_notify,
	[SYS_YIELD] = sys_yield,
	[SYS_SPACE_CREATE] = sys_space_create,
	[SYS_SPACE_DESTROY] = sys_space_destroy,
	[SYS_THREAD_CREATE] = sys_thread_create,
	[SYS_THREAD_COPY] = sys_thread_copy,
	[SYS_THREAD_KILL] = sys_thread_kill,
	[SYS_MAP] = sys_map,
	[SYS_UNMAP] = sys_unmap,
	[SYS_PROTECT] = sys_protect,
	[SYS_PAGE_BITS] = sys_page_bits,
	[SYS_IRQ_BIND] = sys_irq_bind,
	[SYS_IRQ_ACK] = sys_irq_ack,
	[SYS_CONSOLE_WRITE] = sys_console_write,
	[SYS_POWEROFF] = sys_poweroff,
	[SYS_GETTID] = sys_gettid,
	[SYS_TIMER] = sys_timer,
	[SYS_KSTAT] = sys_kstat,
	[SYS_THREAD_RESTART] = sys_thread_restart,
	[SYS_MAP_COPY] = sys_map_copy,
	[SYS_IDLE_NOTIFY] = sys_idle_notify,
	[SYS_USER_CHECK] = sys_user_check,
};

/* Run the system call numbered in a7 for thread t. */
HOT_PATH void syscall_dispatch(struct thread *t)
{
	uint64_t n = t->frame.r[REG_A7];
	t->frame.r[REG_PC] += 4;
	if (n >= SYS_COUNT || !syscalls[n]) {
		ret(t, -E_NOSYS);
		return;
	}
	syscalls[n](t);
}
