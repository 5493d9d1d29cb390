/*
 * The C side of a trap: decode scause and hand the event to its
 * subsystem (syscall, fault forwarding, timer, device interrupt), then
 * return to whichever thread the scheduler picks. The kernel runs with
 * interrupts off; it only takes interrupts from user mode or while idle.
 */
#include "kernel.h"
#include "arch/riscv/riscv.h"

#define TIMER_HZ 100            /* scheduler ticks per second */

uint64_t timer_quantum;

void trap_entry(void);
_Noreturn void trap_resume(struct frame *f);
void trap_handler(void);

_Static_assert(REG_A0 * 8 == 80, "entry.S FRAME_A0");

/* Set the tick length and start this hart's traps. */
void trap_init(uint64_t timebase_hz)
{
	timer_quantum = timebase_hz / TIMER_HZ;
	trap_init_hart();
}

/* Install this hart's trap vector and start its scheduler tick. */
void trap_init_hart(void)
{
	csr_write(stvec, (uint64_t)trap_entry);
	csr_write(scounteren, SCOUNTEREN_ALL);
#ifdef SMP
	csr_write(sie, SIE_STIE | SIE_SEIE | SIE_SSIE);   /* SSIE: other harts' wake-ups */
#else
	csr_write(sie, SIE_STIE | SIE_SEIE);
#endif
	sbi_set_timer(rdtime() + timer_quantum);
}

/* Timer tick: re-arm, wake sleepers, end the running thread's slice. */
static void timer_tick(void)
{
	uint64_t now = rdtime();
	sbi_set_timer(now + timer_quantum);
	thread_timer_tick(now);
	thread_preempt();
}

/* Handle an interrupt cause (timer or external). */
static void interrupt(uint64_t cause)
{
	if (cause == IRQ_S_TIMER)
		timer_tick();
	else if (cause == IRQ_S_EXTERNAL)
		irq_handle();
	else if (cause == IRQ_S_SOFT)
		csr_clear(sip, SIE_SSIE);    /* another hart's wake-up: schedule() follows */
}

static uint64_t idle_ticks;             /* time-counter ticks harts spent in wfi (KSTAT_IDLE_TICKS) */

/* How long the harts have waited for interrupts, in time-counter ticks, all harts together. */
uint64_t trap_idle_ticks(void)
{
	return idle_ticks;
}

/* Wait for an interrupt while no thread is ready, and handle it. */
void trap_idle(void)
{
#ifdef SMP
	smp_set_idle(this_cpu(), 1);        /* smp_wake_idle may wake it */
#endif
	uint64_t start = rdtime();
	kernel_unlock();
	asm volatile("wfi");
	kernel_lock();
	idle_ticks += rdtime() - start;
#ifdef SMP
	smp_set_idle(this_cpu(), 0);
#endif
	uint64_t pending = csr_read(sip);
	if (pending & SIE_STIE)
		interrupt(IRQ_S_TIMER);
	if (pending & SIE_SEIE)
		interrupt(IRQ_S_EXTERNAL);
	if (pending & SIE_SSIE)
		interrupt(IRQ_S_SOFT);
}

/* Any trap but a system call: an interrupt or an exception from user mode. */
static SLOW_PATH HOT_PATH void trap_other(uint64_t scause)
{
	uint64_t stval = csr_read(stval);
	if (csr_read(sstatus) & SSTATUS_SPP) {
		kprintf("kernel trap: scause %lx stval %p sepc %p\n", scause, stval, csr_read(sepc));
		panic("trap_handler: trap from supervisor mode");
	}
	if (scause & SCAUSE_INTERRUPT)
		interrupt(scause & ~SCAUSE_INTERRUPT);
#ifdef SMP
	else if (!current)              /* it died on another hart while trapping */
		return;
#endif
	else
		fault_user(current, scause, stval);
}

/*
 * Entered from trap_entry with the caller-saved user registers in
 * current->frame. System calls come first: only user mode can raise
 * cause 8. entry.S then calls schedule() and resumes current.
 */
#ifndef SMP
HOT_PATH void trap_handler(void)
{
	uint64_t scause = csr_read(scause);
	if (scause == CAUSE_USER_ECALL)
		syscall_dispatch(current);
	else
		trap_other(scause);
}
#else
/* The same under the big kernel lock; current is NULL if its thread died meanwhile on another hart. */
HOT_PATH void trap_handler(void)
{
	kernel_lock();
	uint64_t scause = csr_read(scause);
	if (scause == CAUSE_USER_ECALL && current)
		syscall_dispatch(current);
	else if (scause != CAUSE_USER_ECALL)
		trap_other(scause);
	smp_trap_done();
}
#endif

/* Leave the kernel into thread t. */
_Noreturn void trap_return(struct thread *t)
{
	trap_resume(&t->frame);
}
