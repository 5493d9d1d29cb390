/*
 * Host unit test for the pager's frame allocator (frames.c), page
 * records (pmap.c) and region map (regions.c).
 *
 * Physical memory is a page-aligned malloc'd buffer standing in for the
 * pager's window: RAM starts at RAM_BASE, the first RESERVED_PAGES are
 * not the pager's, and the pager owns the OWNED_PAGES after them. They
 * reach the allocator as two free ranges with HOLE_PAGES between them
 * (owned but in use). Prints one "@@ PASS host/pager_<name>" or
 * "@@ FAIL host/pager_<name> ..." line per check; exits 0 iff all pass.
 * Lines starting with "#" explain a model test's first mismatch.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pager.h"
#include "check.h"

/* Simulated RAM. */
#define RAM_BASE       0x80000000UL
#define RESERVED_PAGES 64UL
#define OWNED_BASE     (RAM_BASE + RESERVED_PAGES * PAGE_SIZE)
#define OWNED_PAGES    3000UL           /* enough that the count table takes two pages */
#define FIRST_PAGES    100UL            /* first free range, from OWNED_BASE */
#define HOLE_PAGES     8UL              /* owned, never freed */
#define SECOND_BASE    (OWNED_BASE + (FIRST_PAGES + HOLE_PAGES) * PAGE_SIZE)
#define SECOND_PAGES   (OWNED_PAGES - FIRST_PAGES - HOLE_PAGES)
#define WINDOW_BYTES   ((RESERVED_PAGES + OWNED_PAGES) * PAGE_SIZE)
#define REF_BYTES      FRAME_INFO_BYTES /* frames.c keeps a record per owned frame */
#define TABLE_PAGES    ((OWNED_PAGES * REF_BYTES + PAGE_SIZE - 1) / PAGE_SIZE)
#define USABLE_FRAMES  (OWNED_PAGES - HOLE_PAGES - TABLE_PAGES)
#define POISON         0xa5             /* what RAM holds before the pager clears it */
#define SCRIBBLE       0xff             /* what a user writes into a frame */
#define SMALL_BATCH    8

/* Address arithmetic. */
#define PG(n)          ((uint64_t)(n) * PAGE_SIZE)
#define MiB            (1UL << 20)
#define GiB            (1UL << 30)
#define LEAF_SPAN      (2 * MiB)        /* user space one pmap leaf node covers */
#define RW             (RIGHT_R | RIGHT_W)
#define RX             (RIGHT_R | RIGHT_X)

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
#define LOG_MAX        128              /* most pages one walk records */

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

/* Randomized model tests. */
#define MODEL_SEED       0x9e3779b97f4a7c15ULL
#define MODEL_OPS        10000
#define MODEL_SPAN_PAGES 64             /* region tests live in this many pages from USER_BASE */
#define MODEL_MAX_LEN    6              /* longest random region, pages */
#define MODEL_ADD_ONE_IN 4              /* one op in this many adds a region */
#define MODEL_RESET_ONE_IN 150          /* one op in this many starts an empty map */
#define MODEL_PAGES      64             /* candidate pages for the pmap model */
#define MODEL_CLUSTER    16             /* of them, consecutive (sharing leaf nodes) */
#define MODEL_WALK_ONE_IN 50            /* one op in this many also checks a walk */

static uint8_t *g_window;
static uint64_t g_frames[OWNED_PAGES];  /* frames a test holds */
static uint8_t g_seen[OWNED_PAGES];     /* per owned frame: handed out already */
static uint64_t g_rng = MODEL_SEED;

static uint64_t g_noted;                /* frames the policies were told of and not told to forget */
uint64_t policies_noting = 1;           /* as if one chosen policy kept an order: frames.c tells it */

/* frames.c tells the replacement policies of evictable frames: count them. */
void policies_note_all(uint64_t pa)
{
	(void)pa;
	g_noted++;
}

/* A frame no longer evictable. */
void policies_forget_all(uint64_t pa)
{
	(void)pa;
	g_noted--;
}

/* The policies' check: as many frames noted as frames.c counts evictable. */
void policies_check(uint64_t evictable, check_report_fn report)
{
	if (evictable != g_noted)
		report("%lu frames evictable, %lu noted", (unsigned long)evictable, (unsigned long)g_noted);
}

