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
 *
 * This file holds simulated RAM, the frame helpers and the frame tests;
 * test_pager_maps.c the pmap and region tests, test_pager_model.c the
 * randomized models; pager_test.h what they share.
 */
#include "pager_test.h"

uint8_t *g_window;
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
uint64_t rnd(void)
{
	g_rng ^= g_rng << 13;
	g_rng ^= g_rng >> 7;
	g_rng ^= g_rng << 17;
	return g_rng;
}

/* Fresh allocator over a poisoned window: two free ranges around a hole. */
void frames_setup(void)
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
uint64_t take_all_frames(int *bad)
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
void unref_frames(uint64_t first, uint64_t last)
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
	pager_maps_tests();
	pager_model_tests();
	free(g_window);
	return check_summary();
}
