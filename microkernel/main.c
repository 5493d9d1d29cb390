/*
 * Kernel start: read the device tree, print the banner, lay out physical
 * memory (kernel image, ownership table, kernel pool, user frames), turn
 * on paging and traps, start the root task.
 */
#include "kernel.h"
#include "dtb.h"
#include "arch/riscv/riscv.h"

#define DTB_MAX_SIZE (1UL << 20)
#define POOL_MIN_BYTES (4UL << 20)
#define POOL_RAM_FRACTION 16         /* the pool gets 1/16 of RAM, at least 4 MiB */
#define FALLBACK_UART 0x10000000UL   /* QEMU virt, for a panic before the DTB is read */

extern char kernel_end[];            /* kernel.ld: end of image and bss */
extern char archive_start[], archive_end[];
void kmain(uint64_t hartid, uint64_t dtb_pa);

static struct dtb_info dtb;

/* Print the boot banner. */
static void banner(void)
{
	kprintf("microkernel: %lu MiB RAM at %p, %u hart%s, %u virtio device%s\n",
	        dtb.mem_size >> 20, dtb.mem_base, dtb.harts, dtb.harts == 1 ? "" : "s",
	        dtb.nvirtio, dtb.nvirtio == 1 ? "" : "s");
	kprintf("microkernel: boot args \"%s\"\n", dtb.bootargs);
}

/* Boot hart entry from entry.S. */
void kmain(uint64_t hartid, uint64_t dtb_pa)
{
#ifdef SMP
	smp_boot_hart(hartid);
#endif
	if (dtb_parse((const void *)dtb_pa, DTB_MAX_SIZE, &dtb) < 0 || !dtb.uart_base) {
		console_init(FALLBACK_UART);
		panic("kmain: unreadable device tree");
	}
	console_init(dtb.uart_base);
	banner();

	uint64_t ram_end = dtb.mem_base + dtb.mem_size;
	if (ram_end > USER_BASE)
		ram_end = USER_BASE;     /* RAM above 4 GiB would overlap user space */
	uint64_t table = PAGE_ROUND_UP((uint64_t)kernel_end);
	uint64_t table_size = PAGE_ROUND_UP(frames_table_size(dtb.mem_base, ram_end));
	memset((void *)table, 0, table_size);
	frames_init(dtb.mem_base, ram_end, (void *)table);
	uint64_t pool_bytes = dtb.mem_size / POOL_RAM_FRACTION;
	pool_bytes = pool_bytes < POOL_MIN_BYTES ? POOL_MIN_BYTES : pool_bytes;
	uint64_t pool_end = table + table_size + PAGE_ROUND_UP(pool_bytes);
	if (pool_end >= ram_end)
		panic("kmain: not enough RAM for the kernel pool");
	pool_init(table + table_size, pool_end);
	frames_add_device(dtb.uart_base, PAGE_SIZE);
	for (uint32_t i = 0; i < dtb.nvirtio; i++)
		frames_add_device(dtb.virtio[i].base, dtb.virtio[i].size);

	space_init(dtb.mem_base, ram_end, dtb.uart_base, dtb.plic_base);
	thread_init();
	irq_init(dtb.plic_base, hartid);
	boot_root(archive_start, (uint64_t)(archive_end - archive_start), pool_end, ram_end, &dtb);
	trap_init(dtb.timebase_hz);
#ifdef SMP
	smp_start_harts(hartid, dtb.harts);
	smp_harts_go(hartid, dtb.harts, dtb.timebase_hz);
#endif
	csr_clear(sstatus, SSTATUS_SPP);
	schedule();
	trap_return(current);
}
