/*
 * The swap disk: the second virtio-mmio slot, driven by the pager itself
 * (servers/drivers/virtio_blk.c), so that paging never depends on the fs
 * server, which may itself be waiting on the pager. A page is one slot of
 * PAGE_SIZE bytes; a slot has a reference count, since fork shares a
 * swapped-out page between parent and child until one of them reads it
 * back.
 *
 * The disk is driven asynchronously: a read (swap-in) or a write
 * (eviction) is started, the pager goes back to its messages, and the
 * disk's interrupt, a notification, finishes it later (swap_poll). The
 * transfer goes straight between the slot and the page's own frame. Up to
 * VBLK_REQUESTS requests are in flight at once, reads and writes mixed.
 * Each request in flight is a record here that holds one reference to its
 * frame and one to its slot (a pin), whatever happens to the pages that
 * named them meanwhile: so the frame cannot be freed and handed out while
 * the device fills it, and the slot cannot be freed and written again
 * while the device reads it. The checker counts both references.
 *
 *   write   evict.c unmapped the page and made its holders' records name
 *           the slot before starting it. Done: the frame is let go (it is
 *           free unless someone else holds it). Meanwhile a fault on the
 *           slot copies the page from the frame (swap_lookup), since
 *           reading a slot while it is being written has no defined
 *           result. Failed: evict.c gives the page back (evict_undo).
 *   read    a fault started it into a fresh frame and waits (fault.c
 *           parks it; a fault of another process that shares the slot
 *           since a fork waits for the same read). Done or failed, the
 *           record stays until the main loop has served the waiting
 *           faults again (swap_next_fault): each takes the frame if no
 *           other fault waits for it (swap_take), or else copies it; a
 *           record nobody took is then let go (its process ended
 *           meanwhile).
 *
 * At most one request is ever in flight for a slot (a write only goes to a
 * free slot, a read only to a slot nobody is reading or writing), so
 * swap_lookup finds one record per slot. A caller that cannot wait (a
 * fault) is told to come back later; one that can (fork, exec, sbrk) waits
 * with swap_wait, which takes other notifications that arrive meanwhile
 * for the main loop (swap_take_pending).
 */
#include <string.h>
#include "pager.h"
#include "sys.h"
#include "virtio_blk.h"
#include "abi/bootinfo.h"

#define MAX_SWAP_SLOTS 32768            /* 128 MiB of swap at most */
#define SECTOR_SIZE 512
#define SLOT_SECTORS (PAGE_SIZE / SECTOR_SIZE)
#define MAX_DRIVER_PAGES 8              /* DMA pages the driver may take */
#define READ_ROOM 3                     /* requests kept for reads: writes never take the last ones */
#define IO_RECORDS (2 * VBLK_REQUESTS)  /* those in flight, and as many finished and not yet settled */

enum io_state { IO_FREE, IO_BUSY, IO_DONE, IO_FAILED };

/* A request in flight (IO_BUSY), or finished and not yet settled. */
struct swap_io {
	uint8_t state, write;
	uint16_t waiters;               /* a read: faults that wait for it */
	uint64_t slot, pa;              /* the slot and frame it holds a reference to */
	uint64_t va;                    /* a write: the page's address in its holders */
};

static struct vblk disk;
static uint64_t slots, used, next_free, pending_bits;
static uint16_t slot_refs[MAX_SWAP_SLOTS];
static uint16_t slot_found[MAX_SWAP_SLOTS];     /* the checker's count of references found */
static uint64_t bad_unrefs;                     /* unrefs of free slots, until the checker reports them */
static uint64_t driver_pages[MAX_DRIVER_PAGES]; /* the driver's frames, which the pager holds for good */
static int driver_count;
static struct swap_io io[IO_RECORDS];
static struct swap_io *by_id[VBLK_REQUESTS];    /* the record of each of the driver's requests in flight */
static uint64_t io_busy, io_writes;             /* requests the device has; writes among them */
static uint64_t io_finished;                    /* requests finished since boot */
uint64_t swap_finished;                         /* finished since the main loop last settled them */
uint64_t swap_notify_bits;                      /* the disk's interrupt as notification bits; 0 = no disk */

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
	slots = vblk_sectors(&disk) / SLOT_SECTORS;
	slots = slots > MAX_SWAP_SLOTS ? MAX_SWAP_SLOTS : slots;
	swap_notify_bits = 1UL << d->irq;
	return 0;
}

/* Take a free slot, with one reference (the request's pin); 0 or -E_NOMEM. */
static int slot_alloc(uint64_t *slot)
{
	if (used == slots)
		return -E_NOMEM;
	while (slot_refs[next_free])
		next_free = (next_free + 1) % slots;
	*slot = next_free;
	slot_refs[next_free] = 1;
	used++;
	return 0;
}

