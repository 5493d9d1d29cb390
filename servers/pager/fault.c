/*
 * Page faults: what xv6's usertrap did for lazy allocation, done here.
 * The kernel sends FAULT (address, cause, pc) for a user access or for
 * its own copy into a user buffer. The fault's region decides: inside the
 * heap (below the break), the stack or data, a zeroed frame is mapped with
 * the region's rights and the instruction runs again; anywhere else, or
 * with the wrong kind of access, the process is killed with one line
 * saying why. A refused kernel access is answered FAIL instead, so the
 * system call fails with E_FAULT and nothing dies.
 */
#include <stdio.h>
#include <string.h>
#include "pager.h"

#define PMAP_RESERVE 4            /* frames a fault may need: pmap nodes and the page */
#include "sys.h"
#include "abi/pager.h"

static struct fault_record recent[RECENT_FAULTS];   /* a ring, newest at recent_next - 1 */
static unsigned recent_next;
int fault_hooks;

static const char *const decision_names[] = {
	[DECIDE_NONE] = "none", [DECIDE_ZERO_FILL] = "zero-fill", [DECIDE_FILE_FILL] = "file-fill",
	[DECIDE_KILL] = "kill", [DECIDE_OOM] = "kill (out of memory)", [DECIDE_FAIL] = "fail the syscall",
	[DECIDE_COW_COPY] = "copy-on-write copy", [DECIDE_COW_REUSE] = "copy-on-write, made writable",
	[DECIDE_SWAP_IN] = "swap-in", [DECIDE_MAP_AGAIN] = "map again",
};

/* A name for the access that faulted. */
static const char *cause_name(uint64_t cause)
{
	switch (cause) {
	case CAUSE_FETCH_PAGE_FAULT: return "instruction fetch";
	case CAUSE_LOAD_PAGE_FAULT: return "load";
	case CAUSE_STORE_PAGE_FAULT: return "store";
	case CAUSE_ILLEGAL_INSTRUCTION: return "illegal instruction";
	case CAUSE_MISALIGNED_FETCH: return "misaligned fetch";
	case CAUSE_MISALIGNED_LOAD: return "misaligned load";
	case CAUSE_MISALIGNED_STORE: return "misaligned store";
	case CAUSE_BREAKPOINT: return "breakpoint";
	default: return "exception";
	}
}

/* The right an access of this cause needs; 0 for a cause that is not a page fault. */
static uint64_t needed_right(uint64_t cause)
{
	return cause == CAUSE_STORE_PAGE_FAULT ? RIGHT_W : cause == CAUSE_LOAD_PAGE_FAULT ? RIGHT_R :
	       cause == CAUSE_FETCH_PAGE_FAULT ? RIGHT_X : 0;
}

/* Why p may not touch addr, which is in no region: where it lies. */
static const char *no_region(const struct proc *p, uint64_t addr)
{
	if (addr < USER_BASE || addr >= USER_TOP)
		return "outside user space";
	if (addr >= GUARD_BOTTOM && addr < STACK_BOTTOM)
		return "guard page under the stack";
	if (addr >= p->brk && addr < GUARD_BOTTOM)
		return "above the break";
	return "outside every region";
}

/* Why an access of this cause is refused by a region that lacks the right it needs. */
static const char *wrong_access(uint64_t cause)
{
	return cause == CAUSE_STORE_PAGE_FAULT ? "write to read-only memory" :
	       cause == CAUSE_FETCH_PAGE_FAULT ? "execute from non-executable memory" :
	       cause == CAUSE_LOAD_PAGE_FAULT  ? "read of unreadable memory" : "a fault of an unexpected cause";
}

/*
 * Why p may not touch addr (in region r, if any) this way, or NULL if it
 * may. Regions lie inside user space, so a fault outside it has none.
 */
static const char *access_denied(struct proc *p, const struct region *r, uint64_t addr, uint64_t cause)
{
	if (!r)
		return no_region(p, addr);
	if (!(r->rights & needed_right(cause)))
		return wrong_access(cause);
	if (r->kind == REGION_HEAP && addr >= p->brk)
		return "above the break";
	return NULL;
}

/* The latest recorded fault of process pid (0: of any), or NULL. */
const struct fault_record *fault_last(int pid)
{
	for (unsigned i = 1; i <= RECENT_FAULTS && i <= recent_next; i++) {
		const struct fault_record *f = &recent[(recent_next - i) % RECENT_FAULTS];
		if (pid == 0 || f->pid == pid)
			return f;
	}
	return NULL;
}

