/*
 * Fault forwarding. An exception from user mode becomes a message to the
 * faulting thread's pager (the pager of its address space), sent as a
 * call on the thread's behalf: FAULT for page faults (scause 12, 13, 15),
 * EXCEPTION for anything else. The thread stays in T_REPLY until its pager
 * replies; the kernel, not the thread, reads that reply:
 *
 *   MAP va pa rights n  install n pages and re-execute the instruction
 *   RESUME              the pager fixed things itself; re-execute
 *   KILL                the thread is destroyed
 *   FAIL                for a kernel access: the syscall returns -E_FAULT
 *
 * A kernel access is the kernel's own copy to or from a user buffer
 * hitting a page that is absent or read-only; the syscall is rewound to
 * its ecall, so after the pager's MAP it simply runs again.
 */
#include "kernel.h"

#define ECALL_SIZE 4

/* Is scause one of the three page-fault causes? */
static int is_page_fault(uint64_t scause)
{
	return scause == CAUSE_FETCH_PAGE_FAULT || scause == CAUSE_LOAD_PAGE_FAULT ||
	       scause == CAUSE_STORE_PAGE_FAULT;
}

/* Send t's fault to its pager; 0, or -E_NOENT when t has no pager. */
static HOT_PATH int fault_send(struct thread *t, uint64_t label, uint64_t addr, uint64_t cause)
{
	struct thread *pager = thread_lookup(t->space->pager);
	if (!pager || pager == t)
		return -E_NOENT;
	t->out.tag = TAG(label, 0);
	t->out.w[FAULT_ADDR] = addr;
	t->out.w[FAULT_CAUSE] = cause;
	t->out.w[FAULT_PC] = t->frame.r[REG_PC];
	t->out.w[FAULT_SPACE] = t->space->id;
	t->in_fault = 1;
	if (!ipc_call_fast(t, pager))
		ipc_send(t, pager, 1);
	return 0;
}

/*
 * An exception from user mode: forward it, or kill a thread with no pager.
 * Out of line (SLOW_PATH) so that tools/profile.py can mark each fault by it.
 */
SLOW_PATH HOT_PATH void fault_user(struct thread *t, uint64_t scause, uint64_t stval)
{
	uint64_t label = is_page_fault(scause) ? LABEL_FAULT : LABEL_EXCEPTION;
	if (fault_send(t, label, stval, scause) == 0)
		return;
	kprintf("kernel: thread %ld has no pager; cause %lu addr %p pc %p; killed\n",
	        t->tid, scause, stval, t->frame.r[REG_PC]);
	thread_kill(t);
}

/* The kernel's copy for t's syscall needs va; ask the pager, then restart. */
int fault_kernel_access(struct thread *t, uint64_t va, int write)
{
	uint64_t cause = (write ? CAUSE_STORE_PAGE_FAULT : CAUSE_LOAD_PAGE_FAULT) | FAULT_KERNEL_ACCESS;
	t->frame.r[REG_PC] -= ECALL_SIZE;
	if (fault_send(t, LABEL_FAULT, va, cause) == 0)
		return 0;
	t->frame.r[REG_PC] += ECALL_SIZE;
	return -E_FAULT;
}

/* Done with t's fault: it may run again once the caller makes it ready. */
static HOT_PATH int fault_done(struct thread *t)
{
	t->in_fault = 0;
	t->partner = NULL;
	return FAULT_RESUMES;
}

/*
 * Act on pager's reply to t's fault: FAULT_RESUMES (the caller makes t
 * ready), FAULT_KILLED, or an error (t stays blocked: the pager may try
 * again).
 */
HOT_PATH int fault_reply(struct thread *pager, struct thread *t)
{
	const uint64_t *m = msg_of(pager), *w = m + 1;
	int kernel_access = (t->out.w[FAULT_CAUSE] & FAULT_KERNEL_ACCESS) != 0;
	int err;

	switch (TAG_LABEL(m[0])) {
	case LABEL_MAP:
		err = space_map_checked(pager->space, t->space, w[MAP_VA], w[MAP_PA],   /* MAP_TAKE_TURN: ipc_reply's */
		                        w[MAP_RIGHTS] & ~MAP_TAKE_TURN, w[MAP_NPAGES]);
		return err ? err : fault_done(t);
	case LABEL_RESUME:
		return fault_done(t);
	case LABEL_FAIL:
		if (!kernel_access)
			return -E_INVAL;
		t->frame.r[REG_PC] += ECALL_SIZE;
		ipc_set_result(t, -E_FAULT);
		return fault_done(t);
	case LABEL_KILL:
		thread_kill(t);
		return FAULT_KILLED;
	default:
		return -E_INVAL;
	}
}
