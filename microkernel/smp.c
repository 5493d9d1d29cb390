/*
 * Several harts: the SMP kernel only (built with -DSMP as
 * build/kernel-smp.elf; the one-hart kernel compiles none of this).
 *
 * One big kernel lock, a ticket lock so that harts take turns, is taken
 * at trap entry (trap_handler) and released on the way back to user mode
 * (entry.S calls kernel_unlock after the last write to kernel state). The kernel keeps no
 * state on a stack across a trap and never blocks inside, so every
 * kernel path runs as on one hart. Outside the lock a hart only saves
 * and restores the frame of its own thread and waits in wfi.
 *
 * Each hart has a struct cpu (tp points to it in the kernel), its own
 * kernel stack, timer and current thread. A thread that runs on some hart
 * is marked with that hart (thread->cpu): no other hart runs it, and its
 * frame is not read or written. A thread that dies while another hart
 * runs it is stopped there with an interrupt first (smp_stop_remote).
 * A mapping removed or narrowed is flushed from every hart's TLB before
 * the trap that removed it ends (smp_tlb_flush_later, smp_trap_done).
 * Device interrupts go to the boot hart (irq.c).
 */
#include "kernel.h"
#include "arch/riscv/riscv.h"

#ifdef SMP
#define KSTACK_SIZE 16384
#define HART_START_WAIT_SECONDS 2      /* how long the boot hart waits for the others to come up */
#define LOCK_SPINS 10000                /* kernel_lock: spins before it sleeps */

/* Alone on its cache line: the lock's writes take no line that the holder reads. */
struct ticket_lock {
	uint32_t next;                 /* the next ticket to hand out */
	uint32_t serving;              /* the ticket that holds the lock */
	char pad[CACHE_LINE - 2 * sizeof(uint32_t)];
} __attribute__((aligned(CACHE_LINE)));

static HOT_DATA struct ticket_lock kernel_big_lock;
_Static_assert(offsetof(struct thread, cpu) == 256, "entry.S THREAD_CPU");
_Static_assert(offsetof(struct cpu, thread) == 0 && offsetof(struct cpu, kstack_top) == 8 &&
               offsetof(struct cpu, in_user) == 16 && offsetof(struct cpu, satp) == 24 &&
               offsetof(struct cpu, leaving) == 32, "entry.S CPU_*");
HOT_DATA struct cpu cpus[MAX_HARTS];
static uint8_t kstacks[MAX_HARTS][KSTACK_SIZE] __attribute__((aligned(PAGE_SIZE)));
/* The remote TLB flush this trap owes: to these harts, of this space's ASID (all if several spaces). */
static uint64_t flush_harts, flush_asid;
static struct space *flush_space;
static int flush_all;
static volatile int harts_go;          /* the boot hart has counted the others: they may schedule */
static uint64_t lock_sleepers;         /* harts asleep in kernel_lock, one bit per hart id */
static HOT_DATA uint64_t idle_harts;   /* harts waiting in wfi for a thread to run (trap_idle), one bit per hart id */

extern char boot_stack_top[];
void secondary_entry(void);            /* entry.S */
_Noreturn void hart_main(void);

/*
 * Wait for this hart's ticket to come up, spinning a while, then asleep
 * in wfi until the holder's release wakes it. (Harts are often host
 * threads on fewer host cores than harts: spinning for long would take
 * the core the holder needs.)
 */
static SLOW_PATH void kernel_lock_wait(uint32_t ticket)
{
	uint64_t me = 1UL << this_cpu()->hartid;
	for (int spins = 0; __atomic_load_n(&kernel_big_lock.serving, __ATOMIC_ACQUIRE) != ticket;) {
		if (++spins < LOCK_SPINS)
			continue;
		__atomic_fetch_or(&lock_sleepers, me, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&kernel_big_lock.serving, __ATOMIC_SEQ_CST) != ticket)
			asm volatile("wfi");
		__atomic_fetch_and(&lock_sleepers, ~me, __ATOMIC_SEQ_CST);
		csr_clear(sip, SIE_SSIE);      /* schedule() looks for work after the lock anyway */
		spins = 0;
	}
}

/* Take the big kernel lock: a ticket, and at once if it is up (kernel_lock_wait if not). */
HOT_PATH void kernel_lock(void)
{
	uint32_t ticket = __atomic_fetch_add(&kernel_big_lock.next, 1, __ATOMIC_RELAXED);
	if (__atomic_load_n(&kernel_big_lock.serving, __ATOMIC_ACQUIRE) != ticket)
		kernel_lock_wait(ticket);
}

/* Release the big kernel lock and wake the harts asleep waiting for it (entry.S calls it on the way to user mode). */
HOT_PATH void kernel_unlock(void)
{
	__atomic_store_n(&kernel_big_lock.serving, kernel_big_lock.serving + 1, __ATOMIC_SEQ_CST);
	uint64_t sleepers = __atomic_load_n(&lock_sleepers, __ATOMIC_SEQ_CST);
	if (sleepers)
		sbi_send_ipi(sleepers);
}