/* Give the device a request for slot and frame pa; the record, or NULL (*err says why). */
static struct swap_io *io_start(int write, uint64_t slot, uint64_t pa, int *err)
{
	struct swap_io *r = io;
	while (r < io + IO_RECORDS && r->state != IO_FREE)
		r++;
	int id = r < io + IO_RECORDS ? vblk_start(&disk, write, slot * SLOT_SECTORS, pa, PAGE_SIZE) : -E_BUSY;
	if (id < 0) {
		*err = id;
		return NULL;
	}
	by_id[id] = r;
	*r = (struct swap_io){ IO_BUSY, (uint8_t)write, (uint16_t)!write, slot, pa, 0 };
	io_busy++;
	io_writes += (uint64_t)write;
	return r;
}

/*
 * Start writing frame pa (page va of its holders, which no longer map it)
 * to a free slot: 0 and *slot, whose one reference is the request's own
 * (the caller adds one per holder); or an error (-E_NOMEM: no free slot,
 * -E_BUSY: the queue is full), and nothing changed. The request takes a
 * reference to pa.
 */
int swap_write_start(uint64_t pa, uint64_t va, uint64_t *slot)
{
	int err = 0;
	if (!swap_can_write())
		return -E_BUSY;
	if ((err = slot_alloc(slot)))
		return err;
	struct swap_io *r = io_start(1, *slot, pa, &err);
	if (!r) {
		slot_refs[*slot] = 0;
		used--;
		return err;
	}
	r->va = va;
	frame_ref(pa);
	return 0;
}

/*
 * Start reading slot into frame pa (not zeroed, held by no one else) for
 * a fault that will wait for it: 0, and the request holds the caller's
 * reference to pa and pins the slot; or an error (-E_BUSY: the queue is
 * full), and nothing changed.
 */
int swap_read_start(uint64_t slot, uint64_t pa)
{
	int err = 0;
	if (!io_start(0, slot, pa, &err))
		return err;
	slot_refs[slot]++;
	return 0;
}

/* The record of slot, or NULL. */
static struct swap_io *io_of(uint64_t slot)
{
	for (int i = 0; i < IO_RECORDS; i++)
		if (io[i].state != IO_FREE && io[i].slot == slot)
			return &io[i];
	return NULL;
}

/*
 * Where slot's page is while the disk works on it: SWAP_ON_DISK (no
 * request), SWAP_READING (a read in flight: wait for it), SWAP_READ_FAILED,
 * or SWAP_IN_MEMORY with *pa a frame that holds the page (being written
 * out, or read in): copy it, or take it with swap_take.
 */
int swap_lookup(uint64_t slot, uint64_t *pa)
{
	const struct swap_io *r = io_of(slot);
	if (!r)
		return SWAP_ON_DISK;
	if (!r->write && r->state == IO_BUSY)
		return SWAP_READING;
	if (!r->write && r->state == IO_FAILED)
		return SWAP_READ_FAILED;
	*pa = r->pa;
	return SWAP_IN_MEMORY;
}

/* One more fault waits for slot's read in flight (swap_lookup said SWAP_READING). */
void swap_join(uint64_t slot)
{
	struct swap_io *r = io_of(slot);
	if (r && !r->write)
		r->waiters++;
}

/*
 * Take the frame of slot's finished read, unless other faults wait for
 * it too: the frame (the caller's reference now; the request is over),
 * or 0 (copy it instead; one waiter fewer). Any holder of the slot may
 * take it: a read leaves the slot as it was. The caller still drops its
 * own reference to the slot.
 */
uint64_t swap_take(uint64_t slot)
{
	struct swap_io *r = io_of(slot);
	if (!r || r->write || r->state != IO_DONE)
		return 0;
	if (r->waiters > 1) {
		r->waiters--;
		return 0;
	}
	r->state = IO_FREE;
	swap_unref(slot);                   /* the request's pin */
	return r->pa;
}

/* One request finished with status: a write is over if it went well; a read waits to be settled. */
static void io_finish(struct swap_io *r, int status)
{
	io_busy--;
	io_finished++;
	swap_finished++;
	if (!r->write) {
		r->state = status ? IO_FAILED : IO_DONE;
		return;
	}
	io_writes--;
	if (status) {
		r->state = IO_FAILED;           /* evict_undo gives the page back (settle) */
		return;
	}
	r->state = IO_FREE;
	frame_unref(r->pa);
	swap_unref(r->slot);
}

/* Take every request the device has finished; a broken device finishes the rest as failed. */
static void harvest(void)
{
	int status, id;
	while ((id = vblk_finished(&disk, &status)) >= 0) {
		if (by_id[id])
			io_finish(by_id[id], status);
		by_id[id] = NULL;
	}
	if (io_busy && vblk_broken(&disk))
		for (int i = 0; i < IO_RECORDS; i++)
			if (io[i].state == IO_BUSY)
				io_finish(&io[i], -E_FAULT);
}

/* The disk's interrupt arrived (its notification bits): acknowledge it and take what finished. */
void swap_poll(void)
{
	vblk_irq_ack(&disk);
	harvest();
}