/* " (function+0xoff)" for pc in p, or "" without a symbol, into buf (slow: reads the image). */
static const char *pc_symbol(struct proc *p, uint64_t pc, char *buf, uint64_t size)
{
	char sym[SYMBOL_TEXT_MAX];
	buf[0] = '\0';
	if (symbolise(p, pc, sym, sizeof(sym)))
		snprintf(buf, size, " (%s)", sym);
	return buf;
}

/* The hooks after a fault decision: the trace line, the state checker. */
static __attribute__((noinline)) void run_hooks(struct proc *p, const struct msg *m, int decision)
{
	char sym[SYMBOL_TEXT_MAX + sizeof(" ()")];
	if (fault_hooks & FAULT_HOOK_TRACE)
		printf("pager: pid %d (%s) fault addr %#lx scause %lu%s sepc %#lx%s -> %s\n", p->pid, p->name,
		       (unsigned long)m->w[FAULT_ADDR], (unsigned long)(m->w[FAULT_CAUSE] & FAULT_CAUSE_MASK),
		       (m->w[FAULT_CAUSE] & FAULT_KERNEL_ACCESS) ? " (kernel access)" : "",
		       (unsigned long)m->w[FAULT_PC], pc_symbol(p, m->w[FAULT_PC], sym, sizeof(sym)),
		       decision_names[decision]);
	if (fault_hooks & FAULT_HOOK_CHECK)
		pager_check_after_fault();
}

/* Record what was decided for a fault (and run the hooks, if any are on). */
static HOT_PATH void record(struct proc *p, const struct msg *m, int decision)
{
	struct fault_record *f = &recent[recent_next++ % RECENT_FAULTS];
	f->pid = p->pid;
	f->addr = m->w[FAULT_ADDR];
	f->cause = m->w[FAULT_CAUSE];
	f->pc = m->w[FAULT_PC];
	f->decision = decision;
	if (fault_hooks)
		run_hooks(p, m, decision);
}

/* Kill p for a bad access and say why in one line, naming the function the pc is in if known. */
static __attribute__((noinline)) void kill_for(struct proc *p, const char *why, uint64_t addr,
                                               uint64_t cause, uint64_t pc)
{
	char sym[SYMBOL_TEXT_MAX + sizeof(" ()")];
	printf("pager: killed pid %d (%s): %s at %#lx, %s, pc %#lx%s\n", p->pid, p->name, why,
	       (unsigned long)addr, cause_name(cause), (unsigned long)pc, pc_symbol(p, pc, sym, sizeof(sym)));
	stats.kills++;
	proc_exit(p, EXIT_KILLED);
}

/*
 * Bring a swapped-out page back: a frame for entry *e at va, or
 * DECIDE_WAIT. Where the slot's page is decides (swap.c): on the disk, a
 * read into a new frame is started and the fault waits; being read
 * already (another process shares the slot since a fork), the fault waits
 * for that read; in memory (read, or being written out), a finished
 * read's frame is taken unless other faults wait for it too, and any
 * other is copied. A decision.
 */
static int swap_back(struct proc *p, uint64_t va, uint64_t *e, uint64_t *pa)
{
	uint64_t slot = pmap_slot_of(*e), rights = pmap_rights(*e), from = 0;
	int where = swap_lookup(slot, &from);
	if (where == SWAP_READING) {
		swap_join(slot);
		p->park_slot = slot;
		return DECIDE_WAIT_READ;
	}
	if (where == SWAP_READ_FAILED)
		return DECIDE_KILL;
	if (where != SWAP_IN_MEMORY || !(*pa = swap_take(slot))) {
		int room = where == SWAP_IN_MEMORY ? fault_room(p, 1) : swap_in_room(p);   /* from stays */
		if (room > 0)
			return DECIDE_WAIT;
		if (room || !(*pa = frame_alloc_dirty()))
			return DECIDE_OOM;
		if (where != SWAP_IN_MEMORY) {
			int err = swap_read_start(slot, *pa);
			if (err)
				frame_unref(*pa);
			*pa = 0;
			p->park_slot = slot;
			room_later_need = 1;            /* queue full: any request that finishes makes room */
			return err == 0 ? DECIDE_WAIT_READ : err == -E_BUSY ? DECIDE_WAIT : DECIDE_KILL;
		}
		memcpy(frame_ptr(*pa), frame_ptr(from), PAGE_SIZE);
	}
	swap_unref(slot);
	p->swapped--;
	*e = pmap_entry(*pa, rights);
	p->frames++;
	proc_note_frame(p, region_find(&p->map, va), va, *pa);
	p->stats.swap_ins++;
	return DECIDE_SWAP_IN;
}