/* xorshift64: the model tests' fixed random sequence. */
static uint64_t rnd(void)
{
	g_rng ^= g_rng << 13;
	g_rng ^= g_rng >> 7;
	g_rng ^= g_rng << 17;
	return g_rng;
}

/* Fresh allocator over a poisoned window: two free ranges around a hole. */
static void frames_setup(void)
{
	memset(g_window, POISON, WINDOW_BYTES);
	frames_init(g_window, RAM_BASE, OWNED_BASE, OWNED_PAGES, 0);
	g_noted = 0;
	frames_add_free(OWNED_BASE, FIRST_PAGES);
	frames_add_free(SECOND_BASE, SECOND_PAGES);
}

/* Is pa a page-aligned frame of a free range, outside the count table? */
static int allocatable(uint64_t pa)
{
	uint64_t first_lo = OWNED_BASE + PG(TABLE_PAGES), first_hi = OWNED_BASE + PG(FIRST_PAGES);
	uint64_t second_hi = SECOND_BASE + PG(SECOND_PAGES);
	if (pa % PAGE_SIZE)
		return 0;
	return (pa >= first_lo && pa < first_hi) || (pa >= SECOND_BASE && pa < second_hi);
}

/* Index of an owned frame in g_seen. */
static uint64_t owned_index(uint64_t pa)
{
	return (pa - OWNED_BASE) / PAGE_SIZE;
}

/* Does every byte of frame pa equal byte? */
static int frame_is(uint64_t pa, uint8_t byte)
{
	const uint8_t *p = frame_ptr(pa);
	for (uint64_t i = 0; i < PAGE_SIZE; i++)
		if (p[i] != byte)
			return 0;
	return 1;
}

/* Take every free frame into g_frames, scribbling on each; return how many. */
static uint64_t take_all_frames(int *bad)
{
	uint64_t n = 0, pa;
	memset(g_seen, 0, sizeof(g_seen));
	while (n < OWNED_PAGES && (pa = frame_alloc()) != 0) {
		if (!allocatable(pa) || g_seen[owned_index(pa)])
			*bad = 1;
		else
			g_seen[owned_index(pa)] = 1;
		memset(frame_ptr(pa), SCRIBBLE, PAGE_SIZE);
		g_frames[n++] = pa;
	}
	return n;
}

/* Drop one reference to each of g_frames[first..last). */
static void unref_frames(uint64_t first, uint64_t last)
{
	for (uint64_t i = first; i < last; i++)
		frame_unref(g_frames[i]);
}

/* The count table comes out of the first range and starts cleared. */
static void test_frames_setup(void)
{
	frames_setup();
	CHECK("pager_frames_table_carved",
	      frames_free() == USABLE_FRAMES && frame_refs(SECOND_BASE) == 0 &&
	      frame_refs(OWNED_BASE + PG(FIRST_PAGES - 1)) == 0);
}

/* A few allocations: valid, distinct, zeroed, and counted. */
static void test_frames_alloc(void)
{
	int valid = 1, zeroed = 1, counted = 1;
	frames_setup();
	memset(g_seen, 0, sizeof(g_seen));
	for (uint64_t i = 0; i < SMALL_BATCH; i++) {
		uint64_t pa = g_frames[i] = frame_alloc();
		valid &= allocatable(pa) && !g_seen[owned_index(pa)] && frame_refs(pa) == 1;
		g_seen[owned_index(pa)] = 1;
		zeroed &= frame_is(pa, 0);
		counted &= frames_free() == USABLE_FRAMES - i - 1;
		memset(frame_ptr(pa), SCRIBBLE, PAGE_SIZE);
	}
	for (uint64_t i = 0; i < SMALL_BATCH; i++) {
		frame_unref(g_frames[i]);
		counted &= frames_free() == USABLE_FRAMES - SMALL_BATCH + i + 1;
	}
	for (uint64_t i = 0; i < SMALL_BATCH; i++)
		zeroed &= frame_is(g_frames[i] = frame_alloc(), 0);   /* reused: zeroed again */
	unref_frames(0, SMALL_BATCH);
	CHECK("pager_frames_alloc_valid", valid);
	CHECK("pager_frames_alloc_zeroed", zeroed);
	CHECK("pager_frames_free_count", counted && frames_free() == USABLE_FRAMES);
}

