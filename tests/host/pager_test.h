/*
 * What the pager host tests share (tests/host/test_pager.c,
 * test_pager_maps.c, test_pager_model.c): simulated RAM, the frame
 * helpers, and the pmap and region helpers the model tests reuse.
 */
#ifndef TESTS_HOST_PAGER_TEST_H
#define TESTS_HOST_PAGER_TEST_H

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

#define LOG_MAX        128              /* most pages one walk records */


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

/* What one pmap walk saw. */
struct visit_log {
	int n, ascending;
	uint64_t va[LOG_MAX], entry[LOG_MAX];
};

/* test_pager.c: simulated RAM and the frame helpers. */
extern uint8_t *g_window;
uint64_t rnd(void);
void frames_setup(void);
uint64_t take_all_frames(int *bad);
void unref_frames(uint64_t first, uint64_t last);

/* test_pager_maps.c: pmap and region helpers. */
struct visit_log walk_log(struct pmap *pm, uint64_t start, uint64_t end);
void pmap_release(struct pmap *pm);
uint64_t map_fresh(struct pmap *pm, uint64_t va, uint64_t rights);
int same_region(const struct region *found, const struct region *want);
int map_sorted(const struct region_map *m);

/* The test groups. */
void pager_maps_tests(void);
void pager_model_tests(void);

#endif
