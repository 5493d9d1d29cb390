/*
 * Grants to servers: the pager owns device memory and RAM, and hands a
 * driver (a process started with p->system) the pages of one device from
 * the boot information, the device's interrupt as a notification, and
 * pinned pages whose physical addresses it may give the device for DMA.
 * Only servers may ask (the request table, requests.c, says so).
 */
#include "pager.h"
#include "sys.h"
#include "abi/bootinfo.h"

#define MAX_DEVICE_PAGES 16

const struct bootinfo *bootinfo;

/* The n-th device of a kind in the boot information, or NULL. */
static const struct boot_device *find_device(uint32_t kind, uint32_t n)
{
	for (uint64_t i = 0; i < bootinfo->ndevices && i < BOOT_MAX_DEVICES; i++)
		if (bootinfo->devices[i].kind == kind && n-- == 0)
			return &bootinfo->devices[i];
	return NULL;
}

/* Map the n-th device of a kind into server p and bind its irq; its va, or an error. */
int64_t device_grant(struct proc *p, uint32_t kind, uint32_t n, uint64_t *irq)
{
	const struct boot_device *d = find_device(kind, n);
	if (kind == DEVICE_VIRTIO_MMIO && n == SWAP_SLOT && swap_total())
		return -E_PERM;              /* the swap disk is the pager's own */
	uint64_t base = PAGE_DOWN(d ? d->base : 0), pages = d ? PAGE_UP(d->base + d->size - base) / PAGE_SIZE : 0;
	if (!d || pages > MAX_DEVICE_PAGES || d->irq >= NOTIFY_BITS - 1 ||
	    p->devices >= (int)(PAGE_SIZE / MAX_DEVICE_PAGES))
		return -E_NOENT;
	uint64_t va = PROC_DEVICE_VA + (uint64_t)p->devices * MAX_DEVICE_PAGES * PAGE_SIZE;
	long err = sys_map((long)p->space, va, base, RIGHT_R | RIGHT_W, pages);
	if (!err)
		err = sys_irq_bind(d->irq, p->tid, 1UL << d->irq);
	if (err)
		return err;
	p->devices++;
	*irq = d->irq;
	return (int64_t)(va + (d->base - base));
}

/* Give server p one pinned page for DMA; its va (and *pa), or an error. */
int64_t dma_grant(struct proc *p, uint64_t *pa)
{
	if (p->dma_pages >= PROC_DMA_PAGES)
		return -E_NOMEM;
	uint64_t va = PROC_DMA_VA + (uint64_t)p->dma_pages * PAGE_SIZE;
	*pa = frame_alloc();
	if (!*pa)
		return -E_NOMEM;
	int err = proc_map_page(p, va, *pa, RIGHT_R | RIGHT_W);
	if (err) {
		frame_unref(*pa);
		return err;
	}
	p->dma_pages++;
	return (int64_t)va;
}
