/*
 * Starting the root task. The kernel image carries a boot archive; the
 * kernel copies it into user frames, loads the archive's "pager" ELF into
 * a fresh address space, maps a boot-information page, a stack and a
 * window onto every frame the pager owns, and makes the pager's thread.
 * From then on all user memory is the pager's to hand out.
 */
#include "kernel.h"
#include "dtb.h"
#include "elf.h"
#include "abi/bootinfo.h"

#define ROOT_IMAGE "pager"

static uint64_t next_frame, frames_end;

/* Take the next free user frame during boot, zeroed. */
static uint64_t boot_frame(void)
{
	if (next_frame >= frames_end)
		panic("boot: out of frames for the root task");
	uint64_t pa = next_frame;
	next_frame += PAGE_SIZE;
	memset((void *)pa, 0, PAGE_SIZE);
	return pa;
}

/* Map a boot-time frame; boot mappings cannot fail except by pool exhaustion. */
static void boot_map(struct space *s, uint64_t va, uint64_t pa, uint64_t rights)
{
	if (space_map(s, va, pa, rights))
		panic("boot: kernel pool too small for the root task");
}

/* Find a named file in the archive; 0 if absent. */
static const struct archive_entry *archive_find(const struct archive_header *a, uint64_t size,
                                                const char *name)
{
	if (size < sizeof(*a) || a->magic != ARCHIVE_MAGIC ||
	    a->count > (size - sizeof(*a)) / sizeof(struct archive_entry))
		return 0;
	for (uint64_t i = 0; i < a->count; i++) {
		const struct archive_entry *e = &a->entries[i];
		if (kstrncmp(e->name, name, ARCHIVE_NAME_MAX) == 0 && e->offset <= size &&
		    e->size <= size - e->offset)
			return e;
	}
	return 0;
}

/* Load every PT_LOAD segment of a checked ELF into s; return the entry point. */
static uint64_t load_elf(struct space *s, const void *image, uint64_t size)
{
	const struct elf_header *h = elf_check(image, size, USER_BASE, ROOT_BOOTINFO_VA, PAGE_SIZE);
	if (!h)
		panic("boot: the pager is not a loadable RISC-V ELF");
	for (int i = 0; i < h->phnum; i++) {
		const struct elf_phdr *ph = elf_phdr(h, i);
		if (ph->type != PT_LOAD)
			continue;
		for (uint64_t off = 0; off < ph->memsz; off += PAGE_SIZE) {
			uint64_t pa = boot_frame();
			if (off < ph->filesz) {
				uint64_t n = ph->filesz - off < PAGE_SIZE ? ph->filesz - off : PAGE_SIZE;
				memcpy((void *)pa, (const char *)image + ph->offset + off, n);
			}
			boot_map(s, ph->vaddr + off, pa, elf_rights(ph->flags));
		}
	}
	return h->entry;
}

/* List a device in the boot-information page, if there is room. */
static void add_device(struct bootinfo *bi, uint64_t base, uint64_t size, uint32_t irq, uint32_t kind)
{
	if (bi->ndevices == BOOT_MAX_DEVICES)
		return;
	struct boot_device *d = &bi->devices[bi->ndevices++];
	d->base = base;
	d->size = size;
	d->irq = irq;
	d->kind = kind;
}

/* Fill the boot-information page. */
static void fill_bootinfo(struct bootinfo *bi, const struct dtb_info *dtb, struct space *s,
                          uint64_t owned_lo, uint64_t archive_pa, uint64_t archive_size)
{
	bi->magic = BOOTINFO_MAGIC;
	bi->ram_base = dtb->mem_base;
	bi->ram_size = dtb->mem_size;
	bi->harts = dtb->harts < MAX_HARTS ? dtb->harts : MAX_HARTS;   /* the harts this kernel runs on */
	bi->timebase_hz = dtb->timebase_hz;
	bi->root_space = s->id;
	bi->owned_base = owned_lo;
	bi->owned_pages = (frames_end - owned_lo) / PAGE_SIZE;
	bi->nfree = 1;
	bi->free[0].base = next_frame;
	bi->free[0].pages = (frames_end - next_frame) / PAGE_SIZE;
	bi->archive_pa = archive_pa;
	bi->archive_size = archive_size;
	add_device(bi, dtb->uart_base, PAGE_SIZE, dtb->uart_irq, DEVICE_UART);
	for (uint32_t i = 0; i < dtb->nvirtio; i++)
		add_device(bi, dtb->virtio[i].base, dtb->virtio[i].size, dtb->virtio[i].irq,
		           DEVICE_VIRTIO_MMIO);
	memcpy(bi->args, dtb->bootargs, sizeof(bi->args) - 1);
}

/* Create the root task from the archive; user frames are [lo, hi). */
void boot_root(const void *archive, uint64_t archive_size, uint64_t lo, uint64_t hi,
               const struct dtb_info *dtb)
{
	const struct archive_entry *pager = archive_find(archive, archive_size, ROOT_IMAGE);
	if (!pager)
		panic("boot: no pager in the boot archive");
	struct space *s = space_create(TID_KERNEL);
	if (!s)
		panic("boot: no space for the root task");
	frames_give(lo, hi, s);
	next_frame = lo;
	frames_end = hi;

	uint64_t archive_pa = next_frame;
	for (uint64_t off = 0; off < archive_size; off += PAGE_SIZE)
		memcpy((void *)boot_frame(), (const char *)archive + off,
		       archive_size - off < PAGE_SIZE ? archive_size - off : PAGE_SIZE);
	uint64_t entry = load_elf(s, (const char *)archive + pager->offset, pager->size);
	for (uint64_t i = 1; i <= ROOT_STACK_PAGES; i++)
		boot_map(s, ROOT_STACK_TOP - i * PAGE_SIZE, boot_frame(), RIGHT_R | RIGHT_W);
	struct bootinfo *bi = (struct bootinfo *)boot_frame();
	boot_map(s, ROOT_BOOTINFO_VA, (uint64_t)bi, RIGHT_R);
	for (uint64_t pa = lo; pa < hi; pa += PAGE_SIZE)
		boot_map(s, ROOT_WINDOW_VA + (pa - dtb->mem_base), pa, RIGHT_R | RIGHT_W);
	fill_bootinfo(bi, dtb, s, lo, archive_pa, archive_size);

	root_thread = thread_create(s, entry, ROOT_STACK_TOP, ROOT_BOOTINFO_VA);
	bi->root_tid = (uint64_t)root_thread->tid;
	kprintf("kernel: handed %lu of %lu frames to the pager (%lu free)\n",
	        bi->owned_pages, dtb->mem_size / PAGE_SIZE, bi->free[0].pages);
}
