/*
 * Threads and the scheduler. A thread is a saved register frame, a state
 * and the address space it runs in. The scheduler is round-robin over one
 * ready queue whose head is the running thread; the SBI timer preempts.
 * A thread woken by IPC goes to the head, so a call or reply switches
 * straight to its partner. (SMP: the queue holds the ready threads no
 * hart runs; a running thread is off it, see thread_switch.)
 */
#include "kernel.h"
#include "arch/riscv/riscv.h"

#ifndef SMP
struct thread *current;
#endif
struct thread *root_thread;
struct thread threads[MAX_THREADS];
static HOT_DATA struct thread run_queue;            /* sentinel of the ready queue */

/* Empty the ready queue. */
void thread_init(void)
{
	run_queue.run_next = run_queue.run_prev = &run_queue;
}

/* Take t off the ready queue if it is on it. */
static void run_queue_remove(struct thread *t)
{
	if (!t->run_next)
		return;
	t->run_prev->run_next = t->run_next;
	t->run_next->run_prev = t->run_prev;
	t->run_next = t->run_prev = NULL;
}

/* Put t on the ready queue, at the head (runs next) or the tail. */
static void run_queue_insert(struct thread *t, int at_head)
{
	struct thread *before = at_head ? &run_queue : run_queue.run_prev;
	t->run_prev = before;
	t->run_next = before->run_next;
	before->run_next->run_prev = t;
	before->run_next = t;
}

/* Create a ready thread in space s; NULL if the thread table is full. */
struct thread *thread_create(struct space *s, uint64_t pc, uint64_t sp, uint64_t arg)
{
	for (int i = 0; i < MAX_THREADS; i++) {
		struct thread *t = &threads[i];
		if (t->state != T_FREE)
			continue;
		uint32_t generation = t->generation + 1;
		memset(t, 0, sizeof(*t));
		t->generation = generation;
		t->tid = (int64_t)generation * MAX_THREADS + i;
		t->space = s;
		t->frame.r[REG_PC] = pc;
		t->frame.r[REG_SP] = sp;
		t->frame.r[REG_A0] = arg;
		s->threads++;
		thread_ready(t, 0);
		return t;
	}
	return NULL;
}

/* Wake t from a blocked state with an error code as its syscall result. */
static void thread_fail(struct thread *t, int err)
{
	ipc_set_result(t, -err);
	t->partner = NULL;
	thread_ready(t, 0);
}

/*
 * Free the slot of a dying thread t and take it off the CPU and the ready
 * queue. It stays in any send queue it sat in (drop_dead_senders takes it
 * out) and its own waiters still point at it (release_pass frees them).
 */
static void thread_unlink(struct thread *t)
{
	if (t == root_thread) {
		kprintf("kernel: the root task died; powering off\n");
		sbi_poweroff(1);
	}
#ifdef SMP
	smp_stop_remote(t);           /* off its hart, whichever runs it */
#endif
	run_queue_remove(t);
	t->state = T_FREE;            /* no one waits on a free slot: release_pass looks for these */
	t->sendq_head = t->sendq_tail = NULL;
	t->space->threads--;
	struct space *creator = space_lookup(t->space->parent);
	if (creator && creator->child_threads > 0 && creator != root_thread->space)
		creator->child_threads--;
	if (current == t)
		current = NULL;
}

/* Does t wait on a thread that has died (as its partner, or as the one it receives from)? */
static int waits_on_dead(const struct thread *t)
{
	if (t->state == T_SEND || t->state == T_REPLY)
		return t->partner && t->partner->state == T_FREE;
	return t->state == T_RECV && t->recv_from > 0 && !thread_lookup(t->recv_from);
}

/*
 * One pass over the thread table: fail with -E_NOENT every thread that
 * waits on a dead one, and kill those whose fault or start the dead one
 * was to answer. Returns 1 if it killed any: their waiters may sit
 * earlier in the table, so another pass is needed.
 */
