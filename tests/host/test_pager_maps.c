/*
 * Pager host tests, page records and region map (see test_pager.c):
 * pmap slots, walks and running out of frames; regions kept sorted,
 * refused when they overlap or are bad, found by address and by kind.
 */
#include "pager_test.h"

/* Pages the pmap tests map, ascending: three sparse ones plus two neighbours. */
static const uint64_t pmap_vas[] = {
	USER_BASE,                      /* sparse */
	USER_BASE + PG(3),              /* same leaf node */
	USER_BASE + LEAF_SPAN + PG(1),  /* same middle node, new leaf node */
	USER_BASE + GiB,                /* sparse: new middle and leaf node */
	USER_TOP - PAGE_SIZE,           /* sparse: new middle and leaf node */
};
#define PMAP_VAS       (sizeof(pmap_vas) / sizeof(pmap_vas[0]))
#define PMAP_NODES     8                /* root + (middle + 2 leaves) + 2 * (middle + leaf) */

/* The region layout: text, adjacent data, empty heap, a gap, data, stack. */
static const struct region layout[] = {
	{ USER_BASE, USER_BASE + PG(4), RX, REGION_TEXT, -1, 0, 0, 0 },
	{ USER_BASE + PG(4), USER_BASE + PG(6), RW, REGION_DATA, -1, 0, 0, 0 },
	{ USER_BASE + PG(6), USER_BASE + PG(6), RW, REGION_HEAP, -1, 0, 0, 0 },
	{ USER_BASE + PG(16), USER_BASE + PG(20), RIGHT_R, REGION_DATA, -1, 0, 0, 0 },
	{ PROC_STACK_BOTTOM, PROC_STACK_TOP, RW, REGION_STACK, -1, 0, 0, 0 },
};
#define LAYOUT_COUNT   (sizeof(layout) / sizeof(layout[0]))
enum { L_TEXT, L_DATA, L_HEAP, L_DATA2, L_STACK };
static const int shuffled[LAYOUT_COUNT] = { L_DATA2, L_STACK, L_HEAP, L_TEXT, L_DATA };


/* pmap_fn: record one visited page and whether visits stay ascending. */
static void log_visit(uint64_t va, uint64_t *entry, void *ctx)
{
	struct visit_log *log = ctx;
	if (log->n > 0 && va <= log->va[log->n - 1])
		log->ascending = 0;
	if (log->n < LOG_MAX) {
		log->va[log->n] = va;
		log->entry[log->n] = *entry;
	}
	log->n++;
}

/* Walk [start, end) of pm into a fresh log. */
struct visit_log walk_log(struct pmap *pm, uint64_t start, uint64_t end)
{
	struct visit_log log = { .n = 0, .ascending = 1 };
	pmap_walk(pm, start, end, log_visit, &log);
	return log;
}

/* Does walking [start, end) visit exactly pmap_vas[first..last), in order? */
static int walk_visits(struct pmap *pm, uint64_t start, uint64_t end, unsigned first, unsigned last)
{
	struct visit_log log = walk_log(pm, start, end);
	if (!log.ascending || log.n != (int)(last - first))
		return 0;
	for (unsigned i = first; i < last; i++) {
		uint64_t *slot = pmap_slot(pm, pmap_vas[i], 0);
		if (log.va[i - first] != pmap_vas[i] || !slot || log.entry[i - first] != *slot)
			return 0;
	}
	return 1;
}

/* pmap_fn: release a leaf's frame and clear its entry. */
static void release_leaf(uint64_t va, uint64_t *entry, void *ctx)
{
	(void)va;
	(void)ctx;
	frame_unref(pmap_pa(*entry));
	*entry = 0;
}

/* Release every leaf of pm, then the tree. */
void pmap_release(struct pmap *pm)
{
	pmap_walk(pm, 0, USER_TOP, release_leaf, NULL);
	pmap_destroy(pm);
}

/* Map a fresh frame at va with rights; return the entry, 0 on failure. */
uint64_t map_fresh(struct pmap *pm, uint64_t va, uint64_t rights)
{
	uint64_t pa = frame_alloc();
	uint64_t *slot = pa ? pmap_slot(pm, va, 1) : NULL;
	if (!slot || *slot)
		return 0;
	return *slot = pmap_entry(pa, rights);
}

/* An empty pmap finds nothing and allocates nothing. */
static void test_pmap_empty(void)
{
	struct pmap pm = { 0 };
	frames_setup();
	int ok = pmap_slot(&pm, USER_BASE, 0) == NULL && walk_log(&pm, 0, USER_TOP).n == 0;
	CHECK("pager_pmap_empty", ok && pm.root == 0 && pm.nodes == 0 && frames_free() == USABLE_FRAMES);
}

