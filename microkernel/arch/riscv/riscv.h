/*
 * RISC-V privileged-architecture facts the kernel uses: CSR access,
 * status and interrupt bits, Sv39 page-table entries.
 */
#ifndef RISCV_H
#define RISCV_H

#include <stdint.h>

#define csr_read(csr) ({ uint64_t v_; asm volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, val) asm volatile("csrw " #csr ", %0" :: "r"((uint64_t)(val)))
#define csr_set(csr, bits) asm volatile("csrs " #csr ", %0" :: "r"((uint64_t)(bits)))
#define csr_clear(csr, bits) asm volatile("csrc " #csr ", %0" :: "r"((uint64_t)(bits)))

/* sstatus bits. */
#define SSTATUS_SIE  (1UL << 1)
#define SSTATUS_SPIE (1UL << 5)
#define SSTATUS_SPP  (1UL << 8)

/* Interrupt numbers (scause with the top bit set; sie/sip bit positions). */
#define SCAUSE_INTERRUPT (1UL << 63)
#define IRQ_S_SOFT     1
#define IRQ_S_TIMER    5
#define IRQ_S_EXTERNAL 9
#define SIE_SSIE (1UL << IRQ_S_SOFT)
#define SIE_STIE (1UL << IRQ_S_TIMER)
#define SIE_SEIE (1UL << IRQ_S_EXTERNAL)

/* scounteren: let user mode read cycle, time and instret. */
#define SCOUNTEREN_ALL 7

/*
 * Sv39: a 39-bit virtual address is three 9-bit indexes (level 2, 1, 0)
 * and a 12-bit offset. A PTE holds the physical page number in bits
 * 53..10 and flags in bits 7..0; a valid PTE with none of R, W, X set
 * points to the next-level table.
 */
#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define PTE_LEAF (PTE_R | PTE_W | PTE_X)
#define PTE_PPN_SHIFT 10
#define PTE_TO_PA(pte) (((pte) >> PTE_PPN_SHIFT) << 12)
#define PA_TO_PTE(pa) (((uint64_t)(pa) >> 12) << PTE_PPN_SHIFT)

#define PT_LEVELS 3
#define PT_ENTRIES 512
#define VPN_BITS 9
#define VPN(va, level) (((uint64_t)(va) >> (12 + VPN_BITS * (level))) & (PT_ENTRIES - 1))
#define MEGAPAGE (1UL << 21)         /* what one level-0 table maps */
#define GIGAPAGE (1UL << 30)         /* what one level-1 table maps */

#define SATP_SV39 (8UL << 60)
#define SATP_ASID_SHIFT 44
#define MAKE_SATP(root_pa, asid) \
	(SATP_SV39 | ((uint64_t)(asid) << SATP_ASID_SHIFT) | ((uint64_t)(root_pa) >> 12))

/* Flush one page of one address space from the TLB. */
static inline void tlb_flush_page(uint64_t va, uint64_t asid)
{
	asm volatile("sfence.vma %0, %1" :: "r"(va), "r"(asid) : "memory");
}

/* Flush every non-global entry of one address space. */
static inline void tlb_flush_asid(uint64_t asid)
{
	asm volatile("sfence.vma zero, %0" :: "r"(asid) : "memory");
}

/* Read the time CSR (ticks at the device tree's timebase frequency). */
static inline uint64_t rdtime(void)
{
	uint64_t t;
	asm volatile("rdtime %0" : "=r"(t));
	return t;
}

#endif
