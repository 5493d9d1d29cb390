/*
 * Replacement policy "random" (a baseline): the victim is an evictable
 * frame drawn at random, used or not. The frames are kept in a dense
 * array (each frame knows its place in it), so a draw is one look-up;
 * the generator is xorshift64 from a fixed seed, so a run can be repeated.
 */
#include "pager.h"

#define RANDOM_SEED 0x9e3779b97f4a7c15UL
#define NOT_DRAWN UINT32_MAX          /* a frame's place when it is not in the array */
#define RANDOM_TRIES 64               /* draws before looking through the array in order */
#define XORSHIFT_A 13
#define XORSHIFT_B 7
#define XORSHIFT_C 17

static uint32_t *place;               /* per frame: its index in drawable, or NOT_DRAWN */
static uint32_t *drawable;            /* the evictable frames' numbers, count of them */
static uint64_t count, state = RANDOM_SEED;

/* The boot hands it its per-frame state: the places, then the array. */
static void random_attach(void *per_frame, uint64_t frames)
{
	place = per_frame;
	drawable = place + frames;
	count = 0;
	state = RANDOM_SEED;
	for (uint64_t i = 0; i < frames; i++)
		place[i] = NOT_DRAWN;
}

/* The next number of the generator. */
static uint64_t next_random(void)
{
	state ^= state << XORSHIFT_A;
	state ^= state >> XORSHIFT_B;
	state ^= state << XORSHIFT_C;
	return state;
}

/* Frame pa holds an evictable page: into the array (once). */
static void random_noted(uint64_t pa)
{
	uint64_t i = frame_number(pa);
	if (place[i] != NOT_DRAWN)
		return;
	place[i] = (uint32_t)count;
	drawable[count++] = (uint32_t)i;
}

/* Frame pa is no longer evictable: the last of the array takes its place. */
static void random_forgotten(uint64_t pa)
{
	uint64_t i = frame_number(pa);
	if (place[i] == NOT_DRAWN)
		return;
	uint32_t last = drawable[--count];
	drawable[place[i]] = last;
	place[last] = place[i];
	place[i] = NOT_DRAWN;
}

/* A frame drawn at random that may go for who (in order from a random place after RANDOM_TRIES draws); or 0. */
static uint64_t random_victim(struct proc *who)
{
	uint64_t va;
	for (int t = 0; t < RANDOM_TRIES && count; t++) {
		uint64_t pa = frame_at(drawable[next_random() % count]);
		if (victim_candidate(pa, who, &va))
			return pa;
	}
	uint64_t start = count ? next_random() % count : 0;
	for (uint64_t k = 0; k < count; k++) {
		uint64_t pa = frame_at(drawable[(start + k) % count]);
		if (victim_candidate(pa, who, &va))
			return pa;
	}
	return 0;
}

/* The checker: every evictable frame is in the array once, and knows its place. */
static void random_check(uint64_t evictable, check_report_fn report)
{
	for (uint64_t k = 0; k < count; k++)
		if (place[drawable[k]] != k)
			report("random's frame %#lx is at %lu but thinks %u", (unsigned long)frame_at(drawable[k]),
			       (unsigned long)k, place[drawable[k]]);
	if (count != evictable)
		report("random's array holds %lu frames; %lu are evictable", (unsigned long)count,
		       (unsigned long)evictable);
}

const struct evict_ops evict_random = {
	.name = "random", .victim = random_victim, .noted = random_noted, .forgotten = random_forgotten,
	.frame_bytes = 2 * sizeof(uint32_t), .attach = random_attach, .check = random_check,
};