/* A page that is not present and was never swapped: fill a frame for it. A decision. */
static int fill(struct proc *p, struct region *r, uint64_t va, uint64_t *e, uint64_t *pa)
{
	int decision = proc_fill_answer_page(p, r, va, pa);
	if (!*pa)
		return decision;
	*e = pmap_entry(*pa, r->rights);
	p->frames++;
	if (decision == DECIDE_ZERO_FILL)
		p->stats.zero_fills++;
	else
		p->stats.file_fills++;
	return decision;
}

/*
 * Frames are short (room: ROOM_LATER or -E_NOMEM). A page that needs page
 * records or, being empty, a frame waits for the writes in flight or is
 * out of memory; DECIDE_NONE: serve it as usual (it needs no new frame,
 * or with no room to be made it may still find one).
 */
static __attribute__((noinline)) int frames_short(struct proc *p, uint64_t va, int room)
{
	uint64_t *e = pmap_slot(&p->pmap, va, 0);
	if (!e)
		return room > 0 ? DECIDE_WAIT : DECIDE_OOM;
	return *e == 0 && room > 0 ? DECIDE_WAIT : DECIDE_NONE;
}

/* Serve an allowed access at va: find or make its frame; a decision, *pa and *e set. */
static HOT_PATH int serve_access(struct proc *p, struct region *r, uint64_t va, uint64_t cause,
                                 uint64_t **e, uint64_t *pa)
{
	int room = fault_room(p, PMAP_RESERVE), decision;
	if (room && (decision = frames_short(p, va, room)) != DECIDE_NONE)
		return decision;
	*e = pmap_slot(&p->pmap, va, 1);
	if (!*e)
		return DECIDE_OOM;
	if (pmap_present(**e) && cause == CAUSE_STORE_PAGE_FAULT && (**e & PMAP_COW))
		return cow_write_fault(p, va, *e, pa);
	if (pmap_present(**e)) {
		*pa = pmap_pa(**e);
		return DECIDE_MAP_AGAIN;
	}
	if (**e & PMAP_SWAPPED)
		return swap_back(p, va, *e, pa);
	decision = fill(p, r, va, *e, pa);
	if (*pa) {
		if (p->policy.alloc->after_fault)
			p->policy.alloc->after_fault(p, r, va, p->policy.around);
		proc_note_frame(p, r, va, *pa);   /* evictable only now: fault-around may make room */
	}
	return decision;
}

/* A fault or exception of a thread that is no process's: it dies (so it never waits for ever). */
static __attribute__((noinline)) int stranger(int64_t tid, const struct msg *m, struct msg *reply)
{
	printf("pager: killed thread %ld, which is no process's: fault at %#lx, scause %lu, pc %#lx\n",
	       (long)tid, (unsigned long)m->w[FAULT_ADDR], (unsigned long)m->w[FAULT_CAUSE],
	       (unsigned long)m->w[FAULT_PC]);
	*reply = msg_make(LABEL_KILL, 0, 0, 0, 0);
	return 1;
}

static uint64_t park_count;       /* faults parked so far: the order of those waiting */
int resumed_after_file_read;      /* the fault fault_resume_next handed out last waited for a file read */
static uint64_t resume_until;     /* fault_resume_next serves the parked faults up to this number */
static struct proc *park_head, *park_tail;   /* the processes whose fault waits, in that order */

/*
 * A fault that got no frame: it waits for the swap disk (kept, to be
 * served again by fault_resume_next), or its process is killed. 0: no
 * reply now.
 */
static __attribute__((noinline)) int no_frame(struct proc *p, const struct msg *m, int decision)
{
	if (decision == DECIDE_WAIT || decision == DECIDE_WAIT_READ) {
		p->park_need = decision == DECIDE_WAIT ? room_later_need + !room_later_need : 0;
		p->parked_fault = *m;
		p->parked = ++park_count;
		p->stats.waits++;
		p->park_prev = park_tail;
		p->park_next = NULL;
		*(park_tail ? &park_tail->park_next : &park_head) = p;
		park_tail = p;
		return 0;
	}
	record(p, m, decision);
	kill_for(p, decision == DECIDE_OOM ? "out of memory (and swap)" : "cannot read the page in",
	         m->w[FAULT_ADDR], m->w[FAULT_CAUSE] & FAULT_CAUSE_MASK, m->w[FAULT_PC]);
	return 0;
}

