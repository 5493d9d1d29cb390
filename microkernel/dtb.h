/*
 * Flattened device tree (FDT/DTB) parser: extracts the few facts the kernel
 * needs from the blob the boot firmware (or QEMU) passes in a1.
 */
#ifndef DTB_H
#define DTB_H

#include <stdint.h>

#define DTB_MAX_VIRTIO 8
#define DTB_ARGS_MAX 256

struct dtb_virtio { uint64_t base, size; uint32_t irq; };

struct dtb_info {
	uint64_t mem_base, mem_size;     /* first /memory node's first reg range */
	uint32_t harts;                  /* count of /cpus/cpu@* nodes */
	uint64_t timebase_hz;            /* /cpus timebase-frequency */
	uint64_t uart_base;              /* compatible "ns16550a" reg base, 0 if none */
	uint32_t uart_irq;               /* its first "interrupts" cell */
	uint64_t plic_base, plic_size;   /* compatible "riscv,plic0" or "sifive,plic-1.0.0" */
	uint32_t nvirtio;
	struct dtb_virtio virtio[DTB_MAX_VIRTIO]; /* compatible "virtio,mmio", in address order (ascending base) */
	char bootargs[DTB_ARGS_MAX];     /* /chosen bootargs, NUL-terminated, truncated safely, "" if none */
};

/* Parse the FDT at fdt; fill *out. Returns 0, or a negative number if the blob is malformed. */
int dtb_parse(const void *fdt, uint64_t max_size, struct dtb_info *out);

#endif
