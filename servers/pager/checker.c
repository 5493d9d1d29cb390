/*
 * The pager's state checker (PAGER_CHECK, and after every fault under
 * the boot argument pager.check_faults=1). It recounts, from scratch, who
 * refers to what:
 *
 *   frames      every present page record and every page-record node of
 *               every process (servers' DMA grants are page records too),
 *               and the swap driver's pages; each frame's reference count
 *               must equal what was found, free frames none
 *   swap slots  every swapped-out page record; each slot's count must
 *               equal the records found, and the count of slots used the
 *               slots with a reference
 *   processes   a running one's frame, swap and node counters against its
 *               records, every record inside one of its regions (or a
 *               server's DMA window), its DMA grants; an ended one holds
 *               nothing
 *   lists       the free and zeroed lists and the evictable list
 *               (frames.c), no server page on the evictable list
 *
 * Program images hold no frames (image.c reads them into the page's own
 * frame), so they add no references. Each difference is one console line
 * "pager: check: ...", and the checker returns how many there were. A
 * double unref of a frame or a slot is counted where it happens and
 * reported here.
 */
#include <stdarg.h>
#include <stdio.h>
#include "pager.h"

static int64_t findings;           /* of the check running now */
static int64_t pending;            /* found by checks after faults, not yet asked for */

/* Report one difference on the console. */
static void __attribute__((format(printf, 1, 2))) finding(const char *fmt, ...)
{
	va_list ap;
	printf("pager: check: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	findings++;
}

/* What one process's page records add up to. */
struct tally {
	struct proc *p;
	uint64_t frames, swapped, nodes, dma;
};

/* Is va in a server's window of DMA pages? */
static int dma_window(uint64_t va)
{
	return va >= PROC_DMA_VA && va < PROC_DMA_VA + PROC_DMA_PAGES * PAGE_SIZE;
}

/* Count one page record: its frame or its swap slot, and where it lies. */
static void count_page(uint64_t va, uint64_t *entry, void *ctx)
{
	struct tally *t = ctx;
	uint64_t e = *entry;
	int pid = t->p->pid;
	if ((e & PMAP_SWAPPED) && !pmap_present(e)) {
		t->swapped++;
		if (swap_check_found(pmap_slot_of(e)))
			finding("pid %d page %#lx: swap slot %lu does not exist", pid, (unsigned long)va,
			        (unsigned long)pmap_slot_of(e));
	} else if (pmap_present(e) && !(e & PMAP_SWAPPED)) {
		t->frames++;
		if (frames_check_found(pmap_pa(e)))
			finding("pid %d page %#lx: %#lx is not a frame of the pager", pid, (unsigned long)va,
			        (unsigned long)pmap_pa(e));
	} else {
		finding("pid %d page %#lx: record %#lx is neither present nor swapped", pid,
		        (unsigned long)va, (unsigned long)e);
	}
	t->dma += t->p->system && dma_window(va);
	if (!region_find(&t->p->map, va) && !(t->p->system && dma_window(va)))
		finding("pid %d page %#lx is outside every region", pid, (unsigned long)va);
}

/* Count one node of a process's page records. */
static void count_node(uint64_t node_pa, void *ctx)
{
	struct tally *t = ctx;
	t->nodes++;
	if (frames_check_found(node_pa))
		finding("pid %d: record node %#lx is not a frame of the pager", t->p->pid, (unsigned long)node_pa);
}

/* Report a counter of p that differs from what its records add up to. */
static void compare(const struct proc *p, const char *what, uint64_t counter, uint64_t records)
{
	if (counter != records)
		finding("pid %d (%s): %s counter %lu; its records have %lu", p->pid, p->name, what,
		        (unsigned long)counter, (unsigned long)records);
}

/* Check one process slot: a running process against its records; an ended one holds nothing. */
static void check_proc(struct proc *p)
{
	struct tally t = { p, 0, 0, 0, 0 };
	if (p->state != PROC_RUNNING) {
		if (p->pmap.root || p->frames || p->swapped)
			finding("pid %d has ended but holds %lu frames, %lu swap slots, records at %#lx", p->pid,
			        (unsigned long)p->frames, (unsigned long)p->swapped, (unsigned long)p->pmap.root);
		return;
	}
	pmap_walk_nodes(&p->pmap, count_node, &t);
	pmap_walk(&p->pmap, 0, PMAP_TOP, count_page, &t);
	compare(p, "frames", p->frames, t.frames);
	compare(p, "swapped", p->swapped, t.swapped);
	compare(p, "record nodes", p->pmap.nodes, t.nodes);
	compare(p, "DMA pages", (uint64_t)p->dma_pages, t.dma);
}

/* No server's page, and no page of an empty slot, may be on the evictable list. */
static void check_owners(void)
{
	uint64_t va;
	for (uint64_t i = 0; i < frames_total(); i++) {
		int slot = frame_owner(frame_at(i), &va);
		struct proc *q = slot >= 0 ? proc_at(slot) : NULL;
		if (slot >= 0 && (!q || q->system))
			finding("frame %#lx is evictable but belongs to %s", (unsigned long)frame_at(i),
			        q ? "a server" : "no process slot");
	}
}

/* Recount every reference the pager keeps; report each difference; the number of findings. */
int64_t pager_check(void)
{
	findings = 0;
	frames_check_begin();
	swap_check_begin();
	file_reads_check();
	for (int slot = 0; slot < MAX_PROCS; slot++)
		check_proc(proc_at(slot));
	frames_check_end(finding);
	swap_check_end(finding);
	check_owners();
	return findings;
}

/* The checker after a fault (pager.check_faults=1): its findings wait for the next PAGER_CHECK. */
void pager_check_after_fault(void)
{
	pending += pager_check();
}

/* PAGER_CHECK: do the damage asked for (test hooks only), check, undo it; the findings, with those after faults. */
int64_t pager_check_request(struct proc *p, uint64_t inject)
{
	uint64_t pa = 0;
	if (inject == CHECK_INJECT_DOUBLE_UNREF && (pa = frame_alloc())) {
		frame_unref(pa);
		frame_unref(pa);
	} else if (inject == CHECK_INJECT_FRAME_COUNT) {
		p->frames++;
	} else if (inject == CHECK_INJECT_LOST_FRAME) {
		pa = frame_alloc();
	}
	int64_t n = pager_check() + pending;
	pending = 0;
	if (inject == CHECK_INJECT_FRAME_COUNT)
		p->frames--;
	else if (inject == CHECK_INJECT_LOST_FRAME && pa)
		frame_unref(pa);
	return n;
}
