/*
 * Eviction: making room when the frames run out, under the faulting
 * process's replacement policy. A victim is a frame holding one process's
 * private page (frames.c records the owner), or a page that programs
 * share copy-on-write since a fork (every holder maps it at the same
 * address, so a scan of the processes finds them); pages of shared
 * mappings, servers' memory and the pager's own are never evicted. A read-only page of a
 * program file is simply dropped (it is read again from the file); any
 * other page goes to a swap slot, and its pmap entry says which. The
 * page is unmapped before it is written out, so the owner cannot change
 * it meanwhile; a page that is an IPC buffer in use cannot be unmapped
 * (E_BUSY) and is skipped. The write goes on while the pager serves other
 * messages (swap.c): the frame is free only when it is done, so a policy
 * that swaps keeps writes going ahead of need (make_room).
 */
#include "pager.h"
#include "sys.h"

#define MAX_VICTIMS 64            /* tries before giving up on making room */

/* The pmap entry of q at va if it is a running program's and holds frame pa, else NULL. */
static uint64_t *holder_entry(struct proc *q, uint64_t va, uint64_t pa)
{
	uint64_t *e = q && q->state == PROC_RUNNING && !q->system ? pmap_slot(&q->pmap, va, 0) : NULL;
	return e && pmap_present(*e) && pmap_pa(*e) == pa ? e : NULL;
}

/* Some program that holds frame pa at va, or NULL. */
static struct proc *other_holder(uint64_t pa, uint64_t va)
{
	for (int slot = 0; slot < MAX_PROCS; slot++)
		if (holder_entry(proc_at(slot), va, pa))
			return proc_at(slot);
	return NULL;
}

/*
 * The processes that hold frame pa at va: the recorded owner, and, for a
 * frame shared copy-on-write since a fork, every other program that maps
 * it at the same address. Returns how many (at most MAX_PROCS), or 0 if
 * some reference is not such a mapping (a shared mapping, the pager's own).
 */
static int holders(uint64_t pa, struct proc *owner, uint64_t va, struct proc **out)
{
	uint64_t refs = frame_refs(pa);
	int n = 0;
	out[n++] = owner;
	for (int slot = 0; slot < MAX_PROCS && refs > 1 && (uint64_t)n < refs; slot++) {
		struct proc *q = proc_at(slot);
		if (q != owner && holder_entry(q, va, pa))
			out[n++] = q;
	}
	for (int i = 0; i < n; i++) {
		struct region *r = region_find(&out[i]->map, va);
		if (!r || r->shared)
			return 0;
	}
	return (uint64_t)n == refs ? n : 0;
}

/*
 * Is frame pa a program page that may be evicted: one process's private
 * page, or one shared copy-on-write among programs only? Its recorded
 * owner and address.
 */
int frame_evictable(uint64_t pa, struct proc **owner, uint64_t *va)
{
	struct proc *all[MAX_PROCS];
	int slot = pa ? frame_owner(pa, va) : -1;
	struct proc *p = slot >= 0 ? proc_at(slot) : NULL;
	if (slot >= 0 && !holder_entry(p, *va, pa))
		p = other_holder(pa, *va);      /* the owner copied its page or left; a child may hold it */
	if (!p) {
		if (slot >= 0)
			frame_clear_owner(pa);      /* a stale record: forget it */
		return 0;
	}
	*owner = p;
	return holders(pa, p, *va, all) > 0;
}

static int evict_local;           /* make_room asks for a victim among who's own pages only */

/* May the policy offer frame pa to make room for who: evictable, and who's own if only those may go now? */
int victim_candidate(uint64_t pa, struct proc *who, uint64_t *va)
{
	struct proc *owner;
	return frame_evictable(pa, &owner, va) && (!evict_local || owner == who);
}

/* Its page's PAGE_PRESENT, PAGE_ACCESSED, PAGE_DIRTY in its recorded owner, cleared as how says; 0 if not mapped. */
int64_t frame_page_bits(uint64_t pa, int how)
{
	uint64_t va;
	int slot = frame_owner(pa, &va);
	struct proc *p = slot >= 0 ? proc_at(slot) : NULL;
	int64_t bits = p && p->space ? sys_page_bits((long)p->space, va, how) : 0;
	return bits > 0 ? bits : 0;
}

/* Could frame pa, whose page has these bits, go without a write-back (as evict decides for sure)? */
int frame_clean(uint64_t pa, int64_t bits)
{
	return frame_fresh(pa) && !(bits & PAGE_DIRTY);
}