static int release_pass(void)
{
	int killed = 0;
	for (int i = 0; i < MAX_THREADS; i++) {
		struct thread *t = &threads[i];
		if (!waits_on_dead(t))
			continue;
		if (t->state != T_RECV && (t->in_fault || t->unstarted)) {
			thread_unlink(t);        /* no one left to answer its fault, or to start it */
			killed = 1;
		} else {
			thread_fail(t, E_NOENT);
		}
	}
	return killed;
}

/* Take the dead threads out of every live thread's send queue (one pass over the table). */
static void drop_dead_senders(void)
{
	for (int i = 0; i < MAX_THREADS; i++) {
		struct thread *dst = &threads[i], *last = NULL;
		struct thread **link = &dst->sendq_head;
		if (!dst->sendq_head)
			continue;
		for (struct thread *q = dst->sendq_head; q; q = q->send_next) {
			if (q->state == T_FREE)
				continue;
			*link = last = q;
			link = &q->send_next;
		}
		*link = NULL;
		dst->sendq_tail = last;
	}
}

/*
 * The threads just unlinked are dead: release their waiters (and the
 * waiters of those that die with them), take them out of send queues if
 * any was queued, and unbind their interrupts. A pass over the table per
 * level of threads that die with them, whatever their number.
 */
static void bury_dead(int some_queued)
{
	while (release_pass())
		;
	if (some_queued)
		drop_dead_senders();
	irq_forget_dead();
}

/* Destroy a thread: unlink it from every queue, free its slot, release its waiters. */
void thread_kill(struct thread *t)
{
	int queued = t->state == T_SEND;
	thread_unlink(t);
	bury_dead(queued);
}

/* Make t runnable; at the head of the queue if it should run next. */
void thread_ready(struct thread *t, int run_next)
{
	run_queue_remove(t);
	t->state = T_READY;
#ifdef SMP
	if (t->cpu)
		return;                       /* it runs: it stays on its hart, off the queue */
#endif
	run_queue_insert(t, run_next);
}

/* Take t off the CPU into a blocked state. */
HOT_PATH void thread_block(struct thread *t, enum thread_state state)
{
	run_queue_remove(t);
	t->state = state;
}

/* Move the running thread to the back of the queue (time slice over). */
void thread_preempt(void)
{
	if (current && current->state == T_READY) {
		run_queue_remove(current);
		run_queue_insert(current, 0);
	}
#ifdef SMP
	smp_leave_cpu(this_cpu());      /* and give up the hart: schedule picks afresh */
#endif
}

static struct thread *idle_thread;     /* asked to hear when the CPU would idle */
static uint64_t idle_bits;

/* Notify t (once) with bits the next time no thread is ready. */
void thread_idle_notify(struct thread *t, uint64_t bits)
{
	idle_thread = t;
	idle_bits = bits;
}

/* No thread is ready (for this hart): hand the idle time out once, or else wait for an interrupt. */
static void idle_once(void)
{
	struct thread *t = idle_thread;
	idle_thread = NULL;
	if (t && t->state != T_FREE)
		thread_notify(t, idle_bits);
	else
		trap_idle();
}

#ifdef SMP
/* The first ready thread no hart runs (the queue holds only those), or NULL. */
struct thread *thread_first_unclaimed(void)
{
	return run_queue.run_next != &run_queue ? run_queue.run_next : NULL;
}

/* Wait (unlocked, in wfi) until some thread is ready for this hart, handing the idle time out once first. */
static SLOW_PATH HOT_PATH struct thread *wait_for_ready(void)
{
	struct thread *next = thread_first_unclaimed();
	if (next)
		return next;
	space_activate_kernel();               /* idle on the kernel's table: the last space may go meanwhile */
	while (!(next = thread_first_unclaimed()))
		idle_once();
	return next;
}