/*
 * Block until at least one request in flight finishes: 0, or -E_NOENT if
 * none is in flight. Other notifications are kept for the main loop.
 */
int swap_wait(void)
{
	uint64_t before = io_finished;
	while (io_busy && io_finished == before) {
		uint64_t bits = wait_notification();
		pending_bits |= bits & ~swap_notify_bits;
		if (bits & swap_notify_bits)
			swap_poll();
	}
	return io_finished != before ? 0 : -E_NOENT;
}

/* Writes in flight: frames that will be free when they finish. */
uint64_t swap_writing(void)
{
	return io_writes;
}

/* May another write start now (leaving room in the queue for reads)? */
int swap_can_write(void)
{
	return io_busy + READ_ROOM < VBLK_REQUESTS;
}

/* Give back the pages whose writes failed; keep writes going ahead; have the faults that wait served again. */
static void settle(void)
{
	for (int i = 0; i < IO_RECORDS; i++) {
		struct swap_io *r = &io[i];
		if (r->write && r->state == IO_FAILED) {
			evict_undo(r->slot, r->va, r->pa);
			r->state = IO_FREE;
			frame_unref(r->pa);
			swap_unref(r->slot);
		}
	}
	evict_ahead();
	fault_resume_all();
}

/* The waiting faults were served again: let go of every finished read that none of them took. */
static void settle_end(void)
{
	for (int i = 0; i < IO_RECORDS; i++) {
		struct swap_io *r = &io[i];
		if (!r->write && (r->state == IO_DONE || r->state == IO_FAILED)) {
			r->state = IO_FREE;
			frame_unref(r->pa);
			swap_unref(r->slot);
			stats.swap_orphans++;
		}
	}
}

/*
 * From the main loop while swap_finished is set (requests finished): the
 * next fault that waited, to be served again now as if the kernel had
 * just sent it: its thread, *m its message (fault_resume_next). First the
 * pages of failed writes are given back; once every waiting fault has
 * been served again, finished reads that none took are let go, and -1
 * says there is no more (swap_finished is then 0).
 */
int64_t swap_next_fault(struct msg *m)
{
	static uint64_t settled;            /* swap_finished when settle last ran */
	for (;;) {
		if (settled != swap_finished) {
			settle();
			settled = swap_finished;
		}
		int64_t tid = fault_resume_next(m);
		if (tid >= 0)
			return tid;
		if (settled == swap_finished)
			break;                      /* nothing finished meanwhile: all were served */
	}
	settle_end();
	file_reads_settle();
	swap_finished = settled = 0;
	return -1;
}

/* Other I/O finished (a file read): have the waiting faults served again, as after a swap request. */
void swap_resume_waiting(void)
{
	swap_finished++;
}

/* Frames the requests hold, and slots that only a request still holds (PAGER_HELD). */
void swap_held(uint64_t *frames, uint64_t *slots_only_pinned)
{
	*frames = *slots_only_pinned = 0;
	for (int i = 0; i < IO_RECORDS; i++) {
		if (io[i].state == IO_FREE)
			continue;
		(*frames)++;
		*slots_only_pinned += slot_refs[io[i].slot] == 1;
	}
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

/* Checker: forget the slot references found so far; count the driver's frames and the requests' references as found. */
void swap_check_begin(void)
{
	memset(slot_found, 0, sizeof(slot_found));
	for (int i = 0; i < driver_count; i++)
		frames_check_found(driver_pages[i]);
	for (int i = 0; i < IO_RECORDS; i++) {
		if (io[i].state == IO_FREE)
			continue;
		frames_check_found(io[i].pa);
		if (io[i].slot < slots)
			slot_found[io[i].slot]++;
	}
}

/* Checker: one more page record names slot; 0, or -1 if there is no such slot. */
int swap_check_found(uint64_t slot)
{
	if (slot >= slots)
		return -1;
	slot_found[slot]++;
	return 0;
}

/* Checker: the requests (one per slot, frames nobody may evict), every slot's count, the count of slots used, double unrefs. */
void swap_check_end(check_report_fn report)
{
	uint64_t in_use = 0, busy = 0, writes = 0, va;
	for (int i = 0; i < IO_RECORDS; i++) {
		const struct swap_io *r = &io[i];
		if (r->state == IO_FREE)
			continue;
		busy += r->state == IO_BUSY;
		writes += r->state == IO_BUSY && r->write;
		if (io_of(r->slot) != r)
			report("swap slot %lu has two requests", (unsigned long)r->slot);
		if (frame_owner(r->pa, &va) >= 0)
			report("frame %#lx of a swap request is evictable", (unsigned long)r->pa);
	}
	if (busy != io_busy || writes != io_writes)
		report("%lu swap requests (%lu writes) are in flight; the counts say %lu (%lu)", (unsigned long)busy,
		       (unsigned long)writes, (unsigned long)io_busy, (unsigned long)io_writes);
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