/* Allocate until nothing is left, then give it all back. */
static void test_frames_exhaust(void)
{
	int bad = 0, intact = 1, released = 1;
	frames_setup();
	uint64_t n = take_all_frames(&bad);
	for (uint64_t i = 0; i < n; i++)
		intact &= frame_refs(g_frames[i]) == 1;    /* scribbling spared the table */
	CHECK("pager_frames_exhaust",
	      !bad && intact && n == USABLE_FRAMES && frames_free() == 0 &&
	      frame_alloc() == 0 && frame_alloc_dirty() == 0);
	unref_frames(0, n);
	for (uint64_t i = 0; i < n; i++)
		released &= frame_refs(g_frames[i]) == 0;
	CHECK("pager_frames_all_freed", released && frames_free() == USABLE_FRAMES);
}

/* A frame with two references is freed by the second unref, not the first. */
static void test_frames_shared(void)
{
	frames_setup();
	uint64_t pa = frame_alloc(), before = frames_free();
	frame_ref(pa);
	int ok = frame_refs(pa) == 2;
	frame_unref(pa);
	ok &= frame_refs(pa) == 1 && frames_free() == before;
	frame_unref(pa);
	ok &= frame_refs(pa) == 0 && frames_free() == before + 1;
	frame_unref(pa);                            /* already free: changes nothing (the checker reports it) */
	ok &= frame_refs(pa) == 0 && frames_free() == before + 1;
	CHECK("pager_frames_shared_ref", ok);
}

static int g_findings;                          /* what the frame checker reported */