/* frames_sample's batch: up to PAGE_BITS_MAX_PAGES pages of one process from va. */
struct sample_batch {
	struct proc *p;
	uint64_t va, pa[PAGE_BITS_MAX_PAGES], mask;   /* mask: which pages are the process's own frames */
	int how;
	sample_fn fn;
	void *ctx;
};

/* Read the batch's bits in one call and report each of its pages; empty it. */
static void sample_flush(struct sample_batch *b)
{
	if (!b->mask)
		return;
	uint64_t last = PAGE_BITS_MAX_PAGES - 1;
	while (!(b->mask & (1UL << last)))
		last--;
	int64_t bits = sys_page_bits_many((long)b->p->space, b->va, b->how, last + 1);
	for (uint64_t i = 0; i <= last; i++)
		if (b->mask & (1UL << i))
			b->fn(b->p, b->va + i * PAGE_SIZE, b->pa[i],
			      bits > 0 ? (bits >> (PAGE_BITS_WIDTH * i)) & (int64_t)PAGE_BITS_MASK : 0, b->ctx);
	b->mask = 0;
}

/* One page record of the process being sampled: into the batch if its frame is its own evictable page. */
static void sample_page(uint64_t va, uint64_t *entry, void *ctx)
{
	struct sample_batch *b = ctx;
	uint64_t owner_va, pa = pmap_pa(*entry);
	if (!pmap_present(*entry) || frame_owner(pa, &owner_va) != proc_slot(b->p) || owner_va != va)
		return;
	if (b->mask && va >= b->va + PAGE_BITS_MAX_PAGES * PAGE_SIZE)
		sample_flush(b);
	if (!b->mask)
		b->va = va;
	uint64_t i = (va - b->va) / PAGE_SIZE;
	b->pa[i] = pa;
	b->mask |= 1UL << i;
}

/* Call fn with the bits of every page of p whose frame is its own evictable page, PAGE_BITS_MAX_PAGES a kernel call. */
void proc_sample(struct proc *p, int how, sample_fn fn, void *ctx)
{
	struct sample_batch b = { .p = p, .how = how, .fn = fn, .ctx = ctx };
	if (p->state != PROC_RUNNING || p->system || !p->space)
		return;
	pmap_walk(&p->pmap, 0, PMAP_TOP, sample_page, &b);
	sample_flush(&b);
}

/* The same for every running program. */
void frames_sample(int how, sample_fn fn, void *ctx)
{
	for (int slot = 0; slot < MAX_PROCS; slot++)
		proc_sample(proc_at(slot), how, fn, ctx);
}

/*
 * Is page va of p (frame pa, in r) clean: as its fill made it, and not
 * written since? It is made read-only first, so no write can come
 * between the look at its dirty bit and the unmap.
 */
static int page_clean(struct proc *p, struct region *r, uint64_t va, uint64_t pa, const uint64_t *e)
{
	if (!frame_fresh(pa) || r->kind == REGION_MMAP || r->shared)
		return 0;
	if ((pmap_pte_rights(*e) & RIGHT_W) && sys_protect((long)p->space, va, pmap_pte_rights(*e) & ~RIGHT_W))
		return 0;
	int64_t bits = sys_page_bits((long)p->space, va, PAGE_BITS_READ);
	return bits > 0 && !(bits & PAGE_DIRTY);
}

/* Put back the mappings of frame pa at va in the first n holders (an eviction that failed). */
static void remap(struct proc **holder, int n, uint64_t va, uint64_t pa)
{
	for (int i = 0; i < n; i++) {
		uint64_t *e = pmap_slot(&holder[i]->pmap, va, 0);
		sys_map((long)holder[i]->space, va, pa, pmap_pte_rights(*e), 1);
	}
}

/*
 * Evict frame pa (checked evictable) from every holder; 0, or an error
 * (the page then stays). A page to swap is on its way out when this
 * returns: the records name its slot, and the write in flight holds the
 * frame until it is on the disk (swap.c).
 */
