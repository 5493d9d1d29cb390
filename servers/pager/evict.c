/*
 * Eviction: making room when the frames run out, under the faulting
 * process's replacement policy. A victim is a frame holding one process's
 * private page (frames.c records the owner); shared frames, servers'
 * memory and the pager's own are never evicted. A read-only page of a
 * program file is simply dropped (it is read again from the file); any
 * other page goes to a swap slot, and its pmap entry says which. The
 * page is unmapped before it is written out, so the owner cannot change
 * it meanwhile; a page that is an IPC buffer in use cannot be unmapped
 * (E_BUSY) and is skipped.
 */
#include "pager.h"
#include "sys.h"

#define MAX_VICTIMS 64            /* tries before giving up on making room */

/* Is frame pa one process's private page that may be evicted? Its owner and address. */
int frame_evictable(uint64_t pa, struct proc **owner, uint64_t *va)
{
	int slot = pa ? frame_owner(pa, va) : -1;
	struct proc *p = slot >= 0 ? proc_at(slot) : NULL;
	uint64_t *e = p && p->state == PROC_RUNNING && !p->system ? pmap_slot(&p->pmap, *va, 0) : NULL;
	if (!e || !pmap_present(*e) || pmap_pa(*e) != pa || (*e & PMAP_COW) || frame_refs(pa) != 1) {
		if (slot >= 0)
			frame_clear_owner(pa);      /* a stale record: forget it */
		return 0;
	}
	*owner = p;
	return 1;
}

/* Evict frame pa (checked evictable); 0, or an error (the page then stays). */
static int evict(uint64_t pa)
{
	struct proc *p;
	uint64_t va, slot;
	if (!frame_evictable(pa, &p, &va))
		return -E_INVAL;
	uint64_t *e = pmap_slot(&p->pmap, va, 0);
	struct region *r = region_find(&p->map, va);
	long err = sys_unmap((long)p->space, va, 1);
	if (err) {
		frame_set_owner(pa, proc_slot(p), va);   /* busy now: to the back of the queue */
		return (int)err;
	}
	int droppable = r && r->image >= 0 && !(r->rights & RIGHT_W) && !r->shared;
	if (!droppable && (err = swap_out(pa, &slot))) {
		sys_map((long)p->space, va, pa, pmap_pte_rights(*e), 1);   /* no swap: keep it, */
		frame_set_owner(pa, proc_slot(p), va);                      /* at the back of the queue */
		return (int)err;
	}
	*e = droppable ? 0 : pmap_swap_entry(slot, pmap_rights(*e));
	p->swapped += !droppable;
	frame_unref(pa);
	p->frames--;
	p->stats.evictions++;
	return 0;
}

/* Make sure n frames are free, evicting under p's replacement policy; 0 or -E_NOMEM. */
int ensure_free(struct proc *p, uint64_t n)
{
	const struct evict_ops *policy = p ? p->policy.evict : &evict_none;
	for (int tries = 0; frames_free() < n; tries++) {
		uint64_t victim = tries < MAX_VICTIMS ? policy->victim() : 0;
		if (!victim)
			return -E_NOMEM;
		evict(victim);
	}
	return 0;
}