/*
 * Pick the thread this hart runs: its current one while that is ready,
 * else the first ready thread no other hart runs (waiting for one if
 * none is). Activates its space (a hart idles on the kernel's own
 * table). Wakes an idle hart if more threads wait.
 */
HOT_PATH void schedule(void)
{
	struct cpu *c = this_cpu();
	struct thread *next = c->thread;
	if (!next || next->state != T_READY) {
		smp_leave_cpu(c);
		next = wait_for_ready();
		run_queue_remove(next);                /* a running thread is off the queue */
		next->cpu = c;
		c->thread = next;
	}
	space_activate(next->space);
	smp_wake_idle();
}
#else
/* Make next the running thread, in its address space. */
static void switch_to(struct thread *next)
{
	struct thread *prev = current;
	current = next;
	if (!prev || next->space != prev->space)
		space_activate(next->space);
}

/* Wait until some thread is ready, handing the idle time out once first; run it. */
static SLOW_PATH HOT_PATH void wait_for_ready(void)
{
	while (run_queue.run_next == &run_queue)
		idle_once();
	switch_to(run_queue.run_next);
}

/* Pick the thread to run, the head of the ready queue, and make it current. */
HOT_PATH void schedule(void)
{
	struct thread *next = run_queue.run_next;
	if (next == current)
		return;                       /* the common case: the caller goes on */
	if (!next->space)                     /* only the queue's head has none: the queue is empty */
		wait_for_ready();
	else
		switch_to(next);
}

#endif

/* How many threads are alive. */
int thread_count(void)
{
	int n = 0;
	for (int i = 0; i < MAX_THREADS; i++)
		n += threads[i].state != T_FREE;
	return n;
}

/* Does the buffer [start, start + len) overlap [va, va + span) (a user range, so no overflow)? */
static int buffer_meets(uint64_t start, uint64_t len, uint64_t va, uint64_t span)
{
	return len && span && start < va + span && (start >= va || va - start < len);
}

/*
 * Does [va, va + len) of s hold a buffer of a thread of s blocked in IPC
 * (checked present at its entry)? One pass over the thread table.
 */
int thread_buffers_busy(struct space *s, uint64_t va, uint64_t len)
{
	for (int i = 0; i < MAX_THREADS; i++) {
		struct thread *t = &threads[i];
		if (t->state == T_FREE || t->space != s || t->state == T_READY || t->in_fault)
			continue;
		int receives = t->state != T_SEND || t->expects_reply;
		if (t->state == T_SEND && buffer_meets(msg_buf(t), TAG_LENGTH(msg_of(t)[0]), va, len))
			return 1;
		if (receives && buffer_meets(t->frame.r[REG_T0], t->frame.r[REG_T1], va, len))
			return 1;
	}
	return 0;
}

/* Kill every thread of space s, all in one batch. */
void thread_kill_space(struct space *s)
{
	int queued = 0;
	for (int i = 0; i < MAX_THREADS; i++) {
		struct thread *t = &threads[i];
		if (t->state == T_FREE || t->space != s)
			continue;
		queued |= t->state == T_SEND;
		thread_unlink(t);
	}
	bury_dead(queued);
}

/* Deliver NOTIFY_TIMER to every thread whose deadline has passed. */
void thread_timer_tick(uint64_t now)
{
	for (int i = 0; i < MAX_THREADS; i++) {
		struct thread *t = &threads[i];
		if (t->state != T_FREE && t->timer_deadline && now >= t->timer_deadline) {
			t->timer_deadline = 0;
			thread_notify(t, NOTIFY_TIMER);
		}
	}
}

/* Set notification bits on t; wake it if it waits for any message. */
void thread_notify(struct thread *t, uint64_t bits)
{
	t->notify_bits |= bits;
	if (t->state == T_RECV && (t->recv_from == TID_ANY || t->recv_from == TID_KERNEL))
		ipc_recv(t, t->recv_from);
}
