/*
 * Device interrupts through the PLIC, delivered as notifications. The
 * root task binds an interrupt to a thread and a set of notification
 * bits; when the device interrupts, the kernel claims it and notifies the
 * thread, and the source stays masked in the PLIC until that thread acks.
 * (PLIC layout per the RISC-V PLIC specification; QEMU virt gives hart
 * N two contexts, 2N for M-mode and 2N + 1 for S-mode.) Every source goes
 * to the boot hart's S-mode context: OpenSBI may pick any hart to boot.
 */
#include "kernel.h"

#define IRQ_MAX 96
#define PLIC_S_CONTEXT(hart) (2 * (hart) + 1)
#define PLIC_PRIORITY(irq) (0x0 + 4 * (irq))
#define PLIC_ENABLE(ctx) (0x2000 + 0x80 * (ctx))
#define PLIC_THRESHOLD(ctx) (0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx) (0x200004 + 0x1000 * (ctx))
#define IRQ_PRIORITY 1

struct binding {
	int64_t tid;        /* 0 = unbound */
	uint64_t bits;
};

static uint64_t plic;
static uint64_t context;            /* the boot hart's S-mode context */
static struct binding bindings[IRQ_MAX];

/* Access one 32-bit PLIC register. */
static volatile uint32_t *plic_reg(uint64_t offset)
{
	return (volatile uint32_t *)(plic + offset);
}

/* Accept every priority on the boot hart's S-mode context. */
void irq_init(uint64_t plic_base, uint64_t hartid)
{
	plic = plic_base;
	context = PLIC_S_CONTEXT(hartid);
	*plic_reg(PLIC_THRESHOLD(context)) = 0;
}

/* Enable or disable one source for this hart. */
static void irq_enable(uint64_t irq, int on)
{
	volatile uint32_t *word = plic_reg(PLIC_ENABLE(context) + 4 * (irq / 32));
	uint32_t bit = 1U << (irq % 32);
	*word = on ? (*word | bit) : (*word & ~bit);
	*plic_reg(PLIC_PRIORITY(irq)) = on ? IRQ_PRIORITY : 0;
}

/* Route irq to thread t as notification bits. */
int irq_bind(uint64_t irq, struct thread *t, uint64_t bits)
{
	if (irq == 0 || irq >= IRQ_MAX || bits == 0)
		return -E_INVAL;
	bindings[irq].tid = t->tid;
	bindings[irq].bits = bits;
	irq_enable(irq, 1);
	return 0;
}

/* The bound thread has serviced irq: let the PLIC deliver it again. */
int irq_ack(uint64_t irq, struct thread *caller)
{
	if (irq == 0 || irq >= IRQ_MAX)
		return -E_INVAL;
	if (bindings[irq].tid != caller->tid)
		return -E_PERM;
	*plic_reg(PLIC_CLAIM(context)) = (uint32_t)irq;
	return 0;
}

/* Claim a pending interrupt and notify its thread. */
void irq_handle(void)
{
	uint32_t irq = *plic_reg(PLIC_CLAIM(context));
	if (irq == 0 || irq >= IRQ_MAX)
		return;
	struct thread *t = thread_lookup(bindings[irq].tid);
	if (t)
		thread_notify(t, bindings[irq].bits);
	else
		*plic_reg(PLIC_CLAIM(context)) = irq;   /* nobody to ack it */
}

/* Unbind every interrupt whose bound thread has died. */
void irq_forget_dead(void)
{
	for (uint64_t irq = 1; irq < IRQ_MAX; irq++) {
		if (!bindings[irq].tid || thread_lookup(bindings[irq].tid))
			continue;
		bindings[irq].tid = 0;
		irq_enable(irq, 0);
	}
}
