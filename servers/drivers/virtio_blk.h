/*
 * A virtio-blk driver over virtio-mmio version 2 (virtio 1.x "modern"),
 * for a program that owns the device: the fs server, or the pager for a
 * swap disk. It keeps one split virtqueue of VBLK_QUEUE_SIZE descriptors;
 * a request is a three-descriptor chain (request header, data, status
 * byte), submitted with an MMIO notify and finished on the device's
 * interrupt. It is driven one of two ways, never both on one device:
 *
 *   synchronously (vblk_read, vblk_write): one request in flight, its data
 *   through a bounce page the driver owns; a call returns only when the
 *   transfer is done (the fs server);
 *
 *   asynchronously (vblk_start, vblk_finished, vblk_irq_ack): up to
 *   VBLK_REQUESTS requests in flight, each with its data at a physical
 *   address the host gives (its own frame: no copy); the host takes the
 *   finished ones when the device's interrupt arrives (the pager's swap).
 *
 * There are no globals: all state is in struct vblk. The host program
 * gives DMA pages (struct vblk_env) and a word where the driver keeps the
 * notification bits that arrive while it waits for its interrupt and are
 * not its own (the host's main loop handles them later). A notification
 * for the device that the host receives anywhere else (in its main
 * receive loop, between requests) may simply be dropped.
 */
#ifndef DRIVERS_VIRTIO_BLK_H
#define DRIVERS_VIRTIO_BLK_H

#include <stdint.h>

#define VBLK_SECTOR_SIZE 512           /* virtio-blk always counts 512-byte sectors */
#define VBLK_MAX_BYTES   4096          /* largest transfer: one bounce page */
#define VBLK_QUEUE_SIZE  32            /* descriptors in the queue (a power of 2) */
#define VBLK_REQUESTS    (VBLK_QUEUE_SIZE / 3)   /* requests in flight at most: three descriptors each */

/* Ring layouts, defined in virtio_blk.c. */
struct virtq_desc;
struct virtq_avail;
struct virtq_used;
struct vblk_req;

/* Services the driver needs from its host program. */
struct vblk_env {
	/* Get one pinned, zeroed page for DMA: its va and physical address; 0 or a negative error. */
	int (*dma_page)(void **va, uint64_t *pa);
	/* Where to keep other notification bits that arrive while the driver waits. */
	uint64_t *other_bits;
};

/* One virtio-blk device. The fields are the driver's; callers only embed it. */
struct vblk {
	volatile uint32_t *regs;               /* the MMIO register window */
	uint32_t irq;
	struct vblk_env env;                   /* a copy of the host's services */
	struct virtq_desc *desc;               /* descriptor table (own page) */
	volatile struct virtq_avail *avail;    /* driver area: available ring (own page) */
	volatile struct virtq_used *used;      /* device area: used ring (own page) */
	volatile struct vblk_req *req;         /* request header and status byte (own page) */
	uint8_t *bounce;                       /* data page, VBLK_MAX_BYTES */
	uint64_t desc_pa, avail_pa, used_pa, req_pa, bounce_pa;
	uint16_t avail_idx;                    /* requests made available so far */
	uint16_t used_idx;                     /* completions taken so far */
	uint64_t capacity;                     /* in VBLK_SECTOR_SIZE sectors */
	uint32_t busy;                         /* asynchronous requests in flight, a bit per id */
};

/*
 * Bring up the device at mmio (interrupt irq) and read its capacity; 0,
 * -E_NOENT if no block device is there (wrong magic, version != 2, or
 * DeviceID != 2, as in an empty slot), -E_INVAL if feature negotiation
 * fails, -E_FAULT if the device fails, or dma_page's error. Call once per
 * device: the DMA pages are not given back.
 */
int vblk_init(struct vblk *d, volatile void *mmio, uint32_t irq, const struct vblk_env *env);

/* The capacity in 512-byte sectors. */
uint64_t vblk_sectors(const struct vblk *d);

/*
 * Read bytes (a multiple of 512, at most VBLK_MAX_BYTES) from sector on
 * into buf; 0, -E_INVAL for a bad length, -E_RANGE past the end, -E_FAULT
 * if the device reports an error or needs a reset.
 */
int vblk_read(struct vblk *d, uint64_t sector, void *buf, uint32_t bytes);

/* Write bytes from buf at sector; errors as vblk_read. Done means on the device. */
int vblk_write(struct vblk *d, uint64_t sector, const void *buf, uint32_t bytes);

/*
 * Start a request without waiting: read bytes at sector into the memory
 * at physical address pa (write: from it to the disk). The memory must
 * stay the host's, untouched by anyone else, until the request finishes.
 * Its id (0 <= id < VBLK_REQUESTS), -E_BUSY when VBLK_REQUESTS are in
 * flight, or an error as vblk_read.
 */
int vblk_start(struct vblk *d, int write, uint64_t sector, uint64_t pa, uint32_t bytes);

/*
 * Take one finished request: its id, with *status 0 or -E_FAULT (the
 * device reported an error); -1 when none is left to take. After the
 * device's interrupt call vblk_irq_ack first, then this until -1.
 */
int vblk_finished(struct vblk *d, int *status);

/* The device's interrupt arrived: acknowledge it (device, then PLIC) so that the next one comes. */
void vblk_irq_ack(struct vblk *d);

/* Has the device failed or asked for a reset? Its requests in flight will then never finish. */
int vblk_broken(const struct vblk *d);

#endif
