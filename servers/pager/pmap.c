/*
 * The pager's record of each process's present pages: a three-level
 * radix tree over the virtual page number (9 bits a level, like Sv39),
 * whose nodes are frames. A leaf entry is the frame's physical address
 * with PMAP_PRESENT and the mapping's rights in its low bits. The kernel's
 * page table says what the hardware sees; this says what the pager gave,
 * and is what fork copies, sbrk shrinks and exit frees.
 */
#include "pager.h"

#define LEVELS 3
#define NODE_BITS 9
#define NODE_ENTRIES (1UL << NODE_BITS)
_Static_assert(NODE_ENTRIES == PMAP_LEAF_PAGES, "pager.h names a leaf's size");
#define INDEX(va, level) (((va) >> (PAGE_SHIFT + NODE_BITS * (level))) & (NODE_ENTRIES - 1))
#define LEVEL_SPAN(level) (1UL << (PAGE_SHIFT + NODE_BITS * (level)))

_Static_assert(LEVEL_SPAN(LEVELS) == PMAP_TOP, "pager.h names the span of a pmap");

/* The leaf node that covers va (the same for every page of one LEVEL_SPAN(1)). */
#define LEAF_TAG(va) ((va) >> (PAGE_SHIFT + NODE_BITS))

/* Walk the tree to va's leaf entry, creating nodes if asked; NULL if absent or out of frames. */
static __attribute__((noinline)) uint64_t *slot_walk(struct pmap *pm, uint64_t va, int create)
{
	if (!pm->root) {
		if (!create || !(pm->root = frame_alloc()))
			return NULL;
		pm->nodes++;
	}
	uint64_t *node = frame_ptr(pm->root);
	for (int level = LEVELS - 1; level > 0; level--) {
		uint64_t *e = &node[INDEX(va, level)];
		if (!*e) {
			if (!create || !(*e = frame_alloc()))
				return NULL;
			pm->nodes++;
		}
		node = frame_ptr(*e);
	}
	pm->leaf = node;                  /* nodes live until pmap_destroy: safe to remember */
	pm->leaf_tag = LEAF_TAG(va);
	return &node[INDEX(va, 0)];
}

/* Return the leaf entry for va, creating nodes if asked; NULL if absent or out of frames. */
uint64_t *pmap_slot(struct pmap *pm, uint64_t va, int create)
{
	if (pm->leaf && pm->leaf_tag == LEAF_TAG(va))
		return &pm->leaf[INDEX(va, 0)];   /* the leaf of the last lookup: faults come in runs */
	return slot_walk(pm, va, create);
}

/* Visit present leaves of one node whose span starts at base, within [start, end) (which overlaps it). */
static void walk_node(uint64_t node_pa, int level, uint64_t base, uint64_t start, uint64_t end,
                      pmap_fn fn, void *ctx)
{
	uint64_t *node = frame_ptr(node_pa), span = LEVEL_SPAN(level);
	uint64_t first = start > base ? (start - base) / span : 0;
	uint64_t last = (end - base) / span + ((end - base) % span != 0);   /* one past the last slot in range */
	if (last > NODE_ENTRIES)
		last = NODE_ENTRIES;
	for (uint64_t i = first; i < last; i++) {
		if (!node[i])
			continue;
		if (level == 0)
			fn(base + i * span, &node[i], ctx);
		else
			walk_node(node[i], level - 1, base + i * span, start, end, fn, ctx);
	}
}

/* Call fn on every present page in [start, end). */
void pmap_walk(struct pmap *pm, uint64_t start, uint64_t end, pmap_fn fn, void *ctx)
{
	if (pm->root)
		walk_node(pm->root, LEVELS - 1, 0, start, end, fn, ctx);
}

/* Visit the leaf nodes below one node of level >= 1 whose span starts at base. */
static void walk_leaves(uint64_t node_pa, int level, uint64_t base, pmap_leaf_fn fn, void *ctx)
{
	uint64_t *node = frame_ptr(node_pa);
	for (uint64_t i = 0; i < NODE_ENTRIES; i++) {
		uint64_t lo = base + i * LEVEL_SPAN(level);
		if (node[i] && level == 1)
			fn(lo, frame_ptr(node[i]), ctx);
		else if (node[i])
			walk_leaves(node[i], level - 1, lo, fn, ctx);
	}
}

/* Call fn on every leaf node (PMAP_LEAF_PAGES entries, the first for page base), in address order. */
void pmap_walk_leaves(struct pmap *pm, pmap_leaf_fn fn, void *ctx)
{
	if (pm->root)
		walk_leaves(pm->root, LEVELS - 1, 0, fn, ctx);
}

/* Call fn on node_pa and every node below it. */
static void walk_nodes(uint64_t node_pa, int level, pmap_node_fn fn, void *ctx)
{
	uint64_t *node = frame_ptr(node_pa);
	for (uint64_t i = 0; level > 0 && i < NODE_ENTRIES; i++)
		if (node[i])
			walk_nodes(node[i], level - 1, fn, ctx);
	fn(node_pa, ctx);
}

/* Call fn on the frame of every node of the tree, children before their parent. */
void pmap_walk_nodes(struct pmap *pm, pmap_node_fn fn, void *ctx)
{
	if (pm->root)
		walk_nodes(pm->root, LEVELS - 1, fn, ctx);
}

/* Free one node (its children are freed first). */
static void free_node(uint64_t node_pa, void *ctx)
{
	(void)ctx;
	frame_unref(node_pa);
}

/* Free the whole tree; the caller has already released the leaves. */
void pmap_destroy(struct pmap *pm)
{
	pmap_walk_nodes(pm, free_node, NULL);
	pm->root = 0;
	pm->nodes = 0;
	pm->leaf = NULL;
}
