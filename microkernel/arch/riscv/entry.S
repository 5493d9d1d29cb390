/*
 * Boot entry and the trap path.
 *
 * The kernel runs on one kernel stack and keeps no state on it across a
 * trap. A trap from user mode saves the user registers into the current
 * thread's frame (sscratch holds its address while user code runs), the C
 * handler picks the thread to run next, and the frame of that thread is
 * restored and sret returns to user mode.
 *
 * Registers the kernel's C code preserves by the calling convention (s0
 * to s11, and gp and tp, which it never touches) are saved lazily: only
 * when the trap switches to another thread are they stored in the frame
 * of the thread that trapped and loaded from the frame of the next one.
 * A trap that returns to the same thread (most system calls) saves and
 * restores just the other seventeen. So the frame of a thread that is not
 * running is always complete, and the kernel only reads or writes frames
 * of threads that are not running.
 *
 * Frame layout (struct frame in kernel.h): word i holds register xi;
 * word 0, where x0 would be, holds the pc.
 */
#define FRAME_PC 0
#define FRAME_A0 80
#define ENTRY_FRAME_SLOT 16     /* kernel stack bytes above the C code's: the trapped frame */
#define THREAD_CPU 256          /* SMP: struct thread's cpu, after the frame */
#define CPU_CURRENT 0           /* SMP: struct cpu */
#define CPU_KSTACK 8
#define CPU_IN_USER 16
#define CPU_SATP 24
#define CPU_LEAVING 32

/*
 * The SMP kernel (-DSMP) saves and restores every register on every trap
 * (no lazy registers: a thread may resume on another hart), keeps tp
 * pointing at the hart's struct cpu while in the kernel, stays on the
 * trapped thread's page table (the kernel is mapped, global, in every
 * space; switching would cost QEMU a TLB flush), and releases the big
 * kernel lock just before it restores the user registers (smp.c).
 */

	.section .text.boot
	.globl _start
/* OpenSBI enters here in S-mode: a0 = hart id, a1 = device-tree address. */
_start:
	la sp, boot_stack_top
	csrw sscratch, zero
	la t0, bss_start
	la t1, bss_end
2:	bgeu t0, t1, 3f
	sd zero, 0(t0)
	addi t0, t0, 8
	j 2b
3:	call kmain
1:	wfi
	j 1b

#ifdef SMP
	.globl secondary_entry
/* SBI HSM starts another hart here: a0 = hart id, a1 = its struct cpu. */
secondary_entry:
	mv tp, a1
	ld sp, CPU_KSTACK(tp)
	csrw sscratch, zero
	call hart_main
1:	wfi
	j 1b
#endif

	.section .text.hot, "ax"
	.align 4
	.globl trap_entry
/* Save the registers the C code may clobber into the current frame and call trap_handler. */
trap_entry:
	csrrw a0, sscratch, a0
	sd ra, 8(a0)
	sd sp, 16(a0)
	sd t0, 40(a0)
	sd t1, 48(a0)
	sd t2, 56(a0)
	sd a1, 88(a0)
	sd a2, 96(a0)
	sd a3, 104(a0)
	sd a4, 112(a0)
	sd a5, 120(a0)
	sd a6, 128(a0)
	sd a7, 136(a0)
	sd t3, 224(a0)
	sd t4, 232(a0)
	sd t5, 240(a0)
	sd t6, 248(a0)
	csrr t0, sscratch
	sd t0, FRAME_A0(a0)
	csrr t0, sepc
	sd t0, FRAME_PC(a0)
#ifdef SMP
	sd gp, 24(a0)
	sd tp, 32(a0)
	sd s0, 64(a0)
	sd s1, 72(a0)
	sd s2, 144(a0)
	sd s3, 152(a0)
	sd s4, 160(a0)
	sd s5, 168(a0)
	sd s6, 176(a0)
	sd s7, 184(a0)
	sd s8, 192(a0)
	sd s9, 200(a0)
	sd s10, 208(a0)
	sd s11, 216(a0)
	ld tp, THREAD_CPU(a0)
	fence rw, w                     /* the frame is complete before the hart says it left user mode */
	sw zero, CPU_IN_USER(tp)
	ld sp, CPU_KSTACK(tp)
	call trap_handler               /* takes the lock */
	call schedule
	ld a0, CPU_CURRENT(tp)
	j trap_resume
#else
	la sp, boot_stack_top - ENTRY_FRAME_SLOT
	sd a0, 0(sp)                    /* the trapped frame, at the top of the kernel stack */
	call trap_handler
	call schedule
	/* Resume current (its frame comes first); if it is another thread, switch the lazy registers. */
	la a0, current
	ld a0, 0(a0)
	ld t1, 0(sp)
	beq a0, t1, trap_resume_partial
	sd gp, 24(t1)
	sd tp, 32(t1)
	sd s0, 64(t1)
	sd s1, 72(t1)
	sd s2, 144(t1)
	sd s3, 152(t1)
	sd s4, 160(t1)
	sd s5, 168(t1)
	sd s6, 176(t1)
	sd s7, 184(t1)
	sd s8, 192(t1)
	sd s9, 200(t1)
	sd s10, 208(t1)
	sd s11, 216(t1)
	j trap_resume
#endif

	.globl trap_resume
/* Return to user mode with every register of the frame in a0. */
trap_resume:
	ld gp, 24(a0)
#ifndef SMP
	ld tp, 32(a0)
#endif
	ld s0, 64(a0)
	ld s1, 72(a0)
	ld s2, 144(a0)
	ld s3, 152(a0)
	ld s4, 160(a0)
	ld s5, 168(a0)
	ld s6, 176(a0)
	ld s7, 184(a0)
	ld s8, 192(a0)
	ld s9, 200(a0)
	ld s10, 208(a0)
	ld s11, 216(a0)
/* Return to user mode with the frame in a0; the lazy registers are already in place. */
trap_resume_partial:
#ifdef SMP
	li t0, 1
	sw t0, CPU_IN_USER(tp)
	addi sp, sp, -16
	sd a0, 0(sp)
	call kernel_unlock              /* C: preserves s0-s11; gp and tp it never touches */
	ld a0, 0(sp)
	addi sp, sp, 16
	ld t0, CPU_SATP(tp)             /* the thread's table, if the trap changed threads to another space */
	beqz t0, 1f
	csrw satp, t0
	sd zero, CPU_SATP(tp)
	sd zero, CPU_LEAVING(tp)        /* the space it left may go now */
1:
#endif
	csrw sscratch, a0
	ld t0, FRAME_PC(a0)
	csrw sepc, t0
	ld ra, 8(a0)
	ld sp, 16(a0)
	ld t0, 40(a0)
	ld t1, 48(a0)
	ld t2, 56(a0)
	ld a1, 88(a0)
	ld a2, 96(a0)
	ld a3, 104(a0)
	ld a4, 112(a0)
	ld a5, 120(a0)
	ld a6, 128(a0)
	ld a7, 136(a0)
	ld t3, 224(a0)
	ld t4, 232(a0)
	ld t5, 240(a0)
	ld t6, 248(a0)
#ifdef SMP
	ld tp, 32(a0)
#endif
	ld a0, FRAME_A0(a0)
	sret

	.section .kstack, "aw", @nobits
	.align 12
boot_stack:
	.space 16384
	.globl boot_stack_top
boot_stack_top:
