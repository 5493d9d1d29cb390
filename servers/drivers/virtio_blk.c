/*
 * virtio-blk over virtio-mmio version 2, written from the virtio 1.x
 * specification ("Virtio Over MMIO", "Split Virtqueues", "Block Device").
 * Start-up follows the spec: reset, ACKNOWLEDGE, DRIVER, accept only
 * VIRTIO_F_VERSION_1, FEATURES_OK (checked), queue 0 with each ring in its
 * own DMA page, DRIVER_OK. A request is the chain header -> data ->
 * status on descriptors 3id..3id+2 (request id's own), with request id's
 * header and status byte at entry id of the request page: put on the
 * available ring, fence, index bumped, fence, QueueNotify. A synchronous
 * call (request 0, data through the bounce page) then waits until the
 * used index has moved *and* the interrupt has been taken (each wake-up
 * acks InterruptStatus, then the PLIC), so a request leaves no claim
 * behind; wake-ups that find nothing new are harmless, and an interrupt
 * raised between requests is acked before the next one. Asynchronous
 * requests (vblk_start) take the lowest free id, carry the host's own
 * physical address as data, and come back through the used ring, whose
 * entries name each chain's head, in whatever order the device finishes
 * them (vblk_finished). All is little-endian.
 */
#include <stddef.h>
#include <string.h>
#include "sys.h"
#include "virtio_blk.h"
#include "abi/syscall.h"

/* virtio-mmio registers (byte offsets from the window's base). */
#define VIRTIO_MMIO_MAGIC_VALUE         0x000
#define VIRTIO_MMIO_VERSION             0x004
#define VIRTIO_MMIO_DEVICE_ID           0x008
#define VIRTIO_MMIO_DEVICE_FEATURES     0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES     0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL           0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX       0x034
#define VIRTIO_MMIO_QUEUE_NUM           0x038
#define VIRTIO_MMIO_QUEUE_READY         0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY        0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS    0x060
#define VIRTIO_MMIO_INTERRUPT_ACK       0x064
#define VIRTIO_MMIO_STATUS              0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW      0x080   /* each _LOW has its _HIGH half 4 bytes on */
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW    0x090
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW    0x0a0
#define VIRTIO_MMIO_CONFIG_GENERATION   0x0fc
#define VIRTIO_MMIO_CONFIG              0x100   /* device-specific configuration */

#define VIRTIO_MMIO_MAGIC   0x74726976          /* "virt" */
#define VIRTIO_MMIO_MODERN  2                   /* Version of a non-legacy transport */
#define VIRTIO_ID_BLOCK     2                   /* DeviceID of a block device */

/* Device status bits. */
#define STATUS_ACKNOWLEDGE 1
#define STATUS_DRIVER      2
#define STATUS_DRIVER_OK   4
#define STATUS_FEATURES_OK 8
#define STATUS_NEEDS_RESET 64
#define STATUS_FAILED      128
#define STATUS_BROKEN      (STATUS_NEEDS_RESET | STATUS_FAILED)

/* InterruptStatus bits (bit 1 is a configuration change). */
#define INT_USED_BUFFER 1

/* Registers are 32 bits wide; a 64-bit value (address, capacity) is two halves. */
#define REG_BITS 32

/* Feature bits come in 32-bit words: VIRTIO_F_VERSION_1 is bit 0 of word 1. */
#define VIRTIO_F_VERSION_1  32
#define FEATURE_WORDS       2

/* Split virtqueue descriptor flags. */
#define VIRTQ_DESC_F_NEXT  1
#define VIRTQ_DESC_F_WRITE 2                    /* device writes this buffer */

/* virtio-blk request types and status values; capacity is config offset 0. */
#define VIRTIO_BLK_T_IN      0
#define VIRTIO_BLK_T_OUT     1
#define VIRTIO_BLK_S_OK      0
#define VBLK_STATUS_PENDING  0xff               /* a value the device never writes */
#define VBLK_CONFIG_CAPACITY 0x00

#define VBLK_QUEUE       0                      /* the request queue */
#define RESET_SPINS      1000000                /* status reads before giving up on a reset */

/* The descriptors of the one request chain. */
enum { DESC_HEADER, DESC_DATA, DESC_STATUS, DESC_CHAIN };

/* The pages the driver takes from dma_page, in order. */
enum { PAGE_DESC, PAGE_AVAIL, PAGE_USED, PAGE_REQ, PAGE_BOUNCE, DMA_PAGES };

/* Split virtqueue layouts: descriptor table, available ring, used ring. */
struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};
struct virtq_avail {
	uint16_t flags, idx;
	uint16_t ring[VBLK_QUEUE_SIZE];
	uint16_t used_event;
};
struct virtq_used_elem {
	uint32_t id, len;
};
struct virtq_used {
	uint16_t flags, idx;
	struct virtq_used_elem ring[VBLK_QUEUE_SIZE];
	uint16_t avail_event;
};

/* The request header the device reads, then the status byte it writes. */
struct vblk_req {
	uint32_t type, reserved;
	uint64_t sector;
	uint8_t status;
};

#define VBLK_HEADER_BYTES offsetof(struct vblk_req, status)
#define VBLK_STATUS_BYTES sizeof(uint8_t)

_Static_assert(sizeof(struct virtq_desc) == 16, "virtq_desc layout");
_Static_assert(offsetof(struct virtq_avail, used_event) == 4 + 2 * VBLK_QUEUE_SIZE, "avail layout");
_Static_assert(offsetof(struct virtq_used, avail_event) == 4 + 8 * VBLK_QUEUE_SIZE, "used layout");
_Static_assert(VBLK_HEADER_BYTES == 16, "virtio_blk request header is 16 bytes");
_Static_assert((VBLK_QUEUE_SIZE & (VBLK_QUEUE_SIZE - 1)) == 0 && VBLK_QUEUE_SIZE >= DESC_CHAIN,
	       "queue size is a power of 2 that holds a chain");
_Static_assert(VBLK_REQUESTS == VBLK_QUEUE_SIZE / DESC_CHAIN && VBLK_REQUESTS <= 32,
	       "the header says how many chains the queue holds; busy has a bit for each");
_Static_assert(VBLK_REQUESTS * sizeof(struct vblk_req) <= 4096, "every request header fits the request page");
_Static_assert(VBLK_MAX_BYTES <= PAGE_SIZE && VBLK_MAX_BYTES % VBLK_SECTOR_SIZE == 0,
	       "a transfer fits the bounce page");
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "virtio 1.x is little-endian");

/* Read the 32-bit register at byte offset off. */
static uint32_t reg_read(const struct vblk *d, uint32_t off)
{
	return d->regs[off / sizeof(uint32_t)];
}

/* Write the 32-bit register at byte offset off. */
static void reg_write(struct vblk *d, uint32_t off, uint32_t value)
{
	d->regs[off / sizeof(uint32_t)] = value;
}

/* Write a 64-bit address to a Low/High register pair. */
static void reg_write64(struct vblk *d, uint32_t low, uint64_t value)
{
	reg_write(d, low, (uint32_t)value);
	reg_write(d, low + sizeof(uint32_t), (uint32_t)(value >> REG_BITS));
}

/* Add bits to the device status. */
static void status_set(struct vblk *d, uint32_t bits)
{
	reg_write(d, VIRTIO_MMIO_STATUS, reg_read(d, VIRTIO_MMIO_STATUS) | bits);
}

/* Give up on the device: mark it FAILED and return err. */
static int vblk_fail(struct vblk *d, int err)
{
	status_set(d, STATUS_FAILED);
	return err;
}

/* Is a modern virtio block device behind the window? 0 or -E_NOENT. */
static int vblk_probe(const struct vblk *d)
{
	return reg_read(d, VIRTIO_MMIO_MAGIC_VALUE) == VIRTIO_MMIO_MAGIC &&
	       reg_read(d, VIRTIO_MMIO_VERSION) == VIRTIO_MMIO_MODERN &&
	       reg_read(d, VIRTIO_MMIO_DEVICE_ID) == VIRTIO_ID_BLOCK ? 0 : -E_NOENT;
}

/* Reset the device and wait until its status reads 0; 0 or -E_FAULT. */
static int vblk_reset(struct vblk *d)
{
	reg_write(d, VIRTIO_MMIO_STATUS, 0);
	for (int i = 0; i < RESET_SPINS; i++)
		if (reg_read(d, VIRTIO_MMIO_STATUS) == 0)
			return 0;
	return -E_FAULT;
}

/* Accept VIRTIO_F_VERSION_1 and nothing else; 0 or -E_INVAL. */
static int vblk_negotiate(struct vblk *d)
{
	uint32_t word = VIRTIO_F_VERSION_1 / REG_BITS;
	uint32_t bit = 1U << (VIRTIO_F_VERSION_1 % REG_BITS);
	reg_write(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, word);
	if (!(reg_read(d, VIRTIO_MMIO_DEVICE_FEATURES) & bit))
		return -E_INVAL;
	for (uint32_t w = 0; w < FEATURE_WORDS; w++) {
		reg_write(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, w);
		reg_write(d, VIRTIO_MMIO_DRIVER_FEATURES, w == word ? bit : 0);
	}
	status_set(d, STATUS_FEATURES_OK);
	return reg_read(d, VIRTIO_MMIO_STATUS) & STATUS_FEATURES_OK ? 0 : -E_INVAL;
}

/* Take the rings, the request page and the bounce page from the host; 0 or its error. */
static int vblk_alloc(struct vblk *d)
{
	void *va[DMA_PAGES];
	uint64_t pa[DMA_PAGES];
	for (int i = 0; i < DMA_PAGES; i++) {
		int err = d->env.dma_page(&va[i], &pa[i]);
		if (err)
			return err;
	}
	d->desc = va[PAGE_DESC], d->desc_pa = pa[PAGE_DESC];
	d->avail = va[PAGE_AVAIL], d->avail_pa = pa[PAGE_AVAIL];
	d->used = va[PAGE_USED], d->used_pa = pa[PAGE_USED];
	d->req = va[PAGE_REQ], d->req_pa = pa[PAGE_REQ];
	d->bounce = va[PAGE_BOUNCE], d->bounce_pa = pa[PAGE_BOUNCE];
	return 0;
}

/* Tell the device where queue 0's rings are and enable it; 0 or -E_FAULT. */
static int vblk_setup_queue(struct vblk *d)
{
	reg_write(d, VIRTIO_MMIO_QUEUE_SEL, VBLK_QUEUE);
	if (reg_read(d, VIRTIO_MMIO_QUEUE_READY) ||
	    reg_read(d, VIRTIO_MMIO_QUEUE_NUM_MAX) < VBLK_QUEUE_SIZE)
		return -E_FAULT;
	reg_write(d, VIRTIO_MMIO_QUEUE_NUM, VBLK_QUEUE_SIZE);
	reg_write64(d, VIRTIO_MMIO_QUEUE_DESC_LOW, d->desc_pa);
	reg_write64(d, VIRTIO_MMIO_QUEUE_DRIVER_LOW, d->avail_pa);
	reg_write64(d, VIRTIO_MMIO_QUEUE_DEVICE_LOW, d->used_pa);
	reg_write(d, VIRTIO_MMIO_QUEUE_READY, 1);
	d->avail_idx = d->used_idx = 0;
	return 0;
}

/* Read the 64-bit capacity as two 32-bit halves, again if the config changed meanwhile. */
static uint64_t vblk_read_capacity(const struct vblk *d)
{
	uint32_t gen, lo, hi;
	do {
		gen = reg_read(d, VIRTIO_MMIO_CONFIG_GENERATION);
		lo = reg_read(d, VIRTIO_MMIO_CONFIG + VBLK_CONFIG_CAPACITY);
		hi = reg_read(d, VIRTIO_MMIO_CONFIG + VBLK_CONFIG_CAPACITY + sizeof(uint32_t));
	} while (gen != reg_read(d, VIRTIO_MMIO_CONFIG_GENERATION));
	return (uint64_t)hi << REG_BITS | lo;
}

/* Bring up the device (see the header); 0 or a negative error. */
int vblk_init(struct vblk *d, volatile void *mmio, uint32_t irq, const struct vblk_env *env)
{
	memset(d, 0, sizeof(*d));
	d->regs = mmio;
	d->irq = irq;
	d->env = *env;
	int err = vblk_probe(d);
	if (!err)
		err = vblk_reset(d);
	if (err)
		return err;
	status_set(d, STATUS_ACKNOWLEDGE);
	status_set(d, STATUS_DRIVER);
	if ((err = vblk_negotiate(d)) || (err = vblk_alloc(d)) || (err = vblk_setup_queue(d)))
		return vblk_fail(d, err);
	d->capacity = vblk_read_capacity(d);
	status_set(d, STATUS_DRIVER_OK);
	return reg_read(d, VIRTIO_MMIO_STATUS) & STATUS_BROKEN ? vblk_fail(d, -E_FAULT) : 0;
}

/* The capacity in 512-byte sectors. */
uint64_t vblk_sectors(const struct vblk *d)
{
	return d->capacity;
}

/* Can the device take a transfer of bytes at sector? 0 or a negative error. */
static int vblk_check(const struct vblk *d, uint64_t sector, uint32_t bytes)
{
	uint64_t count = bytes / VBLK_SECTOR_SIZE;
	if (!d->req || bytes == 0 || bytes % VBLK_SECTOR_SIZE || bytes > VBLK_MAX_BYTES)
		return -E_INVAL;
	if (sector >= d->capacity || count > d->capacity - sector)
		return -E_RANGE;
	return reg_read(d, VIRTIO_MMIO_STATUS) & STATUS_BROKEN ? -E_FAULT : 0;
}

/*
 * Write request id's header and its chain, descriptors 3id..3id+2: header
 * -> data at physical address data_pa -> status. Each request has its
 * own header (and status byte) in the request page.
 */
static void vblk_fill(struct vblk *d, int id, uint32_t type, uint64_t sector, uint64_t data_pa, uint32_t bytes)
{
	uint16_t data_flags = VIRTQ_DESC_F_NEXT | (type == VIRTIO_BLK_T_IN ? VIRTQ_DESC_F_WRITE : 0);
	uint16_t head = (uint16_t)(id * DESC_CHAIN);
	volatile struct vblk_req *req = &d->req[id];
	uint64_t req_pa = d->req_pa + (uint64_t)id * sizeof(struct vblk_req);
	req->type = type;
	req->reserved = 0;
	req->sector = sector;
	req->status = VBLK_STATUS_PENDING;
	d->desc[head + DESC_HEADER] = (struct virtq_desc){ req_pa, VBLK_HEADER_BYTES, VIRTQ_DESC_F_NEXT,
	                                                   (uint16_t)(head + DESC_DATA) };
	d->desc[head + DESC_DATA] = (struct virtq_desc){ data_pa, bytes, data_flags, (uint16_t)(head + DESC_STATUS) };
	d->desc[head + DESC_STATUS] = (struct virtq_desc){ req_pa + VBLK_HEADER_BYTES, VBLK_STATUS_BYTES,
	                                                   VIRTQ_DESC_F_WRITE, 0 };
}

/* Make request id's chain available and notify the device. */
static void vblk_kick(struct vblk *d, int id)
{
	d->avail->ring[d->avail_idx % VBLK_QUEUE_SIZE] = (uint16_t)(id * DESC_CHAIN + DESC_HEADER);
	__sync_synchronize();           /* descriptors and ring slot before the index */
	d->avail->idx = ++d->avail_idx;
	__sync_synchronize();           /* the index before the notify */
	reg_write(d, VIRTIO_MMIO_QUEUE_NOTIFY, VBLK_QUEUE);
}

/* Handle one wake-up: acknowledge what the device raised, then the PLIC. */
static void vblk_ack(struct vblk *d)
{
	uint32_t isr = reg_read(d, VIRTIO_MMIO_INTERRUPT_STATUS);
	if (isr)
		reg_write(d, VIRTIO_MMIO_INTERRUPT_ACK, isr);
	sys_irq_ack(d->irq);
}

/* Block until the device's interrupt arrives, keeping other notifications for the host. */
static void wait_for_irq(struct vblk *d)
{
	uint64_t mine = 1UL << d->irq, bits;
	do {
		bits = wait_notification();
		*d->env.other_bits |= bits & ~mine;
	} while (!(bits & mine));
}

/* Has the request completed, with its used-buffer interrupt already taken? */
static int vblk_done(const struct vblk *d)
{
	__sync_synchronize();           /* see the device's latest used index */
	return d->used->idx != d->used_idx &&
	       !(reg_read(d, VIRTIO_MMIO_INTERRUPT_STATUS) & INT_USED_BUFFER);
}

/* Wait for the request in flight; 0, or -E_FAULT if the device broke. */
static int vblk_wait(struct vblk *d)
{
	while (!vblk_done(d)) {
		if (reg_read(d, VIRTIO_MMIO_STATUS) & STATUS_BROKEN)
			return -E_FAULT;
		wait_for_irq(d);
		vblk_ack(d);
	}
	__sync_synchronize();           /* the used entry, data and status after the index */
	d->used_idx++;
	return 0;
}

/* Move one request of bytes at sector through the bounce page; 0 or a negative error. */
static int vblk_transfer(struct vblk *d, uint32_t type, uint64_t sector, uint32_t bytes)
{
	if (reg_read(d, VIRTIO_MMIO_INTERRUPT_STATUS))
		vblk_ack(d);            /* raised between requests (a config change): unmask it */
	vblk_fill(d, 0, type, sector, d->bounce_pa, bytes);
	vblk_kick(d, 0);
	int err = vblk_wait(d);
	if (err)
		return err;
	return d->req[0].status == VIRTIO_BLK_S_OK ? 0 : -E_FAULT;
}

/* Read bytes at sector into buf; 0 or a negative error. */
int vblk_read(struct vblk *d, uint64_t sector, void *buf, uint32_t bytes)
{
	int err = vblk_check(d, sector, bytes);
	if (!err)
		err = vblk_transfer(d, VIRTIO_BLK_T_IN, sector, bytes);
	if (!err)
		memcpy(buf, d->bounce, bytes);
	return err;
}

/* Write bytes from buf at sector; 0 or a negative error. */
int vblk_write(struct vblk *d, uint64_t sector, const void *buf, uint32_t bytes)
{
	int err = vblk_check(d, sector, bytes);
	if (err)
		return err;
	memcpy(d->bounce, buf, bytes);
	return vblk_transfer(d, VIRTIO_BLK_T_OUT, sector, bytes);
}

/* Start a request without waiting (see the header): its id, -E_BUSY, or an error. */
int vblk_start(struct vblk *d, int write, uint64_t sector, uint64_t pa, uint32_t bytes)
{
	int err = vblk_check(d, sector, bytes);
	if (err)
		return err;
	int id = 0;
	while (id < VBLK_REQUESTS && (d->busy & (1U << id)))
		id++;
	if (id == VBLK_REQUESTS)
		return -E_BUSY;
	d->busy |= 1U << id;
	vblk_fill(d, id, write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN, sector, pa, bytes);
	vblk_kick(d, id);
	return id;
}

/* Take one finished request: its id and *status; -1 when none is left. */
int vblk_finished(struct vblk *d, int *status)
{
	for (;;) {
		__sync_synchronize();           /* see the device's latest used index */
		if (d->used->idx == d->used_idx)
			return -1;
		__sync_synchronize();           /* the used entry, data and status after the index */
		uint32_t head = d->used->ring[d->used_idx % VBLK_QUEUE_SIZE].id;
		d->used_idx++;
		int id = (int)(head / DESC_CHAIN);
		if (head % DESC_CHAIN || id >= VBLK_REQUESTS || !(d->busy & (1U << id)))
			continue;               /* not a chain we made available: ignore it */
		d->busy &= ~(1U << id);
		*status = d->req[id].status == VIRTIO_BLK_S_OK ? 0 : -E_FAULT;
		return id;
	}
}

/* The device's interrupt arrived: acknowledge it, device then PLIC. */
void vblk_irq_ack(struct vblk *d)
{
	vblk_ack(d);
}

/* Has the device failed or asked for a reset? */
int vblk_broken(const struct vblk *d)
{
	return (reg_read(d, VIRTIO_MMIO_STATUS) & STATUS_BROKEN) != 0;
}
