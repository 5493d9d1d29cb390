/*
 * Threads and the scheduler. A thread is a saved register frame, a state
 * and the address space it runs in. The scheduler is round-robin over one
 * ready queue whose head is the running thread; the SBI timer preempts.
 * A thread woken by IPC goes to the head, so a call or reply switches
 * straight to its partner.
 */
#include "kernel.h"
#include "arch/riscv/riscv.h"

struct thread *current;
struct thread *root_thread;
struct thread threads[MAX_THREADS];
static struct thread run_queue;            /* sentinel of the ready queue */

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

/* Release every thread that waits on `dead`; kill threads it was paging. */
static void release_waiters(struct thread *dead)
{
	for (int i = 0; i < MAX_THREADS; i++) {
		struct thread *t = &threads[i];
		if (t == dead)
			continue;
		int partner_gone = (t->state == T_SEND || t->state == T_REPLY) && t->partner == dead;
		if (partner_gone && (t->in_fault || t->unstarted))
			thread_kill(t);          /* no one left to answer its fault, or to start it */
		else if (partner_gone || (t->state == T_RECV && t->recv_from == dead->tid))
			thread_fail(t, E_NOENT);
	}
	dead->sendq_head = dead->sendq_tail = NULL;
}

/* Destroy a thread: unlink it from every queue and free its slot. */
void thread_kill(struct thread *t)
{
	if (t == root_thread) {
		kprintf("kernel: the root task died; powering off\n");
		sbi_poweroff(1);
	}
	run_queue_remove(t);
	if (t->state == T_SEND)
		ipc_unqueue(t);
	t->state = T_FREE;            /* before release: no one waits on a free slot */
	release_waiters(t);
	irq_forget(t);
	t->space->threads--;
	struct space *creator = space_lookup(t->space->parent);
	if (creator && creator->child_threads > 0 && t->space->pager != root_thread->tid)
		creator->child_threads--;
	if (current == t)
		current = NULL;
}

/* Make t runnable; at the head of the queue if it should run next. */
void thread_ready(struct thread *t, int run_next)
{
	run_queue_remove(t);
	t->state = T_READY;
	run_queue_insert(t, run_next);
}

/* Take t off the CPU into a blocked state. */
void thread_block(struct thread *t, enum thread_state state)
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
}

static struct thread *idle_thread;     /* asked to hear when the CPU would idle */
static uint64_t idle_bits;

/* Notify t (once) with bits the next time no thread is ready. */
void thread_idle_notify(struct thread *t, uint64_t bits)
{
	idle_thread = t;
	idle_bits = bits;
}

/* Make next the running thread, in its address space. */
static void switch_to(struct thread *next)
{
	struct thread *prev = current;
	current = next;
	if (!prev || next->space != prev->space)
		space_activate(next->space);
}

/* Wait until some thread is ready, handing the idle time out once first; run it. */
static SLOW_PATH void wait_for_ready(void)
{
	while (run_queue.run_next == &run_queue) {
		struct thread *t = idle_thread;
		idle_thread = NULL;
		if (t && t->state != T_FREE)
			thread_notify(t, idle_bits);
		else
			trap_idle();
	}
	switch_to(run_queue.run_next);
}

/* Pick the thread to run, the head of the ready queue, and make it current. */
void schedule(void)
{
	struct thread *next = run_queue.run_next;
	if (next == current)
		return;                       /* the common case: the caller goes on */
	if (next == &run_queue)
		wait_for_ready();
	else
		switch_to(next);
}

/* How many threads are alive. */
int thread_count(void)
{
	int n = 0;
	for (int i = 0; i < MAX_THREADS; i++)
		n += threads[i].state != T_FREE;
	return n;
}

/* Does [start, start + len) overlap the page at va? */
static int range_has_page(uint64_t start, uint64_t len, uint64_t va)
{
	return len && start < va + PAGE_SIZE && va < start + len;
}

/* Is the page at va in s a buffer of a thread of s blocked in IPC (checked present at its entry)? */
int thread_buffer_busy(struct space *s, uint64_t va)
{
	for (int i = 0; i < MAX_THREADS; i++) {
		struct thread *t = &threads[i];
		if (t->state == T_FREE || t->space != s || t->state == T_READY || t->in_fault)
			continue;
		int receives = t->state != T_SEND || t->expects_reply;
		if (t->state == T_SEND && range_has_page(msg_buf(t), TAG_LENGTH(msg_of(t)[0]), va))
			return 1;
		if (receives && range_has_page(t->frame.r[REG_T0], t->frame.r[REG_T1], va))
			return 1;
	}
	return 0;
}

/* Kill every thread of space s. */
void thread_kill_space(struct space *s)
{
	for (int i = 0; i < MAX_THREADS; i++)
		if (threads[i].state != T_FREE && threads[i].space == s)
			thread_kill(&threads[i]);
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