/* Slots across user space: create, fill, find again; nodes; absent; walks; destroy. */
static void test_pmap_slots(void)
{
	struct pmap pm = { 0 };
	uint64_t entries[PMAP_VAS];
	int created = 1, found = 1;
	frames_setup();
	for (unsigned k = PMAP_VAS; k-- > 0;)                  /* descending: order is the walk's doing */
		created &= (entries[k] = map_fresh(&pm, pmap_vas[k], k % 2 ? RW : RX)) != 0;
	for (unsigned k = 0; k < PMAP_VAS; k++) {
		uint64_t *slot = pmap_slot(&pm, pmap_vas[k], 0);
		found &= slot && *slot == entries[k] && pmap_rights(*slot) == (k % 2 ? RW : RX) &&
		         frame_refs(pmap_pa(*slot)) == 1;
	}
	CHECK("pager_pmap_sparse_slots", created && found);
	CHECK("pager_pmap_nodes",
	      pm.nodes == PMAP_NODES && frames_free() == USABLE_FRAMES - PMAP_NODES - PMAP_VAS);

	uint64_t *neighbour = pmap_slot(&pm, USER_BASE + PG(1), 0);     /* leaf node exists */
	CHECK("pager_pmap_absent_null",
	      pmap_slot(&pm, USER_BASE + 2 * GiB, 0) == NULL &&
	      pmap_slot(&pm, USER_BASE + LEAF_SPAN * 2, 0) == NULL &&
	      neighbour && *neighbour == 0 && pm.nodes == PMAP_NODES);

	CHECK("pager_pmap_walk_all", walk_visits(&pm, USER_BASE, USER_TOP, 0, PMAP_VAS) &&
	                             walk_visits(&pm, 0, ~0UL, 0, PMAP_VAS));
	CHECK("pager_pmap_walk_bounds",
	      walk_visits(&pm, pmap_vas[1], pmap_vas[PMAP_VAS - 1], 1, PMAP_VAS - 1) &&
	      walk_visits(&pm, USER_BASE, pmap_vas[1], 0, 1) &&
	      walk_visits(&pm, pmap_vas[1] + PAGE_SIZE, pmap_vas[2], 0, 0) &&
	      walk_visits(&pm, pmap_vas[2], pmap_vas[2], 0, 0) &&
	      walk_visits(&pm, USER_TOP - PAGE_SIZE, USER_TOP, PMAP_VAS - 1, PMAP_VAS));

	pmap_release(&pm);
	CHECK("pager_pmap_destroy_frees",
	      frames_free() == USABLE_FRAMES && pm.root == 0 && pm.nodes == 0 &&
	      walk_log(&pm, 0, USER_TOP).n == 0 && pmap_slot(&pm, USER_BASE, 0) == NULL);
}

/* With too few frames for a path, a slot is not made and what was taken is counted. */
static void test_pmap_out_of_frames(void)
{
	struct pmap pm = { 0 };
	const uint64_t spare = 2;               /* a path needs three nodes */
	int bad = 0;
	frames_setup();
	uint64_t n = take_all_frames(&bad);
	unref_frames(0, spare);
	int failed = pmap_slot(&pm, USER_BASE, 1) == NULL && pm.nodes == spare && frames_free() == 0;
	pmap_destroy(&pm);
	unref_frames(spare, n);
	CHECK("pager_pmap_out_of_frames", !bad && failed && frames_free() == USABLE_FRAMES);
}

/* Add the layout regions listed in order; return how many were refused. */
static int add_layout(struct region_map *m, const int *order, unsigned count)
{
	int refused = 0;
	memset(m, 0, sizeof(*m));
	for (unsigned i = 0; i < count; i++) {
		const struct region *r = &layout[order[i]];
		refused += region_add(m, r->start, r->end, r->rights, r->kind) != 0;
	}
	return refused;
}

/* Is found the same region as want (NULL matching NULL)? */
int same_region(const struct region *found, const struct region *want)
{
	if (!found || !want)
		return found == want;
	return found->start == want->start && found->end == want->end &&
	       found->rights == want->rights && found->kind == want->kind;
}

/* Are m's regions in ascending, non-overlapping order? */
int map_sorted(const struct region_map *m)
{
	for (int i = 1; i < m->count; i++)
		if (m->r[i - 1].start > m->r[i].start || m->r[i - 1].end > m->r[i].start)
			return 0;
	return 1;
}

/* Regions added in shuffled order come out sorted. */
static void test_regions_sorted(void)
{
	struct region_map m;
	int ok = add_layout(&m, shuffled, LAYOUT_COUNT) == 0 && m.count == (int)LAYOUT_COUNT;
	for (unsigned i = 0; ok && i < LAYOUT_COUNT; i++)
		ok = same_region(&m.r[i], &layout[i]);
	CHECK("pager_regions_sorted", ok && map_sorted(&m));
}