/* Handle a FAULT from thread tid; fill *reply; return 1 to send it. Every fault is answered, waits, or its process ends. */
HOT_PATH int fault_handle(int64_t tid, const struct msg *m, struct msg *reply)
{
	struct proc *p = proc_by_tid(tid);
	if (!p)
		return stranger(tid, m, reply);
	uint64_t addr = m->w[FAULT_ADDR], cause = m->w[FAULT_CAUSE] & FAULT_CAUSE_MASK, pa = 0;
	int kernel_access = (m->w[FAULT_CAUSE] & FAULT_KERNEL_ACCESS) != 0;
	stats.faults++;
	p->stats.faults++;
	struct region *r = region_find(&p->map, addr);
	const char *why = access_denied(p, r, addr, cause);
	if (why && kernel_access) {
		record(p, m, DECIDE_FAIL);
		*reply = msg_make(LABEL_FAIL, 0, 0, 0, 0);
		return 1;
	}
	if (why) {
		record(p, m, DECIDE_KILL);
		kill_for(p, why, addr, cause, m->w[FAULT_PC]);
		return 0;
	}
	uint64_t va = PAGE_DOWN(addr), *e = NULL;
	int decision = serve_access(p, r, va, cause, &e, &pa);
	if (!pa)
		return no_frame(p, m, decision);
	record(p, m, decision);
	*reply = msg_make(LABEL_MAP, va, pa, pmap_pte_rights(*e), 1);
	return 1;
}

/* Swap requests finished: every fault parked until now is to be served again (fault_resume_next). */
void fault_resume_all(void)
{
	resume_until = park_count;
}

/*
 * The next fault to serve again, oldest first, each of those parked
 * before fault_resume_all once, if it can go on (unparkable): its thread
 * (*m its FAULT message), or -1 when none is left. The main loop serves it as if the kernel had just
 * sent it (the same fault_handle, the same reply), so it is answered now,
 * or kills its process, or parks again with a later number; its
 * process's record of the page is read afresh, so whatever happened
 * meanwhile counts. It is no new fault: the counts fault_handle will add
 * are taken back here. A process that ended meanwhile is off the list
 * (proc_exit calls fault_unpark).
 */
/* Can p's waiting fault go on: its read (swap or file) finished, or its frames are free (or no write in flight will free more)? */
static int unparkable(const struct proc *p)
{
	uint64_t pa;
	if (p->park_read)
		return file_read_finished(p->park_read);
	if (!p->park_need)
		return swap_lookup(p->park_slot, &pa) != SWAP_READING;
	return frames_free() >= p->park_need || (!swap_writing() && swap_can_write());
}

int64_t fault_resume_next(struct msg *m)
{
	struct proc *next = park_head;
	while (next && next->parked <= resume_until && !unparkable(next))
		next = next->park_next;
	if (!next || next->parked > resume_until) {
		resume_until = 0;
		return -1;
	}
	resumed_after_file_read = next->park_read != 0;
	fault_unpark(next);
	stats.faults--;
	next->stats.faults--;
	*m = next->parked_fault;
	return next->tid;
}

/* Does a fault of another process than p wait for frames? */
int fault_frames_wanted(const struct proc *p)
{
	for (const struct proc *q = park_head; q; q = q->park_next)
		if (q != p && q->park_need)
			return 1;
	return 0;
}

/* Does a fault of another process than p wait for file read number n? */
int fault_waits_for_read(const struct proc *p, uint64_t n)
{
	for (const struct proc *q = park_head; q; q = q->park_next)
		if (q != p && q->park_read == n)
			return 1;
	return 0;
}

/* p's fault waits no more (served again, or p ends): off the list. */
void fault_unpark(struct proc *p)
{
	if (!p->parked)
		return;
	*(p->park_prev ? &p->park_prev->park_next : &park_head) = p->park_next;
	*(p->park_next ? &p->park_next->park_prev : &park_tail) = p->park_prev;
	p->parked = 0;
	p->park_read = 0;
	p->park_prev = p->park_next = NULL;
}

/* Another exception (illegal instruction, misaligned access...): kill the process; 1 to send *reply. */
int exception_handle(int64_t tid, const struct msg *m, struct msg *reply)
{
	struct proc *p = proc_by_tid(tid);
	if (!p)
		return stranger(tid, m, reply);
	char why[40];
	snprintf(why, sizeof(why), "exception, scause %lu", (unsigned long)m->w[FAULT_CAUSE]);
	record(p, m, DECIDE_KILL);
	kill_for(p, why, m->w[FAULT_ADDR], m->w[FAULT_CAUSE], m->w[FAULT_PC]);
	return 0;
}
