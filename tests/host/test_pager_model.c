/*
 * Pager host tests, randomized models (see test_pager.c): the region map
 * and the page records against a plain model, op by op.
 */
#include "pager_test.h"


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
/* The model tests. */
void pager_model_tests(void)
{
	test_model_regions();
	test_model_pmap();
}