/* The checker's report: count the finding. */
static void count_finding(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("# ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	g_findings++;
}

/* Run the frame checker with the frames in found[0..n) found once each; its findings. */
static int frames_checked(const uint64_t *found, int n)
{
	g_findings = 0;
	frames_check_begin();
	for (int i = 0; i < n; i++)
		frames_check_found(found[i]);
	frames_check_end(count_finding);
	return g_findings;
}

/* The checker: consistent books pass; a double unref, a lost frame, a freed frame in use, a wrong owner list fail. */
static void test_frames_checker(void)
{
	frames_setup();
	uint64_t held[SMALL_BATCH];
	for (int i = 0; i < SMALL_BATCH; i++)
		held[i] = frame_alloc();
	frame_set_owner(held[0], 0, USER_BASE);
	int ok = frames_checked(held, SMALL_BATCH) == 0;
	ok &= frames_checked(held, SMALL_BATCH - 1) == 1;      /* held[last]: referenced, found nowhere */
	frame_unref(held[SMALL_BATCH - 1]);
	frame_unref(held[SMALL_BATCH - 1]);                    /* a double unref */
	ok &= frames_checked(held, SMALL_BATCH - 1) == 1;
	ok &= frames_checked(held, SMALL_BATCH - 1) == 0;      /* reported once */
	ok &= frames_checked(held, SMALL_BATCH) == 1;          /* a free frame still in use */
	ok &= frames_check_found(RAM_BASE) == -1 && frames_check_found(OWNED_BASE + 1) == -1;
	for (int i = 0; i < SMALL_BATCH - 1; i++)
		frame_unref(held[i]);
	CHECK("pager_frames_checker", ok && frames_checked(NULL, 0) == 0);
}

/* What one pmap walk saw. */
struct visit_log {
	int n, ascending;
	uint64_t va[LOG_MAX], entry[LOG_MAX];
};

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
static struct visit_log walk_log(struct pmap *pm, uint64_t start, uint64_t end)
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
static void pmap_release(struct pmap *pm)
{
	pmap_walk(pm, 0, USER_TOP, release_leaf, NULL);
	pmap_destroy(pm);
}

/* Map a fresh frame at va with rights; return the entry, 0 on failure. */
static uint64_t map_fresh(struct pmap *pm, uint64_t va, uint64_t rights)
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
static int same_region(const struct region *found, const struct region *want)
{
	if (!found || !want)
		return found == want;
	return found->start == want->start && found->end == want->end &&
	       found->rights == want->rights && found->kind == want->kind;
}

/* Are m's regions in ascending, non-overlapping order? */
static int map_sorted(const struct region_map *m)
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

/* The region model: the regions added, in insertion order. */
struct region_model {
	struct region r[MAX_REGIONS];
	int count;
};

/* Linear scan: the model's region containing va, or NULL. */
static const struct region *model_find(const struct region_model *md, uint64_t va)
{
	for (int i = 0; i < md->count; i++)
		if (md->r[i].start <= va && va < md->r[i].end)
			return &md->r[i];
	return NULL;
}

/* Do [a, b) and [c, d) collide? An empty region collides with one strictly around it. */
static int collide(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	if (a == b && c == d)
		return 0;
	if (a == b)
		return c < a && a < d;
	if (c == d)
		return a < c && c < b;
	return a < d && c < b;
}

/* Would the model refuse [start, end): a full map, or a collision? */
static int model_refuses(const struct region_model *md, uint64_t start, uint64_t end)
{
	if (md->count == MAX_REGIONS)
		return 1;
	for (int i = 0; i < md->count; i++)
		if (collide(md->r[i].start, md->r[i].end, start, end))
			return 1;
	return 0;
}

/* One random add to both; return 1 if they disagree. */
static int model_region_add(struct region_map *m, struct region_model *md)
{
	uint64_t start = USER_BASE + PG(rnd() % MODEL_SPAN_PAGES);
	uint64_t end = start + PG(rnd() % (MODEL_MAX_LEN + 1));
	enum region_kind kind = (enum region_kind)(rnd() % REGION_KINDS);
	int refuse = model_refuses(md, start, end);
	int got = region_add(m, start, end, RW, kind);
	if (got == 0)
		md->r[md->count++] = (struct region){ start, end, RW, kind, -1, 0, 0, 0 };
	if ((got == 0) == refuse || !map_sorted(m)) {
		printf("# region_add [%#lx, %#lx) returned %d, model %s\n",
		       (unsigned long)start, (unsigned long)end, got, refuse ? "refuses" : "accepts");
		return 1;
	}
	return 0;
}

/* One random lookup in both; return 1 if they disagree. */
static int model_region_lookup(struct region_map *m, const struct region_model *md)
{
	uint64_t va = USER_BASE - PAGE_SIZE + rnd() % PG(MODEL_SPAN_PAGES + MODEL_MAX_LEN + 2);
	const struct region *want = model_find(md, va);
	if (same_region(region_find(m, va), want))
		return 0;
	printf("# region_find(%#lx) disagrees with the linear scan\n", (unsigned long)va);
	return 1;
}

/* Random adds, resets and lookups against the linear-scan model. */
static void test_model_regions(void)
{
	struct region_map m;
	struct region_model md;
	int mismatches = 0, lookups = 0;
	memset(&m, 0, sizeof(m));
	memset(&md, 0, sizeof(md));
	for (int op = 0; op < MODEL_OPS && mismatches == 0; op++) {
		if (rnd() % MODEL_RESET_ONE_IN == 0) {
			memset(&m, 0, sizeof(m));
			memset(&md, 0, sizeof(md));
		} else if (rnd() % MODEL_ADD_ONE_IN == 0) {
			mismatches += model_region_add(&m, &md);
		} else {
			mismatches += model_region_lookup(&m, &md);
			lookups++;
		}
	}
	CHECK("pager_model_regions", mismatches == 0 && lookups > MODEL_OPS / 2);
}

/* What one pmap model op does. */
enum pmap_op { OP_SET, OP_CLEAR, OP_LOOKUP, OP_KINDS };

/* The pmap model: candidate pages, ascending, and each one's entry (0 = absent). */
struct pmap_model {
	uint64_t va[MODEL_PAGES], entry[MODEL_PAGES];
};

/* qsort: ascending uint64_t. */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* A random page of user space. */
static uint64_t random_user_page(void)
{
	return USER_BASE + PG(rnd() % ((USER_TOP - USER_BASE) / PAGE_SIZE));
}

/* Distinct candidates: a run of consecutive pages, the rest anywhere. */
static void pmap_model_init(struct pmap_model *md)
{
	uint64_t run = random_user_page() & ~(LEAF_SPAN - 1);
	memset(md, 0, sizeof(*md));
	for (int i = 0; i < MODEL_PAGES; i++) {
		int dup;
		do {
			md->va[i] = i < MODEL_CLUSTER ? run + PG(i) : random_user_page();
			dup = 0;
			for (int j = 0; j < i; j++)
				dup |= md->va[j] == md->va[i];
		} while (dup);
	}
	qsort(md->va, MODEL_PAGES, sizeof(md->va[0]), cmp_u64);
}

/* The entry pm holds for va, 0 if it has none. */
static uint64_t pmap_get(struct pmap *pm, uint64_t va)
{
	uint64_t *slot = pmap_slot(pm, va, 0);
	return slot ? *slot : 0;
}

/* One random set, clear or lookup on both; return 1 if they disagree. */
static int model_pmap_op(struct pmap *pm, struct pmap_model *md)
{
	int i = (int)(rnd() % MODEL_PAGES);
	uint64_t rights = 1 + rnd() % RIGHTS_ALL, *slot;
	if (pmap_get(pm, md->va[i]) != md->entry[i])
		return 1;
	switch (rnd() % OP_KINDS) {
	case OP_SET:                            /* a new frame, or new rights */
		if (!md->entry[i])
			return !(md->entry[i] = map_fresh(pm, md->va[i], rights));
		slot = pmap_slot(pm, md->va[i], 0);
		*slot = md->entry[i] = pmap_entry(pmap_pa(*slot), rights);
		return 0;
	case OP_CLEAR:
		if (md->entry[i]) {
			slot = pmap_slot(pm, md->va[i], 0);
			frame_unref(pmap_pa(*slot));
			*slot = md->entry[i] = 0;
		}
		return 0;
	default:                                /* OP_LOOKUP: checked above */
		return 0;
	}
}

/* Does a walk over candidates [lo, hi) visit exactly the model's present ones? */
static int model_walk_matches(struct pmap *pm, const struct pmap_model *md, int lo, int hi)
{
	uint64_t end = hi < MODEL_PAGES ? md->va[hi] : USER_TOP;
	struct visit_log log = walk_log(pm, md->va[lo], end);
	int k = 0;
	for (int i = lo; i < hi; i++) {
		if (!md->entry[i])
			continue;
		if (k >= log.n || log.va[k] != md->va[i] || log.entry[k] != md->entry[i])
			return 0;
		k++;
	}
	return log.ascending && k == log.n;
}

/* Walk a random range of candidates [lo, hi); 1 if it matches the model. */
static int model_walk_random(struct pmap *pm, const struct pmap_model *md)
{
	int a = (int)(rnd() % MODEL_PAGES), b = (int)(rnd() % (MODEL_PAGES + 1));
	return model_walk_matches(pm, md, a < b ? a : b, a < b ? b : a);
}

/* Random set/clear/lookup against the array model, with walks over random ranges. */
static void test_model_pmap(void)
{
	static struct pmap_model md;
	struct pmap pm = { 0 };
	int mismatches = 0;
	frames_setup();
	pmap_model_init(&md);
	for (int op = 0; op < MODEL_OPS && mismatches == 0; op++) {
		if (model_pmap_op(&pm, &md)) {
			printf("# pmap op %d disagrees with the model\n", op);
			mismatches++;
		}
		if (rnd() % MODEL_WALK_ONE_IN == 0 && !model_walk_random(&pm, &md)) {
			printf("# pmap walk at op %d disagrees with the model\n", op);
			mismatches++;
		}
	}
	mismatches += !model_walk_matches(&pm, &md, 0, MODEL_PAGES);
	pmap_release(&pm);
	CHECK("pager_model_pmap", mismatches == 0 && frames_free() == USABLE_FRAMES);
}

/* Run every check over one simulated RAM window. */
int main(void)
{
	g_window = aligned_alloc(PAGE_SIZE, WINDOW_BYTES);
	if (!g_window) {
		CHECK("pager_window", g_window != NULL);
		return check_summary();
	}
	test_frames_setup();
	test_frames_alloc();
	test_frames_exhaust();
	test_frames_shared();
	test_frames_checker();
	test_pmap_empty();
	test_pmap_slots();
	test_pmap_out_of_frames();
	test_regions_sorted();
	test_regions_overlap();
	test_regions_bad_bounds();
	test_regions_full();
	test_regions_find();
	test_regions_of_kind();
	test_model_regions();
	test_model_pmap();
	free(g_window);
	return check_summary();
}
