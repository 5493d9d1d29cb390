/*
 * The pager's fault threads: on several harts, faults of different
 * processes are served in parallel.
 *
 * With one hart the pager is one thread and none of this runs. With N
 * harts (bootinfo) the pager starts N fault threads in its own space and
 * gives each new process's space to one of them, in turn
 * (pager_space_create): the kernel sends a space's faults to the thread
 * named when it was created. A fault thread that has a process's fault
 * runs on the hart the process faulted on (the kernel hands the caller's
 * hart to the callee), so two processes faulting on two harts are served
 * by two threads on those two harts, with no hand-off between harts.
 * Servers (fs) keep the main thread, which also serves every request.
 *
 * All of the pager's state is protected by one lock, the pager lock
 * (pager_lock). The main thread holds it whenever it is not waiting in
 * a receive; a fault thread takes it for each message it serves. So the
 * pager's code runs as it did with one thread: one thread at a time
 * touches its tables. What overlaps is everything else: the kernel's part
 * of each fault, the switches, the processes themselves, and zeroing a
 * page that only the answer maps (frame_alloc_answer). The main thread
 * may wait with the lock held (a call to the fs server, swap_wait for a
 * fork); the fs server never waits on the pager and the disk needs
 * nobody, so these waits end. Both kinds of thread run one loop,
 * pager_serve in main.c; the functions here are a fault thread's parts,
 * and pager_thread_start, which starts any thread of the pager's own (the
 * fault threads, fileread.c's reader).
 *
 * An answer is sent after the lock is let go, but a MAP answer installs a
 * page that the pager's tables already record as mapped: no other thread
 * may evict or free that page before the kernel has installed it (else
 * the process could write to a frame already free again). So a fault
 * thread marks the process answering (struct proc) before it lets the
 * lock go, and the kernel clears the mark once the reply has gone through
 * (REPLY_RECV's lock word); a thread that would change the pages of a
 * process that is not its caller first waits for the mark to clear
 * (proc_answer_wait: eviction, a kill). The process itself is blocked in
 * its fault meanwhile, so it changes nothing. The main thread answers with
 * the lock held, and lets it go as it starts to receive. Any thread of
 * the pager's space may answer a fault sent to another (the kernel allows
 * it), so a fault a fault thread parked for the swap disk is answered by
 * the main thread when the disk is done.
 *
 * A fault thread waiting for the lock spins a while, then sleeps until
 * pager_unlock notifies it: the main thread may hold the lock for long,
 * and with more harts than host cores spinning threads would take the
 * cores the holder needs.
 */
#include <stdio.h>
#include <string.h>
#include "pager.h"
#include "sys.h"

#define MAX_FAULT_THREADS 8
#define FAULT_STACK_SIZE 16384
#define ZERO_LATER_MAX 8               /* frames a fault thread may zero after letting the lock go */
#define LOCK_SPINS 20000               /* tries at the pager lock before a thread yields or sleeps */
#define NOTIFY_UNLOCKED 1UL            /* a fault thread's only notification: the lock it sleeps for is free */
#define CACHE_LINE 64

static HOT_DATA int64_t fault_tids[MAX_FAULT_THREADS];
int fault_threads;                     /* how many run; 0: the pager is one thread (pager.h's pager_lock) */
static unsigned next_fault_thread;     /* the one the next process's space goes to */
/*
 * The pager lock: held is 1 while held; sleepers has a bit per fault
 * thread asleep for it. Alone on its cache line, so that a thread spinning
 * on it takes no line the holder uses (the holder reads sleepers as it
 * lets go; a thread writes it only as it goes to sleep).
 */
static struct {
	uint32_t held;
	uint64_t sleepers;
	char pad[CACHE_LINE - 2 * sizeof(uint64_t)];
} pager_mutex HOT_DATA __attribute__((aligned(CACHE_LINE)));
static uint64_t shared_tp;             /* the main thread's thread pointer: one TLS block for all */
static char fault_stacks[MAX_FAULT_THREADS][FAULT_STACK_SIZE] __attribute__((aligned(16)));