/* Overlaps of every shape are refused and leave the map as it was. */
static void test_regions_overlap(void)
{
	static const uint64_t overlaps[][2] = {
		{ USER_BASE, USER_BASE + PG(4) },               /* equal to text */
		{ USER_BASE + PG(1), USER_BASE + PG(5) },       /* across text and data */
		{ USER_BASE + PG(15), USER_BASE + PG(21) },     /* contains data2 */
		{ USER_BASE + PG(17), USER_BASE + PG(18) },     /* inside data2 */
		{ USER_BASE + PG(14), USER_BASE + PG(17) },     /* over data2's start */
		{ USER_BASE + PG(19), USER_BASE + PG(22) },     /* over data2's end */
		{ USER_BASE + PG(18), USER_BASE + PG(18) },     /* empty, inside data2 */
		{ PROC_STACK_TOP - PAGE_SIZE, PROC_STACK_TOP + PAGE_SIZE },
	};
	struct region_map m, before;
	int refused = 1;
	add_layout(&m, shuffled, LAYOUT_COUNT);
	before = m;
	for (unsigned i = 0; i < sizeof(overlaps) / sizeof(overlaps[0]); i++)
		refused &= region_add(&m, overlaps[i][0], overlaps[i][1], RW, REGION_DATA) == -E_INVAL;
	CHECK("pager_regions_overlap_rejected", refused && memcmp(&m, &before, sizeof(m)) == 0);
}

/* Unaligned or reversed bounds are refused. */
static void test_regions_bad_bounds(void)
{
	struct region_map m;
	const uint64_t lo = USER_BASE + PG(30), hi = USER_BASE + PG(32);
	memset(&m, 0, sizeof(m));
	int refused = region_add(&m, lo + 1, hi, RW, REGION_DATA) == -E_INVAL &&
	              region_add(&m, lo, hi - 1, RW, REGION_DATA) == -E_INVAL &&
	              region_add(&m, hi, lo, RW, REGION_DATA) == -E_INVAL;
	CHECK("pager_regions_bad_bounds_rejected", refused && m.count == 0);
}

/* A map with MAX_REGIONS regions refuses one more. */
static void test_regions_full(void)
{
	struct region_map m;
	int ok = 1;
	memset(&m, 0, sizeof(m));
	for (int i = 0; i < MAX_REGIONS; i++)                   /* every other page */
		ok &= region_add(&m, USER_BASE + PG(2 * i), USER_BASE + PG(2 * i + 1), RW, REGION_DATA) == 0;
	ok &= region_add(&m, USER_BASE + PG(2 * MAX_REGIONS), USER_BASE + PG(2 * MAX_REGIONS + 1),
	                 RW, REGION_DATA) == -E_INVAL;
	CHECK("pager_regions_full_rejected", ok && m.count == MAX_REGIONS && map_sorted(&m));
}

/* Lookups: first and last bytes hit; ends, gaps, guard and empty heap miss. */
static void test_regions_find(void)
{
	struct region_map m;
	int hits = 1;
	add_layout(&m, shuffled, LAYOUT_COUNT);
	for (unsigned i = 0; i < LAYOUT_COUNT; i++)
		if (layout[i].start < layout[i].end)
			hits &= same_region(region_find(&m, layout[i].start), &layout[i]) &&
			        same_region(region_find(&m, layout[i].end - 1), &layout[i]);
	CHECK("pager_regions_find_first_last", hits);
	CHECK("pager_regions_find_misses",
	      region_find(&m, layout[L_DATA2].end) == NULL &&
	      region_find(&m, layout[L_STACK].end) == NULL &&
	      region_find(&m, layout[L_DATA].end + PG(1)) == NULL &&        /* gap */
	      region_find(&m, layout[L_DATA2].start - 1) == NULL &&
	      region_find(&m, PROC_GUARD_BOTTOM) == NULL &&
	      region_find(&m, USER_BASE - 1) == NULL && region_find(&m, 0) == NULL &&
	      same_region(region_find(&m, layout[L_TEXT].end), &layout[L_DATA]));
	CHECK("pager_regions_empty_never_found",
	      region_find(&m, layout[L_HEAP].start) == NULL &&
	      same_region(region_find(&m, layout[L_HEAP].start - 1), &layout[L_DATA]));
}

/* region_of_kind gives the lowest region of a kind, NULL when there is none. */
static void test_regions_of_kind(void)
{
	static const int no_stack[] = { L_DATA2, L_HEAP, L_TEXT, L_DATA };
	struct region_map m;
	add_layout(&m, shuffled, LAYOUT_COUNT);
	int ok = same_region(region_of_kind(&m, REGION_TEXT), &layout[L_TEXT]) &&
	         same_region(region_of_kind(&m, REGION_DATA), &layout[L_DATA]) &&
	         same_region(region_of_kind(&m, REGION_HEAP), &layout[L_HEAP]) &&
	         same_region(region_of_kind(&m, REGION_STACK), &layout[L_STACK]);
	add_layout(&m, no_stack, sizeof(no_stack) / sizeof(no_stack[0]));
	ok &= region_of_kind(&m, REGION_STACK) == NULL &&
	      strcmp(region_kind_name(REGION_STACK), "stack") == 0 &&
	      strcmp(region_kind_name(REGION_KINDS), "?") == 0;
	CHECK("pager_regions_of_kind", ok);
}
/* The pmap and region tests. */
void pager_maps_tests(void)
{
	test_pmap_empty();
	test_pmap_slots();
	test_pmap_out_of_frames();
	test_regions_sorted();
	test_regions_overlap();
	test_regions_bad_bounds();
	test_regions_full();
	test_regions_find();
	test_regions_of_kind();
}
