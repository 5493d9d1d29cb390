/*
 * The boot-information page the kernel hands to the root task (the pager),
 * and the layout of the root task's address space.
 *
 * Root task address space:
 *
 *   USER_BASE              pager image (text, data, bss) from its ELF
 *   ROOT_BOOTINFO_VA       this page, read-only
 *   ROOT_STACK_TOP         top of the pager's stack (ROOT_STACK_PAGES)
 *   ROOT_DEVICE_VA         the swap disk's registers, mapped by the pager
 *   ROOT_WINDOW_VA         every frame the pager owns, read-write:
 *                          va = ROOT_WINDOW_VA + (pa - ram_base)
 */
#ifndef ABI_BOOTINFO_H
#define ABI_BOOTINFO_H

#include <stdint.h>

#define BOOTINFO_MAGIC   0x4f464e49544f4f42UL   /* "BOOTINFO" */
#define ROOT_BOOTINFO_VA 0x1000000000UL         /* 64 GiB  */
#define ROOT_STACK_TOP   0x1100000000UL
#define ROOT_STACK_PAGES 16
#define ROOT_DEVICE_VA   0x1800000000UL         /* devices the pager drives itself */
#define ROOT_WINDOW_VA   0x2000000000UL         /* 128 GiB */

#define BOOT_MAX_RANGES  8
#define BOOT_MAX_DEVICES 10      /* the UART and the 8 virtio-mmio slots of QEMU virt */
#define BOOT_ARGS_MAX    256

/* A run of physical frames. */
struct boot_range {
	uint64_t base;         /* physical address, page aligned */
	uint64_t pages;
};

/* A memory-mapped device and its interrupt. */
struct boot_device {
	uint64_t base, size;
	uint32_t irq;
	uint32_t kind;         /* enum boot_device_kind */
};

enum boot_device_kind { DEVICE_VIRTIO_MMIO = 1, DEVICE_UART = 2 };

struct bootinfo {
	uint64_t magic;
	uint64_t ram_base, ram_size;       /* all of RAM */
	uint64_t harts;
	uint64_t root_space, root_tid;     /* the pager's own ids */
	uint64_t owned_base, owned_pages;  /* frames the pager owns (window) */
	uint64_t nfree;
	struct boot_range free[BOOT_MAX_RANGES];  /* owned and unused */
	uint64_t archive_pa, archive_size; /* boot archive, in owned frames */
	uint64_t ndevices;
	struct boot_device devices[BOOT_MAX_DEVICES];
	uint64_t timebase_hz;
	char args[BOOT_ARGS_MAX];          /* -append string */
};

_Static_assert(sizeof(struct bootinfo) <= 4096, "bootinfo fits one page");

/*
 * Boot archive: the programs the kernel image carries. A header, then
 * entries, then file data; all offsets from the archive start.
 */
#define ARCHIVE_MAGIC    0x4843524142494b4dUL   /* "MKIBARCH" */
#define ARCHIVE_NAME_MAX 32

struct archive_entry {
	char name[ARCHIVE_NAME_MAX];   /* NUL terminated */
	uint64_t offset, size;
};

struct archive_header {
	uint64_t magic;
	uint64_t count;
	struct archive_entry entries[];
};

_Static_assert(sizeof(struct archive_entry) == 48, "mkarchive writes 48-byte entries");

#endif
