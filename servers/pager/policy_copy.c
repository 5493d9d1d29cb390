/*
 * Fork policy "copy": the child gets its own copy of every present
 * private writable page at fork time (what xv6 does). Read-only pages
 * and shared mappings are shared; pages the parent never touched stay
 * untouched in the child.
 */
#include <string.h>
#include "pager.h"

/* Copy the parent's page va into a new frame for the child; 0 or an error. */
static int copy_fork_page(struct proc *parent, struct proc *child, struct region *r, uint64_t va,
                          uint64_t *e, uint64_t *child_e)
{
	(void)parent, (void)child_e;       /* proc_map_page fills *child_e and maps the copy */
	uint64_t pa = frame_alloc_dirty();     /* fork made room (ensure_free) before this page */
	if (!pa)
		return -E_NOMEM;
	memcpy(frame_ptr(pa), frame_ptr(pmap_pa(*e)), PAGE_SIZE);
	int err = proc_map_page(child, va, pa, pmap_rights(*e));
	if (err)
		frame_unref(pa);
	else
		proc_note_frame(child, r, va, pa);
	return err;
}

const struct fork_ops fork_copy = { "copy", 0, copy_fork_page };
