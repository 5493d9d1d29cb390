/*
 * Address spaces: one Sv39 page table each. The kernel's gigapage
 * mappings (devices, RAM) are copied into every root table without PTE_U,
 * so user mode cannot touch them and the kernel never switches tables on
 * a trap. User mappings live in [USER_BASE, USER_TOP) and are made only
 * at a pager's request; the page-table pages come from the kernel pool.
 *
 * The kernel reads and writes user memory by walking the page table in
 * software and copying through the identity map, so a missing page is a
 * return value (turned into a FAULT message for the pager), never a trap
 * inside the kernel.
 */
#include "kernel.h"
#include "arch/riscv/riscv.h"

#define ASID_MAX_BITS 16

static HOT_DATA struct space spaces[MAX_SPACES];
static uint64_t kernel_root[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static int asids_supported;

/* Build the kernel's mappings, switch paging on, probe for ASIDs. */
void space_init(uint64_t ram_base, uint64_t ram_end, uint64_t uart, uint64_t plic)
{
	uint64_t kernel_rw = PTE_V | PTE_R | PTE_W | PTE_G | PTE_A | PTE_D;
	if (VPN(uart, 2) != 0 || VPN(plic, 2) != 0)
		panic("space_init: devices outside the first gigabyte");
	kernel_root[0] = PA_TO_PTE(0) | kernel_rw;
	for (uint64_t pa = ram_base & ~(GIGAPAGE - 1); pa < ram_end; pa += GIGAPAGE)
		kernel_root[VPN(pa, 2)] = PA_TO_PTE(pa) | kernel_rw | PTE_X;
	uint64_t asid_mask = (1UL << ASID_MAX_BITS) - 1;
	csr_write(satp, MAKE_SATP(kernel_root, asid_mask));
	asids_supported = ((csr_read(satp) >> SATP_ASID_SHIFT) & asid_mask) >= MAX_SPACES;
	csr_write(satp, MAKE_SATP(kernel_root, 0));
	asm volatile("sfence.vma zero, zero");
}

/* The ASID the hardware sees for s (0 when it has no ASIDs). */
static uint64_t hw_asid(struct space *s)
{
	return asids_supported ? s->asid : 0;
}

static uint64_t tlb_flushes;            /* sfence.vma issued for mappings removed or narrowed (KSTAT_TLB_FLUSHES) */

/* How many TLB flushes flush_page and flush_space have issued, on every hart (remote RFENCEs not counted). */
uint64_t space_tlb_flushes(void)
{
	return tlb_flushes;
}

/* A mapping of s at va was removed or narrowed: flush it here, and on the other harts before the trap ends. */
static void flush_page(struct space *s, uint64_t va)
{
	tlb_flushes++;
	tlb_flush_page(va, hw_asid(s));
	smp_tlb_flush_later(s, hw_asid(s));
}

/* The same for every mapping of s. */
static void flush_space(struct space *s)
{
	tlb_flushes++;
	tlb_flush_asid(hw_asid(s));
	smp_tlb_flush_later(s, hw_asid(s));
}

/* Create an empty space paged by thread `pager`; NULL if none is free. */
struct space *space_create(int64_t pager)
{
	for (int i = 0; i < MAX_SPACES; i++) {
		struct space *s = &spaces[i];
		if (s->id)
			continue;
		s->root = pool_alloc();
		if (!s->root)
			return NULL;
		memcpy(s->root, kernel_root, PAGE_SIZE);
		s->generation++;
		s->id = (uint64_t)s->generation * MAX_SPACES + (uint64_t)i;
		s->asid = (uint64_t)i + 1;
		s->satp = MAKE_SATP(s->root, hw_asid(s));
		s->pager = pager;
		s->children = 0;
		s->child_threads = 0;
		s->parent = 0;
		s->threads = 0;
		s->last_leaf = NULL;
#ifdef SMP
		s->tlb_stale = ~0UL;             /* every hart may cache the ASID's last owner */
#endif
		return s;
	}
	return NULL;
}

/*
 * Free s's page tables below the root, looking at no more than `budget`
 * level-1 entries (so freeing no more than that many level-0 tables): 1
 * while some remain. User mappings are 4 KiB pages only, so every valid
 * level-1 entry points to a level-0 table. A table left half done is
 * looked at from its start again next time (its freed entries are 0).
 */
int space_free_tables(struct space *s, int budget)
{
	int more = 0;
	for (uint64_t i = VPN(USER_BASE, 2); !more && i <= VPN(USER_TOP - 1, 2); i++) {
		if (!(s->root[i] & PTE_V))
			continue;
		uint64_t *table = (uint64_t *)PTE_TO_PA(s->root[i]);
		int n = budget < PT_ENTRIES ? budget : PT_ENTRIES;
		for (int j = 0; j < n; j++) {
			if (table[j] & PTE_V) {
				pool_free((void *)PTE_TO_PA(table[j]));
				table[j] = 0;
			}
		}
		budget -= n;
		more = n < PT_ENTRIES;
		if (!more) {
			pool_free(table);
			s->root[i] = 0;
		}
	}
	s->last_leaf = NULL;            /* perhaps freed (map_slot) */
	flush_space(s);                 /* its pager may run a thread in it before the last step */
	return more;
}

/* Free a space whose threads are gone and whose tables space_free_tables freed. */
void space_destroy(struct space *s)
{
	pool_free(s->root);
	flush_space(s);                 /* its ASID may be reused */
	s->root = NULL;
	s->id = 0;
}

/* Find a live space by id, or NULL. */
struct space *space_lookup(uint64_t id)
{
	struct space *s = &spaces[id % MAX_SPACES];
	return id && s->id == id ? s : NULL;
}

/* Some live space created by a thread of space `parent`, or NULL. */
struct space *space_child_of(uint64_t parent)
{
	for (int i = 0; i < MAX_SPACES; i++)
		if (spaces[i].id && spaces[i].parent == parent)
			return &spaces[i];
	return NULL;
}

/* How many spaces exist. */
int space_count(void)
{
	int n = 0;
	for (int i = 0; i < MAX_SPACES; i++)
		n += spaces[i].id != 0;
	return n;
}

/* Is va a page-aligned user address? */
static int user_page(uint64_t va)
{
	return va % PAGE_SIZE == 0 && va >= USER_BASE && va < USER_TOP;
}

/* The leaf PTE slot of user va, or NULL if a page table on the way is missing (Sv39: three levels). */
FAST_STEP uint64_t *walk_existing(const struct space *s, uint64_t va)
{
	uint64_t pte = s->root[VPN(va, 2)];
	if (!(pte & PTE_V))
		return NULL;
	pte = ((const uint64_t *)PTE_TO_PA(pte))[VPN(va, 1)];
	if (!(pte & PTE_V))
		return NULL;
	return &((uint64_t *)PTE_TO_PA(pte))[VPN(va, 0)];
}
_Static_assert(PT_LEVELS == 3, "walk_existing knows Sv39");

/* The leaf PTE slot of user va, creating the missing tables; NULL if the pool is empty. */
static SLOW_PATH uint64_t *walk_create(struct space *s, uint64_t va)
{
	uint64_t *pt = s->root;
	for (int level = PT_LEVELS - 1; level > 0; level--) {
		uint64_t *pte = &pt[VPN(va, level)];
		if (!(*pte & PTE_V)) {
			uint64_t *next = pool_alloc();
			if (!next)
				return NULL;
			*pte = PA_TO_PTE(next) | PTE_V;
		}
		pt = (uint64_t *)PTE_TO_PA(*pte);
	}
	return &pt[VPN(va, 0)];
}

/* The PTE's R, W, X bits are the ABI's RIGHT_R, RIGHT_W, RIGHT_X one bit up. */
#define RIGHTS_PTE_SHIFT 1
_Static_assert(PTE_R == RIGHT_R << RIGHTS_PTE_SHIFT && PTE_W == RIGHT_W << RIGHTS_PTE_SHIFT &&
               PTE_X == RIGHT_X << RIGHTS_PTE_SHIFT, "rights and PTE bits line up");

/* PTE permission bits for a set of rights (any combination, as a mask). */
static uint64_t rights_bits(uint64_t rights)
{
	return (rights & RIGHTS_ALL) << RIGHTS_PTE_SHIFT;
}

/* PTE permission bits for ABI rights; 0 if the combination is invalid (none, unknown, write without read). */
static uint64_t rights_to_pte(uint64_t rights)
{
	int valid = rights && rights <= RIGHTS_ALL && !((rights & RIGHT_W) && !(rights & RIGHT_R));
	return valid ? rights_bits(rights) : 0;
}

/* Check the arguments of a map or protect request. */
int space_check_map(uint64_t va, uint64_t rights)
{
	if (!user_page(va))
		return -E_RANGE;
	return rights_to_pte(rights) ? 0 : -E_INVAL;
}

/*
 * Set the leaf slot pte of va in s to a new valid PTE (keeping A and D if
 * it maps the same frame as before). Only a replaced
 * mapping is flushed: an invalid PTE is in no TLB (it was flushed when it
 * was removed), and a hart that cached its absence only takes a spurious
 * fault, which the pager answers by mapping the page again.
 */
FAST_STEP void set_leaf(struct space *s, uint64_t *pte, uint64_t va, uint64_t new_pte)
{
	uint64_t old = *pte;
	if ((old & PTE_V) && PTE_TO_PA(old) == PTE_TO_PA(new_pte))
		new_pte |= old & (PTE_A | PTE_D);   /* the same frame again: a write-back is still due */
	*pte = new_pte;
	if (old & PTE_V) {
		s->shrinks++;                  /* a mapping replaced may have lost rights */
		flush_page(s, va);
	}
}

/* The user PTE of frame pa with rights (already checked). */
static uint64_t user_pte_of(uint64_t pa, uint64_t rights)
{
	return PA_TO_PTE(pa) | rights_to_pte(rights) | PTE_U | PTE_V;
}

/* Map one page va -> pa with rights where a page table is still missing; arguments already checked. */
static SLOW_PATH int map_new_table(struct space *s, uint64_t va, uint64_t pa, uint64_t rights)
{
	uint64_t *pte = walk_create(s, va);
	if (!pte)
		return -E_NOMEM;
	set_leaf(s, pte, va, user_pte_of(pa, rights));
	return 0;
}

/*
 * The leaf PTE slot of va for space_map, or NULL if a table is missing.
 * The level-0 table found last is kept: tables live until
 * space_free_tables, and the next fault is most often in the same 2 MiB.
 */
FAST_STEP uint64_t *map_slot(struct space *s, uint64_t va)
{
	if (s->last_leaf && va - s->last_leaf_va < MEGAPAGE)
		return &s->last_leaf[VPN(va, 0)];
	uint64_t *pte = walk_existing(s, va);
	if (pte) {
		s->last_leaf = pte - VPN(va, 0);
		s->last_leaf_va = va & ~(MEGAPAGE - 1);
	}
	return pte;
}

/* Map one page va -> pa with rights; arguments already checked. */
HOT_PATH int space_map(struct space *s, uint64_t va, uint64_t pa, uint64_t rights)
{
	uint64_t *pte = map_slot(s, va);
	if (!pte)
		return map_new_table(s, va, pa, rights);
	set_leaf(s, pte, va, user_pte_of(pa, rights));
	return 0;
}

/* The first address past the span of va's level-0 table (where a missing table ends). */
static uint64_t next_table(uint64_t va)
{
	return (va | (MEGAPAGE - 1)) + 1;
}

/* Remove the mappings of npages pages from va (a checked user range), skipping missing tables. */
void space_unmap(struct space *s, uint64_t va, uint64_t npages)
{
	uint64_t end = va + npages * PAGE_SIZE;
	while (va < end) {
		uint64_t *pte = walk_existing(s, va);
		if (!pte) {
			va = next_table(va);
			continue;
		}
		if (*pte & PTE_V) {
			*pte = 0;
			s->shrinks++;
			flush_page(s, va);
		}
		va += PAGE_SIZE;
	}
}

/* Change the rights of a present page. */
int space_protect(struct space *s, uint64_t va, uint64_t rights)
{
	int err = space_check_map(va, rights);
	if (err)
		return err;
	uint64_t *pte = walk_existing(s, va);
	if (!pte || !(*pte & PTE_V))
		return -E_NOENT;
	*pte = (*pte & ~PTE_LEAF) | rights_to_pte(rights);
	s->shrinks++;
	flush_page(s, va);
	return 0;
}

/* Report PAGE_PRESENT/ACCESSED/DIRTY of one page (0: absent); clear A, or A and D, as `how` says. */
static int64_t page_bits_one(struct space *s, uint64_t va, uint64_t how)
{
	uint64_t *pte = walk_existing(s, va);
	if (!pte || !(*pte & PTE_V))
		return 0;
	uint64_t old = *pte, clear = how == PAGE_BITS_CLEAR ? PTE_A | PTE_D : PTE_A;
	if (how != PAGE_BITS_READ) {     /* atomically: another hart's page walk may set A or D meanwhile */
		old = __atomic_fetch_and(pte, ~clear, __ATOMIC_RELAXED);
		flush_page(s, va);
	}
	return (int64_t)(PAGE_PRESENT | ((old & PTE_A) ? PAGE_ACCESSED : 0) | ((old & PTE_D) ? PAGE_DIRTY : 0));
}

/* The bits of npages pages from va (a checked user range), page i at PAGE_BITS_WIDTH * i. */
int64_t space_page_bits(struct space *s, uint64_t va, uint64_t how, uint64_t npages)
{
	int64_t bits = 0;
	for (uint64_t i = 0; i < npages; i++)
		bits |= page_bits_one(s, va + i * PAGE_SIZE, how) << (PAGE_BITS_WIDTH * i);
	return bits;
}

/* The leaf PTE of user va if user mode may read (or write) it, else NULL. */
static HOT_PATH uint64_t *user_pte(struct space *s, uint64_t va, int write)
{
	if (va < USER_BASE || va >= USER_TOP)
		return NULL;
	uint64_t *pte = walk_existing(s, PAGE_ROUND_DOWN(va));
	uint64_t need = PTE_V | PTE_U | (write ? PTE_W : PTE_R);
	return pte && (*pte & need) == need ? pte : NULL;
}

/* Physical address of user va if user mode may read (or write) it, else 0. */
uint64_t space_translate(struct space *s, uint64_t va, int write)
{
	uint64_t *pte = user_pte(s, va, write);
	return pte ? PTE_TO_PA(*pte) + va % PAGE_SIZE : 0;
}

/* As space_translate, for the kernel's own access: it marks the page accessed (and dirty). */
uint64_t space_access(struct space *s, uint64_t va, int write)
{
	uint64_t *pte = user_pte(s, va, write);
	if (!pte)
		return 0;
	*pte |= PTE_A | (write ? PTE_D : 0);   /* the kernel's copy counts as the user's access */
	return PTE_TO_PA(*pte) + va % PAGE_SIZE;
}

/*
 * Check that [va, va + len) is accessible: CHECK_OK, CHECK_RANGE if any
 * of it lies outside user space, else the first page address that would
 * fault (for the pager to fill).
 */
uint64_t space_check(struct space *s, uint64_t va, uint64_t len, int write)
{
	if (len == 0)
		return CHECK_OK;
	if (va < USER_BASE || va >= USER_TOP || len > USER_TOP - va)
		return CHECK_RANGE;
	for (uint64_t p = PAGE_ROUND_DOWN(va); p < va + len; p += PAGE_SIZE)
		if (!space_translate(s, p, write))
			return p;
	return CHECK_OK;
}

/* Copy len bytes between spaces; stop at an inaccessible page. Returns bytes copied. */
uint64_t space_copy(struct space *dst, uint64_t dva, struct space *src, uint64_t sva, uint64_t len)
{
	uint64_t done = 0;
	while (done < len) {
		uint64_t d = space_access(dst, dva + done, 1);
		uint64_t s = space_access(src, sva + done, 0);
		if (!d || !s)
			break;
		uint64_t chunk = len - done;
		uint64_t room_d = PAGE_SIZE - d % PAGE_SIZE, room_s = PAGE_SIZE - s % PAGE_SIZE;
		chunk = chunk < room_d ? chunk : room_d;
		chunk = chunk < room_s ? chunk : room_s;
		memcpy((void *)d, (const void *)s, chunk);
		done += chunk;
	}
	return done;
}

/* The satp value of the kernel's own table (no user mappings). */
uint64_t space_kernel_satp(void)
{
	return MAKE_SATP(kernel_root, 0);
}

#ifdef SMP
/* Switch this hart to the kernel's own table (before it idles), so that no space it ran stays in use. */
void space_activate_kernel(void)
{
	struct cpu *c = this_cpu();
	c->active = c->leaving = NULL;
	c->satp = 0;                        /* no switch left for entry.S */
	csr_write(satp, space_kernel_satp());
}

/* Does another hart still run on s's table (in the kernel, waiting for the lock)? Its root must stay until not. */
int space_active_elsewhere(struct space *s)
{
	for (int i = 0; i < MAX_HARTS; i++)
		if ((cpus[i].active == s || cpus[i].leaving == s) && &cpus[i] != this_cpu())
			return 1;
	return 0;
}
#endif

/* Switch the MMU to space s. */
void space_activate(struct space *s)
{
#ifdef SMP
	struct cpu *c = this_cpu();
	uint64_t me = 1UL << c->hartid;
	if (s->tlb_stale & me) {            /* a mapping was removed while this hart ran something else */
		s->tlb_stale &= ~me;
		tlb_flush_asid(hw_asid(s));
	}
	if (c->active == s)
		return;                         /* still on it: the trap kept the thread's table */
	c->leaving = c->active;
	c->active = s;
	c->satp = s->satp;
	if (asids_supported)
		return;                         /* entry.S switches after unlocking: QEMU's TLB flush is not under the lock */
	c->leaving = NULL;                  /* without ASIDs the switch needs its sfence: here, now */
	c->satp = 0;
#endif
	csr_write(satp, s->satp);
	if (!asids_supported)
		asm volatile("sfence.vma zero, zero");
}

/* What a copied mapping keeps of its source PTE (made by user_pte_of): the frame, the rights, U and V; not A or D. */
#define COPIED_PTE_BITS ((~0UL << PTE_PPN_SHIFT) | PTE_LEAF | PTE_U | PTE_V)

/*
 * Copy the present pages of src's level-0 table `from` in [va, stop) (a
 * run inside that one table) into dst, as space_map_copy says: one walk
 * of each tree per table, then a loop over the slots. Adds the pages
 * mapped to *mapped; 0 or -E_NOMEM.
 */
static int copy_table_run(struct space *dst, uint64_t *from, uint64_t va, uint64_t stop,
                          uint64_t drop_bits, int64_t *mapped, int *dropped)
{
	uint64_t *to = NULL;                /* dst's table, found at the first present page */
	for (; va < stop; va += PAGE_SIZE) {
		uint64_t i = VPN(va, 0), pte = from[i];
		if (!(pte & PTE_V))
			continue;
		if (!to && (to = walk_create(dst, va)))
			to -= i;
		if (!to)
			return -E_NOMEM;
		if (pte & drop_bits) {
			from[i] = pte &= ~drop_bits;
			*dropped = 1;
		}
		set_leaf(dst, &to[i], va, pte & COPIED_PTE_BITS);
		(*mapped)++;
	}
	return 0;
}

/*
 * Map into dst every present page of src in [va, va + npages pages), to
 * the same frame, with src's rights less `drop`, which src loses too
 * (copy-on-write fork drops RIGHT_W). Returns the pages mapped, or an
 * error (pages before it stay mapped). The frames need no check: src is
 * paged by the caller (sys_map_copy), so each of its mappings was made by
 * a checked SYS_MAP from the caller or copied here from another of its
 * spaces, and who owns a frame never changes after boot (frames.c).
 */
int64_t space_map_copy(struct space *dst, struct space *src, uint64_t va, uint64_t npages,
                       uint64_t drop)
{
	uint64_t drop_bits = rights_bits(drop), end = va + npages * PAGE_SIZE;
	int64_t mapped = 0;
	int dropped = 0, err = 0;          /* dropped: src lost rights; one flush of its ASID at the end */
	for (uint64_t stop; va < end && !err; va = stop) {
		stop = next_table(va) < end ? next_table(va) : end;
		uint64_t *from = walk_existing(src, va);
		if (from)                       /* no table: nothing present up to its end */
			err = copy_table_run(dst, from - VPN(va, 0), va, stop, drop_bits, &mapped, &dropped);
	}
	if (dropped) {
		src->shrinks++;
		flush_space(src);
	}
	return err ? err : mapped;
}

/* Map npages (more than one) pages va -> pa, all page tables first so that nothing is mapped half. */
static SLOW_PATH int map_run(struct space *s, uint64_t va, uint64_t pa, uint64_t rights,
                             uint64_t npages)
{
	uint64_t *slots[MAP_MAX_PAGES];
	for (uint64_t i = 0; i < npages; i++)
		if (!(slots[i] = walk_create(s, va + i * PAGE_SIZE)))
			return -E_NOMEM;
	uint64_t pte = user_pte_of(pa, rights);
	for (uint64_t i = 0; i < npages; i++, pte += PA_TO_PTE(PAGE_SIZE))
		set_leaf(s, slots[i], va + i * PAGE_SIZE, pte);
	return 0;
}

/* Map one page for a request from `caller` (a fault's answer, usually): the same checks, quicker. */
FAST_STEP int map_one_checked(struct space *caller, struct space *s, uint64_t va, uint64_t pa,
                              uint64_t rights)
{
	int err = space_check_map(va, rights);
	if (!err && (pa % PAGE_SIZE || !frames_owned(caller, pa)))
		err = frames_check(caller, pa, 1);   /* not RAM the caller owns: a device, or refused */
	return err ? err : space_map(s, va, pa, rights);
}

/* Map npages pages for a request from `caller`: check every argument, then map. */
HOT_PATH int space_map_checked(struct space *caller, struct space *s, uint64_t va, uint64_t pa,
                               uint64_t rights, uint64_t npages)
{
	if (npages == 1)
		return map_one_checked(caller, s, va, pa, rights);
	if (npages == 0 || npages > MAP_MAX_PAGES)
		return -E_INVAL;
	int err = space_check_map(va, rights);       /* the first page; then the range of the rest */
	if (!err && npages > (USER_TOP - va) / PAGE_SIZE)
		err = -E_RANGE;
	if (!err)
		err = frames_check(caller, pa, npages);
	if (err)
		return err;
	return npages == 1 ? space_map(s, va, pa, rights) : map_run(s, va, pa, rights, npages);
}
