/*
 * RISC-V facts that xv6 programs use (kernel/riscv.h), as they hold for
 * a user program on this system: Sv39 pages and page-table entries, and
 * the register readers that work in user mode.
 *
 * Programs here never see a page table (the pager owns every mapping and
 * the kernel maps no page table into user space); the PTE names are the
 * hardware's Sv39 format, for programs that decode or print entries.
 * xv6's supervisor-register accessors (r_sstatus, w_satp, sfence_vma,
 * intr_on, ...) are left out on purpose: in user mode they are illegal
 * instructions, so a program using them fails to compile instead of
 * being killed. tests/host/test_xv6hdr.c checks the values.
 */
#ifndef XV6_RISCV_H
#define XV6_RISCV_H

#ifndef __ASSEMBLER__
#include "kernel/types.h"

/* A reader for one register: the instruction asm_text copies it into %0. */
#define XV6_REG_READER(name, asm_text)                  \
	static inline uint64 name(void)                 \
	{                                               \
		uint64 x;                               \
		asm volatile(asm_text : "=r"(x));       \
		return x;                               \
	}

/* r_sp: the stack pointer. */
XV6_REG_READER(r_sp, "mv %0, sp")

/*
 * r_fp: the frame pointer (s0). It points at a frame only in code compiled
 * with -fno-omit-frame-pointer, as `make run PROGS=` compiles your
 * programs; libsys and the C library are compiled without frame pointers.
 */
XV6_REG_READER(r_fp, "mv %0, s0")

/* r_ra: the return-address register. */
XV6_REG_READER(r_ra, "mv %0, ra")

/*
 * r_tp: the thread pointer. In xv6's kernel tp holds the hart id; in a
 * user program here it holds the C library's thread-local storage
 * pointer (libsys/tls.c), so there is no w_tp.
 */
XV6_REG_READER(r_tp, "mv %0, tp")

/* r_time: the time counter (user mode may read it; the timebase is 10 MHz on QEMU virt). */
XV6_REG_READER(r_time, "rdtime %0")

typedef uint64 pte_t;
typedef uint64 *pagetable_t;     /* 512 PTEs */
#endif /* __ASSEMBLER__ */

/* 4 KiB pages, as in xv6 (PAGE_SIZE, PAGE_SHIFT in abi/syscall.h). */
#define PGSIZE  4096
#define PGSHIFT 12

/* Round a size up, or an address down, to a page boundary. */
#define PGROUNDUP(sz)  (((sz) + PGSIZE - 1) & ~(PGSIZE - 1))
#define PGROUNDDOWN(a) ((a) & ~(PGSIZE - 1))

/*
 * Sv39 page-table entry: flag bits 0-9 (valid, read, write, execute,
 * user, global, accessed, dirty, two for software), then the physical
 * page number from bit 10.
 */
#define PTE_V (1L << 0)
#define PTE_R (1L << 1)
#define PTE_W (1L << 2)
#define PTE_X (1L << 3)
#define PTE_U (1L << 4)

#define PA2PTE(pa)     (((uint64)(pa) >> PGSHIFT) << 10)
#define PTE2PA(pte)    (((pte) >> 10) << PGSHIFT)
#define PTE_FLAGS(pte) ((pte) & 0x3FF)

/* The 9-bit page-table index of va at a level (2 is the root table's, 0 the leaf's). */
#define PXMASK         0x1FF
#define PXSHIFT(level) (PGSHIFT + 9 * (level))
#define PX(level, va)  (((uint64)(va) >> PXSHIFT(level)) & PXMASK)

/*
 * One past the highest user virtual address: 256 GiB, as in xv6 (Sv39
 * reaches 512 GiB; staying below bit 38 avoids sign-extended addresses).
 * It is USER_TOP here; user space is [4 GiB, MAXVA), the first 4 GiB
 * (devices, RAM) being the kernel's.
 */
#define MAXVA (1L << 38)

#endif
