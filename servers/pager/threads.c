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
 * a receive; a fault thread takes it for each message it serves and lets
 * it go before its next receive. So the pager's code runs as it did with
 * one thread: one thread at a time touches its tables. What overlaps is
 * everything outside them: the kernel's part of each fault, the
 * switches, and the processes themselves. The main thread may still wait
 * with the lock held (a call to the fs server, swap_wait for a fork); the
 * fs server never waits on the pager and the disk needs nobody, so these
 * waits end. Any thread of the pager's space may answer a fault sent to
 * another (the kernel allows it), so a fault a fault thread parked for
 * the swap disk is answered by the main thread when the disk is done.
 */
#include <stdio.h>
#include "pager.h"
#include "sys.h"

#define MAX_FAULT_THREADS 8
#define FAULT_STACK_SIZE 16384
#define LOCK_SPINS 64                  /* pager_lock: tries before it gives its hart up */

static int64_t fault_tids[MAX_FAULT_THREADS];
static int fault_threads;              /* how many run; 0: the pager is one thread */
static unsigned next_fault_thread;     /* the one the next process's space goes to */
static int pager_mutex;
static uint64_t shared_tp;             /* the main thread's thread pointer: one TLS block for all */
static char fault_stacks[MAX_FAULT_THREADS][FAULT_STACK_SIZE] __attribute__((aligned(16)));

/* Take the pager lock (free when the pager is one thread): spin a little, then yield the hart between tries. */
void pager_lock(void)
{
	if (!fault_threads)
		return;
	for (int spins = 0; __atomic_exchange_n(&pager_mutex, 1, __ATOMIC_ACQUIRE);)
		if (++spins % LOCK_SPINS == 0)
			sys_yield();
}

/* Let the pager lock go. */
void pager_unlock(void)
{
	if (fault_threads)
		__atomic_store_n(&pager_mutex, 0, __ATOMIC_RELEASE);
}

/* Serve one message a fault thread received; 1 to reply with *m. Called with the lock held. */
static int fault_thread_serve(int64_t from, struct msg *m)
{
	struct msg reply;
	if (TAG_LABEL(m->tag) != LABEL_FAULT)
		return request_handle(from, m, NULL, 0);   /* EXCEPTION, or a request sent here by mistake */
	if (!fault_handle(from, m, &reply))
		return 0;
	*m = reply;
	return 1;
}

/* A fault thread's life: receive a fault, serve it under the lock, answer it with the next receive. */
static _Noreturn void fault_thread_main(void)
{
	asm volatile("mv tp, %0" :: "r"(shared_tp));
	struct msg m;
	long from = ipc_recv(TID_ANY, &m, NULL, 0);
	for (;;) {
		if (from < 0) {
			from = ipc_recv(TID_ANY, &m, NULL, 0);
			continue;
		}
		pager_lock();
		int replies = fault_thread_serve(from, &m);
		if (replies && reply_len) {             /* a reply with data: sent while its buffer cannot change */
			pager_reply_now(from, &m);
			replies = 0;
		}
		pager_unlock();
		int64_t client = from;
		m.tag = TAG(TAG_LABEL(m.tag), 0);
		from = replies ? ipc_reply_recv(client, &m, NULL, NULL, 0) : ipc_recv(TID_ANY, &m, NULL, 0);
		if (replies && from < 0) {
			pager_lock();
			pager_reply_refused(client, from, TAG_LABEL(m.tag));
			pager_unlock();
		}
	}
}

/* Start one fault thread per hart when there are several (bootinfo's harts). Called with the lock held. */
void pager_threads_start(uint64_t harts)
{
	if (harts < 2)
		return;
	asm volatile("mv %0, tp" : "=r"(shared_tp));
	int want = harts < MAX_FAULT_THREADS ? (int)harts : MAX_FAULT_THREADS;
	for (int i = 0; i < want; i++) {
		uint64_t sp = (uint64_t)&fault_stacks[i][FAULT_STACK_SIZE];
		long tid = sys_thread_start((long)root_space, sp);
		if (tid < 0)
			break;
		fault_tids[fault_threads] = tid;
		if (fault_threads++ == 0)
			pager_mutex = 1;                /* held from now on by the main thread, which called this */
		struct msg go = msg_make(0, (uint64_t)fault_thread_main, 0, 0, 0);
		ipc_reply(tid, &go, NULL);              /* start it, in fault_thread_main */
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
