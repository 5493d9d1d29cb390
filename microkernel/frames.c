/*
 * Which physical frames user space may map. Every frame of RAM past the
 * kernel pool is owned by one address space (the root pager's, at boot);
 * kernel memory is owned by none. Device regions from the device tree are
 * owned by the root pager too. SYS_MAP checks here before it installs
 * anything, so a pager can only hand out what it owns; owners are set at
 * boot and never change (SYS_MAP_COPY relies on that: space_map_copy).
 */
#include "kernel.h"

#define MAX_DEVICE_REGIONS 16
#define NO_OWNER 0

static uint64_t ram_base, ram_pages;
static uint16_t *owner;          /* space index + 1, per RAM frame */
static struct { uint64_t base, end; } devices[MAX_DEVICE_REGIONS];
static int ndevices;

/* Size in bytes of the ownership table for RAM [base, end). */
uint64_t frames_table_size(uint64_t base, uint64_t end)
{
	return (end - base) / PAGE_SIZE * sizeof(*owner);
}

/* Start tracking RAM [base, end), with the (zeroed) table at `table`. */
void frames_init(uint64_t base, uint64_t end, void *table)
{
	ram_base = base;
	ram_pages = (end - base) / PAGE_SIZE;
	owner = table;
}

/* The owner table's name for space s (its slot + 1; NO_OWNER is 0). */
static uint16_t owner_id(const struct space *s)
{
	return (uint16_t)(s->id % MAX_SPACES + 1);
}

/* Record that every frame in [base, end) belongs to space s. */
void frames_give(uint64_t base, uint64_t end, struct space *s)
{
	uint16_t id = owner_id(s);
	for (uint64_t pa = base; pa < end; pa += PAGE_SIZE)
		owner[(pa - ram_base) / PAGE_SIZE] = id;
}

/* Record a device region that the root pager may map. */
void frames_add_device(uint64_t base, uint64_t size)
{
	if (ndevices == MAX_DEVICE_REGIONS)
		panic("frames_add_device: too many regions");
	devices[ndevices].base = PAGE_ROUND_DOWN(base);
	devices[ndevices].end = PAGE_ROUND_UP(base + size);
	ndevices++;
}

/* Is [pa, pa + npages) inside one device region? */
static int frames_in_device(uint64_t pa, uint64_t npages)
{
	for (int i = 0; i < ndevices; i++)
		if (pa >= devices[i].base && pa < devices[i].end &&
		    npages <= (devices[i].end - pa) / PAGE_SIZE)
			return 1;
	return 0;
}

/* Is pa a frame of RAM that `caller` owns (the common case of frames_check, made quick)? */
HOT_PATH int frames_owned(struct space *caller, uint64_t pa)
{
	uint64_t frame = (pa - ram_base) / PAGE_SIZE;
	return pa >= ram_base && frame < ram_pages && owner[frame] == owner_id(caller);
}

/* May `caller` map the npages frames at pa? 0, -E_RANGE or -E_PERM. */
int frames_check(struct space *caller, uint64_t pa, uint64_t npages)
{
	if (pa % PAGE_SIZE)
		return -E_INVAL;
	if (pa < ram_base || pa - ram_base >= ram_pages * PAGE_SIZE) {
		if (frames_in_device(pa, npages))
			return caller == root_thread->space ? 0 : -E_PERM;
		return -E_RANGE;
	}
	if ((pa - ram_base) / PAGE_SIZE + npages > ram_pages)
		return -E_RANGE;
	uint16_t id = owner_id(caller);
	const uint16_t *o = &owner[(pa - ram_base) / PAGE_SIZE];
	for (uint64_t i = 0; i < npages; i++) {
		if (o[i] == NO_OWNER)
			return -E_RANGE;     /* kernel memory */
		if (o[i] != id)
			return -E_PERM;
	}
	return 0;
}
