/*
 * The memory layout (kernel/memlayout.h) with this system's addresses,
 * for xv6 programs that name them (usertests reads KERNBASE, writes
 * TRAPFRAME and TRAMPOLINE, and expects to be killed).
 *
 * Physical memory, QEMU virt with the default 128 MiB (make qemu MEM=):
 *
 *   0x0c000000  PLIC
 *   0x10000000  UART0 (16550)
 *   0x10001000  VIRTIO0, the file-system disk; VIRTIO1 the swap disk
 *   0x80000000  RAM: OpenSBI, the firmware, in the first 2 MiB
 *   0x80200000  KERNBASE: the kernel image and its boot archive, then
 *               the frame-ownership table and the kernel's page pool
 *               (1/16 of RAM); every frame above belongs to the pager
 *   0x88000000  PHYSTOP, the end of RAM
 *
 * The kernel finds RAM and devices in the device tree; these are the
 * addresses QEMU's virt machine gives them. All of it is mapped in every
 * address space without the user bit: a program that touches it is
 * killed.
 *
 * A program's address space (include/abi/pager.h):
 *
 *   0x0000000000  not user memory (the kernel's, as above)
 *   0x0100000000  the program image (USER_BASE), then the heap up to
 *                 the break, which sbrk may raise to 0x3000000000
 *   0x3000000000  files mapped with mmap
 *   0x3effff0000  the stack, USERSTACK pages, under 0x3f00000000, with
 *                 an unmapped guard page below it
 *   0x3f80000000  device and DMA pages (servers only)
 *   0x3fffffe000  TRAPFRAME, 0x3ffffff000 TRAMPOLINE: never mapped here
 *   0x4000000000  MAXVA
 *
 * tests/host/test_xv6hdr.c checks these against the kernel, the pager and
 * QEMU virt's device tree.
 */
#ifndef XV6_MEMLAYOUT_H
#define XV6_MEMLAYOUT_H

/* Devices of QEMU virt (user programs cannot map them). */
#define PLIC        0x0c000000L
#define UART0       0x10000000L
#define UART0_IRQ   10
#define VIRTIO0     0x10001000L
#define VIRTIO0_IRQ 1
#define VIRTIO1     0x10002000L
#define VIRTIO1_IRQ 2

/*
 * Where the kernel is loaded. xv6 runs without firmware and loads at
 * 0x80000000, the start of RAM; here OpenSBI is there and the kernel
 * starts 2 MiB higher.
 */
#define KERNBASE 0x80200000L

/* The end of RAM for the default 128 MiB at 0x80000000 (the same address as xv6's). */
#define PHYSTOP (0x80000000L + 128 * 1024 * 1024)

/*
 * xv6 maps its trampoline and each process's trap frame in the top two
 * pages of user space. This system maps neither: traps enter the kernel
 * in kernel memory and registers are saved in the kernel's thread
 * records. The names keep xv6's addresses, which no program here has
 * mapped (a touch kills it, as in xv6). Unlike xv6, the heap does not
 * grow up to TRAPFRAME: sbrk fails above 0x3000000000.
 */
#define TRAMPOLINE 0x3ffffff000L   /* MAXVA - PGSIZE */
#define TRAPFRAME  0x3fffffe000L   /* TRAMPOLINE - PGSIZE */

#endif
