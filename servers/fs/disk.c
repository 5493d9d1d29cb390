/*
 * The block device under the file system: the first virtio-mmio slot,
 * driven by servers/drivers/virtio_blk.c. The pager grants the device
 * pages, its interrupt and pinned DMA pages. A disk interrupt is waited
 * for with a notification-only receive; other notifications that arrive
 * meanwhile (the console's) are kept for the main loop.
 */
#include "fsserver.h"
#include "blk.h"
#include "sys.h"
#include "virtio_blk.h"

#define SECTOR_SIZE 512

static struct vblk disk;
static uint64_t pending_bits;

/* A pinned DMA page from the pager. */
static int dma_page(void **va, uint64_t *pa)
{
	struct msg m = msg_make(PAGER_DMA_PAGE, 0, 0, 0, 0);
	long r = pager_request(&m, NULL, 0);
	if (r < 0)
		return (int)r;
	*va = (void *)r;
	*pa = m.w[1];
	return 0;
}

static const struct vblk_env env = { dma_page, &pending_bits };

/* Find the disk in virtio-mmio slot `slot`; its size in fs blocks. 0 or an error. */
int disk_init(uint32_t slot, uint32_t *blocks, uint64_t *irq_bit)
{
	struct msg m = msg_make(PAGER_MAP_DEVICE, DEVICE_VIRTIO_MMIO, slot, 0, 0);
	long va = pager_request(&m, NULL, 0);
	if (va < 0)
		return (int)va;
	int err = vblk_init(&disk, (volatile void *)va, (uint32_t)m.w[1], &env);
	if (err)
		return err;
	*irq_bit = 1UL << m.w[1];
	uint64_t n = vblk_sectors(&disk) / (BLOCK_SIZE / SECTOR_SIZE);
	*blocks = n > MAX_FS_BLOCKS ? MAX_FS_BLOCKS : (uint32_t)n;
	return 0;
}

/* Notification bits that arrived while waiting for the disk (and forget them). */
uint64_t disk_take_pending(void)
{
	uint64_t bits = pending_bits;
	pending_bits = 0;
	return bits;
}

/* Read one file-system block. */
int blk_read(uint32_t blockno, void *buf)
{
	return vblk_read(&disk, (uint64_t)blockno * (BLOCK_SIZE / SECTOR_SIZE), buf, BLOCK_SIZE);
}

/* Write one file-system block. */
int blk_write(uint32_t blockno, const void *buf)
{
	return vblk_write(&disk, (uint64_t)blockno * (BLOCK_SIZE / SECTOR_SIZE), buf, BLOCK_SIZE);
}
