/*
 * The swap disk: the second virtio-mmio slot, driven by the pager itself
 * (servers/drivers/virtio_blk.c), so that paging never depends on the fs
 * server, which may itself be waiting on the pager. A page is one slot of
 * PAGE_SIZE bytes; a slot has a reference count, since fork shares a
 * swapped-out page between parent and child until one of them reads it
 * back. While the pager waits for the disk, notifications other than the
 * disk's (the timer's) are kept for the main loop.
 */
#include <string.h>
#include "pager.h"
#include "sys.h"
#include "virtio_blk.h"
#include "abi/bootinfo.h"

#define MAX_SWAP_SLOTS 32768            /* 128 MiB of swap at most */
#define SECTOR_SIZE 512
#define MAX_DRIVER_PAGES 8              /* DMA pages the driver may take */

static struct vblk disk;
static uint64_t slots, used, next_free, pending_bits;
static uint16_t slot_refs[MAX_SWAP_SLOTS];
static uint16_t slot_found[MAX_SWAP_SLOTS];     /* the checker's count of references found */
static uint64_t bad_unrefs;                     /* unrefs of free slots, until the checker reports them */
static uint64_t driver_pages[MAX_DRIVER_PAGES]; /* the driver's frames, which the pager holds for good */
static int driver_count;

/* A pinned DMA page for the driver: one of the pager's own frames. */
static int dma_page(void **va, uint64_t *pa)
{
	*pa = driver_count < MAX_DRIVER_PAGES ? frame_alloc() : 0;
	*va = *pa ? frame_ptr(*pa) : NULL;
	if (*pa)
		driver_pages[driver_count++] = *pa;
	return *pa ? 0 : -E_NOMEM;
}

static const struct vblk_env env = { dma_page, &pending_bits };

/* The device in virtio slot n, from the boot information, or NULL. */
static const struct boot_device *virtio_slot(uint32_t n)
{
	for (uint64_t i = 0; i < bootinfo->ndevices && i < BOOT_MAX_DEVICES; i++)
		if (bootinfo->devices[i].kind == DEVICE_VIRTIO_MMIO && n-- == 0)
			return &bootinfo->devices[i];
	return NULL;
}

/* Find and start the swap disk; 0, or an error (there is then no swap). */
int swap_init(void)
{
	const struct boot_device *d = virtio_slot(SWAP_SLOT);
	if (!d)
		return -E_NOENT;
	uint64_t base = PAGE_DOWN(d->base), pages = PAGE_UP(d->base + d->size - base) / PAGE_SIZE;
	long err = sys_map((long)root_space, ROOT_DEVICE_VA, base, RIGHT_R | RIGHT_W, pages);
	if (!err)
		err = sys_irq_bind(d->irq, pager_tid, 1UL << d->irq);
	if (!err)
		err = vblk_init(&disk, (volatile void *)(ROOT_DEVICE_VA + (d->base - base)), d->irq, &env);
	if (err)
		return (int)err;
	slots = vblk_sectors(&disk) / (PAGE_SIZE / SECTOR_SIZE);
	slots = slots > MAX_SWAP_SLOTS ? MAX_SWAP_SLOTS : slots;
	return 0;
}

/* Write frame pa to a free slot; 0 (and *slot) or an error. */
int swap_out(uint64_t pa, uint64_t *slot)
{
	if (used == slots)
		return -E_NOMEM;
	while (slot_refs[next_free])
		next_free = (next_free + 1) % slots;
	int err = vblk_write(&disk, next_free * (PAGE_SIZE / SECTOR_SIZE), frame_ptr(pa), PAGE_SIZE);
	if (err)
		return err;
	*slot = next_free;
	slot_refs[next_free] = 1;
	used++;
	return 0;
}

/* Read slot into frame pa. */
int swap_in(uint64_t slot, uint64_t pa)
{
	return vblk_read(&disk, slot * (PAGE_SIZE / SECTOR_SIZE), frame_ptr(pa), PAGE_SIZE);
}

/* One more page entry refers to slot (fork). */
void swap_ref(uint64_t slot)
{
	slot_refs[slot]++;
}

/* One page entry fewer refers to slot; free it with the last. */
void swap_unref(uint64_t slot)
{
	if (slot >= slots || !slot_refs[slot])
		bad_unrefs++;               /* the checker reports it */
	else if (--slot_refs[slot] == 0)
		used--;
}

/* Slots in use. */
uint64_t swap_used(void)
{
	return used;
}

/* Slots in all (0 without a swap disk). */
uint64_t swap_total(void)
{
	return slots;
}

/* Notification bits that arrived while waiting for the disk (and forget them). */
uint64_t swap_take_pending(void)
{
	uint64_t bits = pending_bits;
	pending_bits = 0;
	return bits;
}

/* Checker: forget the slot references found so far; count the driver's frames as found. */
void swap_check_begin(void)
{
	memset(slot_found, 0, sizeof(slot_found));
	for (int i = 0; i < driver_count; i++)
		frames_check_found(driver_pages[i]);
}

/* Checker: one more page record names slot; 0, or -1 if there is no such slot. */
int swap_check_found(uint64_t slot)
{
	if (slot >= slots)
		return -1;
	slot_found[slot]++;
	return 0;
}

/* Checker: every slot's count against the records found, the count of slots used, double unrefs. */
void swap_check_end(check_report_fn report)
{
	uint64_t in_use = 0;
	for (uint64_t s = 0; s < slots; s++) {
		if (slot_refs[s] != slot_found[s])
			report("swap slot %lu has %u references; %u found", (unsigned long)s, slot_refs[s],
			       slot_found[s]);
		in_use += slot_refs[s] != 0;
	}
	if (in_use != used)
		report("%lu swap slots are in use; the count says %lu", (unsigned long)in_use, (unsigned long)used);
	if (bad_unrefs)
		report("%lu unrefs of swap slots that were already free", (unsigned long)bad_unrefs);
	bad_unrefs = 0;
}