/* Try to take the pager lock; 1 if taken. */
static int lock_try(void)
{
	return !__atomic_load_n(&pager_mutex.held, __ATOMIC_RELAXED) &&   /* spin reading: no writes while held */
	       !__atomic_exchange_n(&pager_mutex.held, 1, __ATOMIC_SEQ_CST);
}

/*
 * The main thread takes the pager lock (pager_lock calls this when there
 * are fault threads): it spins, yielding its hart now and then. (Fault
 * threads hold it for one fault; the main thread keeps its notifications.)
 */
HOT_PATH void pager_lock_main(void)
{
	for (int spins = 0; !lock_try();)
		if (++spins % LOCK_SPINS == 0)
			sys_yield();
}

/* Fault thread `me` takes the pager lock: it spins a while, then sleeps until pager_unlock wakes it. */
static HOT_PATH void fault_thread_lock(int me)
{
	for (int spins = 0; !lock_try();) {
		if (++spins < LOCK_SPINS)
			continue;
		spins = 0;
		__atomic_fetch_or(&pager_mutex.sleepers, 1UL << me, __ATOMIC_SEQ_CST);
		struct msg note;
		if (__atomic_load_n(&pager_mutex.held, __ATOMIC_SEQ_CST))
			ipc_recv(TID_KERNEL, &note, NULL, 0);   /* NOTIFY_UNLOCKED (or a stray one: try again) */
		__atomic_fetch_and(&pager_mutex.sleepers, ~(1UL << me), __ATOMIC_SEQ_CST);
	}
}

/* Let the pager lock go, and wake a fault thread asleep for it (pager_unlock calls this when there are fault threads). */
HOT_PATH void pager_unlock_threads(void)
{
	__atomic_store_n(&pager_mutex.held, 0, __ATOMIC_SEQ_CST);
	uint64_t sleepers = __atomic_load_n(&pager_mutex.sleepers, __ATOMIC_SEQ_CST);
	if (sleepers)
		sys_notify(fault_tids[__builtin_ctzl(sleepers)], NOTIFY_UNLOCKED);
}

static HOT_DATA uint64_t to_zero[MAX_FAULT_THREADS][ZERO_LATER_MAX] __attribute__((aligned(CACHE_LINE)));   /* frames each fault thread zeroes after the lock; a line each */
_Static_assert(sizeof(to_zero[0]) == CACHE_LINE, "a fault thread's row of to_zero is one cache line");

/* Fault thread me has a message to serve: take the lock, with no reply data yet and zeroing left for later. */
static HOT_PATH void fault_thread_begin(int me)
{
	fault_thread_lock(me);
	reply_data = NULL;
	reply_len = 0;
	frames_zero_later(to_zero[me], ZERO_LATER_MAX);
}

/*
 * Fault thread me receives its next message (a FAULT, an EXCEPTION, or a
 * request sent here by mistake: no buffer) and takes the lock to serve it
 * in pager_serve.
 */
HOT_PATH long fault_thread_recv(int me, struct msg *m)
{
	long from;
	while ((from = ipc_recv(TID_ANY, m, NULL, 0)) <= TID_KERNEL)
		;                                       /* an error, or a stray notification */
	fault_thread_begin(me);
	return from;
}

/*
 * Fault thread me served client's message (replies: answer with *m):
 * let the lock go, zero what the answer maps, answer, and receive the
 * next message (fault_thread_recv); returns its sender.
 */