/* Make the boot hart's struct cpu, point tp at it and take the lock for the boot. */
void smp_boot_hart(uint64_t hartid)
{
	if (hartid >= MAX_HARTS)
		panic("smp_boot_hart: boot hart id beyond MAX_HARTS");
	struct cpu *c = &cpus[hartid];
	c->hartid = hartid;
	c->kstack_top = (uint64_t)boot_stack_top;
	c->online = 1;
	asm volatile("mv tp, %0" :: "r"(c));
	kernel_lock();
}

/* Start the other harts through SBI HSM (QEMU virt numbers them 0 to harts - 1). */
void smp_start_harts(uint64_t boot_hartid, uint32_t harts)
{
	for (uint64_t id = 0; id < harts && id < MAX_HARTS; id++) {
		struct cpu *c = &cpus[id];
		if (id == boot_hartid)
			continue;
		c->hartid = id;
		c->kstack_top = (uint64_t)&kstacks[id][KSTACK_SIZE];
		if (sbi_hart_start(id, (uint64_t)secondary_entry, (uint64_t)c) < 0)
			kprintf("microkernel: hart %lu did not start\n", id);
	}
}

/* Wait (a bounded time) for the started harts to come up, say how many did, and let them run. */
void smp_harts_go(uint64_t boot_hartid, uint32_t harts, uint64_t timebase_hz)
{
	uint32_t want = harts < MAX_HARTS ? harts : MAX_HARTS;
	uint64_t deadline = rdtime() + HART_START_WAIT_SECONDS * timebase_hz;
	while ((uint32_t)smp_harts_online() < want && rdtime() < deadline)
		;
	kprintf("microkernel: %d of %u harts online, booted on hart %lu\n", smp_harts_online(), harts,
	        boot_hartid);
	harts_go = 1;
}

/* A secondary hart's first C code (tp set by entry.S): paging, traps, then the scheduler. */
_Noreturn void hart_main(void)
{
	struct cpu *c = this_cpu();
	space_activate_kernel();
	asm volatile("sfence.vma zero, zero");
	trap_init_hart();
	csr_clear(sstatus, SSTATUS_SPP);   /* sret goes to user mode */
	__atomic_store_n(&c->online, 1, __ATOMIC_RELEASE);
	while (!harts_go)
		;
	kernel_lock();
	schedule();
	trap_return(c->thread);
}

/* How many harts run the kernel. */
int smp_harts_online(void)
{
	int n = 0;
	for (int i = 0; i < MAX_HARTS; i++)
		n += cpus[i].online;
	return n;
}

/* Hart c stops running its current thread (blocked, dead or out of time). */
void smp_leave_cpu(struct cpu *c)
{
	if (c->thread)
		c->thread->cpu = NULL;
	c->thread = NULL;
}

/*
 * t dies: take it off the hart that runs it. If another hart runs it in
 * user mode, interrupt that hart and wait until it has trapped in (it
 * then waits for the lock), so that t's code runs no more and its space
 * and frames may go.
 */
void smp_stop_remote(struct thread *t)
{
	struct cpu *c = t->cpu;
	if (!c)
		return;
	if (c != this_cpu()) {
		sbi_send_ipi(1UL << c->hartid);
		while (c->in_user)
			;
	}
	smp_leave_cpu(c);
}

/* If a ready thread waits for a hart while some hart idles, wake that hart. */
void smp_wake_idle(void)
{
	if (!idle_harts || !thread_first_unclaimed())
		return;
	uint64_t lowest = idle_harts & -idle_harts;   /* the lowest-numbered idle hart's bit */
	idle_harts &= ~lowest;
	sbi_send_ipi(lowest);
}

/* Mark hart c as waiting in wfi for a thread (idle), or not. */
void smp_set_idle(struct cpu *c, int idle)
{
	if (idle)
		idle_harts |= 1UL << c->hartid;
	else
		idle_harts &= ~(1UL << c->hartid);
}

/*
 * A mapping of s was removed or narrowed (and flushed on this hart).
 * Every other hart flushes s's ASID before it next runs s (space_activate);
 * one that runs s in user mode now is flushed before this trap ends.
 */
void smp_tlb_flush_later(struct space *s, uint64_t asid)
{
	uint64_t me = 1UL << this_cpu()->hartid;
	s->tlb_stale |= ~me;
	for (int i = 0; i < MAX_HARTS; i++) {
		struct cpu *c = &cpus[i];
		if (c->in_user && c->thread && c->thread->space == s && c != this_cpu()) {
			if (flush_space && flush_space != s)
				flush_all = 1;
			flush_space = s;
			flush_asid = asid;
			flush_harts |= 1UL << c->hartid;
		}
	}
}

/* The end of a trap, still locked: the remote TLB flush it owes. */
HOT_PATH void smp_trap_done(void)
{
	if (!flush_harts)
		return;
	sbi_remote_flush(flush_harts, flush_asid, flush_all);
	flush_harts = 0;
	flush_space = NULL;
	flush_all = 0;
}
#endif