static int evict(uint64_t pa)
{
	struct proc *p, *holder[MAX_PROCS];
	uint64_t va, slot = 0;
	if (!frame_evictable(pa, &p, &va))
		return -E_INVAL;
	int n = holders(pa, p, va, holder);
	for (int i = 0; i < n; i++)
		proc_answer_wait(holder[i]);     /* a page still on its way in stays put until it is in */
	struct region *r = region_find(&p->map, va);
	long err = 0;
	int droppable = (r->image >= 0 && !(r->rights & RIGHT_W)) ||
	                (n == 1 && page_clean(p, r, va, pa, pmap_slot(&p->pmap, va, 0)));
	if (!droppable)
		frame_set_fresh(pa, 0);          /* written: if it stays (no swap, busy), its mapping again has no D bit */
	for (int i = 0; i < n && !err; i++)
		if ((err = sys_unmap((long)holder[i]->space, va, 1)))
			remap(holder, i, va, pa);
	if (!err && !droppable && (err = swap_write_start(pa, va, &slot)))
		remap(holder, n, va, pa);        /* no swap (or the queue is full): keep it */
	if (err) {
		frame_set_owner(pa, proc_slot(p), va);   /* busy or no swap: to the back of the queue */
		return (int)err;
	}
	frame_clear_owner(pa);                   /* the write holds it now: no one's page */
	p->stats.writebacks += !droppable;
	for (int i = 0; i < n; i++) {
		uint64_t *e = pmap_slot(&holder[i]->pmap, va, 0);
		*e = droppable ? 0 : pmap_swap_entry(slot, pmap_rights(*e));
		if (!droppable)
			swap_ref(slot);             /* every holder refers to the slot, as after a fork */
		holder[i]->swapped += !droppable;
		holder[i]->frames--;
		holder[i]->stats.evictions++;
		frame_unref(pa);
	}
	return 0;
}

/*
 * The write of frame pa (page va) to slot failed: give the page back to
 * every program whose record still names the slot. It comes back present
 * but unmapped (the next touch maps it again), copy-on-write if more than
 * one holds it.
 */
void evict_undo(uint64_t slot, uint64_t va, uint64_t pa)
{
	struct proc *holder[MAX_PROCS];
	int n = 0;
	for (int i = 0; i < MAX_PROCS; i++) {
		struct proc *q = proc_at(i);
		uint64_t *e = q->state == PROC_RUNNING && !q->system ? pmap_slot(&q->pmap, va, 0) : NULL;
		if (e && (*e & PMAP_SWAPPED) && !pmap_present(*e) && pmap_slot_of(*e) == slot)
			holder[n++] = q;
	}
	for (int i = 0; i < n; i++) {
		uint64_t *e = pmap_slot(&holder[i]->pmap, va, 0);
		*e = pmap_entry(pa, pmap_rights(*e)) | (n > 1 ? PMAP_COW : 0);
		frame_ref(pa);
		swap_unref(slot);
		holder[i]->swapped--;
		holder[i]->frames++;
	}
	if (n == 1)
		proc_note_frame(holder[0], region_find(&holder[0]->map, va), va, pa);
}

/* A victim for p under policy: among its own pages first if its scope is local, else (or then) anyone's. */
static uint64_t pick_victim(const struct evict_ops *policy, struct proc *p)
{
	uint64_t victim = 0;
	if (p && p->policy.scope != SCOPE_GLOBAL) {
		evict_local = 1;
		victim = policy->victim(p);
		evict_local = 0;
	}
	return victim ? victim : policy->victim(p);
}

/* p is at its frame limit (local:N, pff:N): evict its own pages until n more fit, while it has any. */
static void evict_own(struct proc *p, const struct evict_ops *policy, uint64_t n)
{
	evict_local = 1;
	for (int tries = 0; tries < MAX_VICTIMS && proc_at_frame_limit(p, n) && swap_can_write(); tries++) {
		uint64_t victim = policy->victim(p);
		int err = victim ? evict(victim) : -E_NOENT;
		if (err && err != -E_BUSY)
			break;                  /* none, or no swap slot: over the limit this time */
	}
	evict_local = 0;
}

uint64_t room_later_need;

/*
 * p is at its frame limit: evict its own pages. While the swap queue is
 * too full to start another write, the limit holds: the fault waits for a
 * write to finish (1: ROOM_LATER) or, with ROOM_WAIT, this waits here. A
 * process with no page of its own that can go gets the frame anyway (0).
 */
static int own_room(struct proc *p, const struct evict_ops *policy, uint64_t n, enum room_how how)
{
	evict_own(p, policy, n);
	while (proc_at_frame_limit(p, n) && !swap_can_write() && swap_writing()) {
		room_later_need = n;
		if (how != ROOM_WAIT)
			return 1;
		swap_wait();
		evict_own(p, policy, n);
	}
	return 0;
}
static const struct evict_ops *ahead_policy;   /* of the last program that made room by swapping */
static uint64_t owed;                          /* evictions swap-ins have paid for and not yet started */