HOT_PATH long fault_thread_answer(int me, int64_t client, struct msg *m, int replies)
{
	int zero_later = frames_zero_later_end();
	struct proc *p = replies && !reply_len ? proc_by_tid(client) : NULL;
	if (p) {
		p->answering = 1;                       /* what changes p's pages waits (proc_answer_wait) ... */
		pager_unlock();                         /* ... until the kernel clears this, the answer in */
	}
	for (int i = 0; i < zero_later; i++)            /* frames only this answer maps: zeroed without the lock */
		memset(frame_ptr(to_zero[me][i]), 0, PAGE_SIZE);
	if (!p) {                                       /* no answer, or one with data or to no process: now */
		if (replies)
			pager_reply_now(client, m);
		pager_unlock();
		return fault_thread_recv(me, m);
	}
	m->tag = TAG(TAG_LABEL(m->tag), 0);
	long from = ipc_reply_recv_release(client, m, NULL, 0, &p->answering);
	if (from > TID_KERNEL) {
		fault_thread_begin(me);
		return from;
	}
	fault_thread_lock(me);
	if (from < 0) {                                 /* refused: the mark is still set */
		__atomic_store_n(&p->answering, 0, __ATOMIC_RELEASE);
		pager_reply_refused(client, from, TAG_LABEL(m->tag));
	}
	pager_unlock();
	return fault_thread_recv(me, m);
}

/* Which fault thread is this (its stack says)? */
static int fault_thread_index(void)
{
	char here;
	return (int)((&here - &fault_stacks[0][0]) / FAULT_STACK_SIZE);
}

/*
 * Start a thread of the pager's own at entry, on the stack that ends at
 * stack_top (from the main thread); its tid, or an error. The thread
 * calls pager_thread_enter first.
 */
long pager_thread_start(void *stack_top, void (*entry)(void))
{
	asm volatile("mv %0, tp" : "=r"(shared_tp));
	long tid = sys_thread_start((long)root_space, (uint64_t)stack_top);
	if (tid < 0)
		return tid;
	struct msg go = msg_make(0, (uint64_t)entry, 0, 0, 0);
	ipc_reply(tid, &go, NULL);                      /* it waits for this to start */
	return tid;
}

/* A new thread of the pager's takes the main thread's thread pointer: one TLS block for all. */
void pager_thread_enter(void)
{
	asm volatile("mv tp, %0" :: "r"(shared_tp));
}

/* A fault thread's life: the pager's loop (main.c). */
static _Noreturn void fault_thread_main(void)
{
	pager_thread_enter();
	pager_serve(fault_thread_index());
}

/*
 * Wait until no fault answer to p is on its way (called with the lock
 * held, before changing p's pages from another thread than p's own: an
 * eviction, a kill). The answering thread needs no lock to finish.
 */
void proc_answer_wait(struct proc *p)
{
	while (__atomic_load_n(&p->answering, __ATOMIC_ACQUIRE))
		sys_yield();
}

/* Start one fault thread per hart when there are several (bootinfo's harts). Called with the lock held. */
void pager_threads_start(uint64_t harts)
{
	if (harts < 2)
		return;
	int want = harts < MAX_FAULT_THREADS ? (int)harts : MAX_FAULT_THREADS;
	for (int i = 0; i < want; i++) {
		long tid = pager_thread_start(&fault_stacks[i][FAULT_STACK_SIZE], fault_thread_main);
		if (tid < 0)
			break;
		fault_tids[fault_threads] = tid;        /* it waits for a fault: no space is its yet */
		if (fault_threads++ == 0)
			pager_mutex.held = 1;           /* held from now on by the main thread, which called this */
	}
	printf("pager: %d fault threads for %lu harts\n", fault_threads, (unsigned long)harts);
}

/* The fs server is up (before any process runs): tell it that the fault threads read files as the pager. */
void pager_threads_tell_fs(void)
{
	for (int i = 0; i < fault_threads; i++)
		fs_pager_thread(fault_tids[i]);
}

/* A space for process p: its faults go to the next fault thread in turn, or (servers, one hart) to the main thread. */
long pager_space_create(const struct proc *p)
{
	if (!fault_threads || p->system)
		return sys_space_create();
	return sys_space_create_paged_by(fault_tids[next_fault_thread++ % (unsigned)fault_threads]);
}
