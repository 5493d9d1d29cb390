/*
 * Fork policy "cow" (copy-on-write): at fork, parent and child share each
 * present private writable page, mapped read-only in both, with the
 * frame's reference count at two and PMAP_COW in both records (fork does
 * this itself for a policy with a share_flag: proc.c, fork_page). The first write to such a page faults;
 * the pager copies it, or, when the page is no longer shared (the other
 * side exited or copied already), just makes it writable again. Pages
 * marked copy-on-write are resolved this way whatever the policy is when
 * the write comes.
 */
#include <string.h>
#include "pager.h"
#include "sys.h"

/* A write to copy-on-write page va (entry *e): copy it, or reuse it if no longer shared. */
int cow_write_fault(struct proc *p, uint64_t va, uint64_t *e, uint64_t *pa)
{
	uint64_t old = pmap_pa(*e), rights = pmap_rights(*e);
	struct region *r = region_find(&p->map, va);
	if (frame_refs(old) == 1) {
		*e &= ~PMAP_COW;
		*pa = old;
		proc_note_frame(p, r, va, old);
		p->stats.cow_reuses++;
		return DECIDE_COW_REUSE;
	}
	int room = fault_room(p, 1);
	if (room <= 0 && (!pmap_present(*e) || pmap_pa(*e) != old))
		room_later_need = 1;            /* this very page is being written out: try again soon */
	if (room > 0 || !pmap_present(*e) || pmap_pa(*e) != old)
		return DECIDE_WAIT;             /* frames are being written out, or this very page was */
	if (room || !(*pa = frame_alloc_dirty()))
		return DECIDE_OOM;
	memcpy(frame_ptr(*pa), frame_ptr(old), PAGE_SIZE);
	frame_unref(old);
	*e = pmap_entry(*pa, rights);
	proc_note_frame(p, r, va, *pa);
	p->stats.cow_copies++;
	return DECIDE_COW_COPY;
}

const struct fork_ops fork_cow = { "cow", PMAP_COW, NULL };   /* fork shares the pages (proc.c, fork_page) */