/*
 * Make room for n frames under p's replacement policy. A policy that
 * swaps starts writes until SWAP_AHEAD frames more than n are free or on
 * their way out, so that the next faults find them free; then, if fewer
 * than n are free: ROOM_WAIT waits for the writes in flight, the others
 * return ROOM_LATER while there are any. When the policy has no victim
 * at all and no write is in flight, kill the program holding the most
 * pages if that is not p (oom.c; not with ROOM_NO_KILL). 0, ROOM_LATER,
 * or -E_NOMEM: p is past its share, holds the most, or MAX_VICTIMS tries
 * did not make the room.
 */
int make_room(struct proc *p, uint64_t n, enum room_how how)
{
	const struct evict_ops *policy = p ? p->policy.evict : &evict_none;
	uint64_t ahead = policy == &evict_none || !swap_total() ? 0 : SWAP_AHEAD;
	if (ahead)
		ahead_policy = policy;
	if (p && proc_over_limit(p, 0))
		return frames_free() >= n ? 0 : -E_NOMEM;
	if (ahead && proc_at_frame_limit(p, n) && own_room(p, policy, n, how))
		return ROOM_LATER;
	for (int tries = 0, stop = 0;;) {
		if (frames_free() + swap_writing() < n + ahead && tries < MAX_VICTIMS && !stop && swap_can_write()) {
			uint64_t victim = pick_victim(policy, p);
			tries++;
			stop = !victim;             /* no victim at all */
			if (victim && evict(victim) && frames_free() >= n)
				stop = 1;           /* only working ahead: try again at the next call */
			continue;
		}
		if (frames_free() >= n &&
		    (how == ROOM_WAIT || !swap_writing() || !fault_frames_wanted(p)))
			return 0;               /* (a fault takes no frame another waits for: it waits behind it) */
		if (swap_writing() || !swap_can_write()) {     /* frames, or room in the queue, on their way */
			room_later_need = n;
			if (how != ROOM_WAIT)
				return ROOM_LATER;
			swap_wait();
			stop = 0;                   /* the policy may have victims again */
			continue;
		}
		if (tries >= MAX_VICTIMS || how == ROOM_NO_KILL || !oom_kill_for(p))
			return -E_NOMEM;
		stop = 0;
	}
}

/*
 * After swap requests finished, and when a swap-in pays: while programs
 * swap, keep writes going under the policy of the last one that made
 * room by swapping, first those owed (swap_in_room), then until
 * SWAP_RESERVE + SWAP_AHEAD frames are free or on their way out, so that
 * faults that need no disk find frames free.
 */
void evict_ahead(void)
{
	for (int tries = 0; ahead_policy && tries < MAX_VICTIMS && swap_can_write() &&
	                    (owed || frames_free() + swap_writing() < SWAP_RESERVE + SWAP_AHEAD); tries++) {
		uint64_t victim = ahead_policy->victim(NULL);
		if (!victim)
			return;
		if (!evict(victim) && owed)
			owed--;
	}
}

/*
 * Room for a swap-in's frame. Under memory pressure (fewer than
 * 1/SWAP_PAY_SHARE of the frames free) a swap-in, which waits for the
 * disk anyway, leaves the last SWAP_RESERVE free frames to faults that
 * need none (it waits for writes instead, unless no room can be made for
 * them), and pays for the frame it takes with one eviction, started now
 * if the queue has room, else owed and started as soon as it has; with
 * SWAP_OWED_MAX evictions owed already, it waits for the writes to catch up.
 * So a program that swaps keeps its footprint, and the frames that other
 * programs give back (a heap shrunk, a process ended) stay free for them
 * rather than feed its swap-ins. 0 (the frame may be taken), ROOM_LATER
 * or -E_NOMEM.
 */
int swap_in_room(struct proc *p)
{
	if (p->policy.evict == &evict_none || (frames_free() + frames_used()) / SWAP_PAY_SHARE <= frames_free())
		return fault_room(p, 1);
	int room = frames_free() >= 1 + SWAP_RESERVE + SWAP_LOW ? 0 : make_room(p, 1 + SWAP_RESERVE, ROOM_NO_KILL);
	if (room)
		return room > 0 ? room : fault_room(p, 1);
	if (owed >= SWAP_OWED_MAX && swap_writing()) {
		room_later_need = frames_free() + 1;   /* until a write has given a frame back */
		return ROOM_LATER;
	}
	ahead_policy = p->policy.evict;
	owed++;
	evict_ahead();
	return 0;
}
