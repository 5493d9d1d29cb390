/*
 * The scope of a process's replacement, the optional fourth part of its
 * policy:
 *
 *   global    (the default) room is made from any program's pages, the
 *             replacement policy choosing among all of them;
 *   local:N   the process holds at most N frames: a fault, sbrk or fork
 *             that would take it past N evicts its own pages first
 *             (make_room, evict.c), under its replacement policy; when it
 *             must make room anyway it offers its own pages first too;
 *   pff:N     as local, starting at N, and the limit follows the page-
 *             fault frequency: every PFF_WINDOW ticks, a process that took
 *             more than PFF_HIGH faults gets PFF_STEP_SHARE-th more frames,
 *             one that took fewer than PFF_LOW gives that many back (not
 *             under PFF_FLOOR frames).
 *
 * The limit is soft: when the process has no page of its own that can go
 * (all shared, or the swap queue full), it gets the frame anyway.
 */
#include <stdio.h>
#include <string.h>
#include "pager.h"

#define LOCAL_PREFIX "local:"
#define PFF_PREFIX "pff:"
#define LIMIT_MIN 16                  /* the fewest frames a limit may name: a program's stack, text and data */
#define LIMIT_MAX (1UL << 24)          /* the most (64 GiB of pages) */
#define PFF_WINDOW 10                 /* ticks between adjustments (100 ms) */
#define PFF_HIGH 50                   /* faults in a window above which the limit grows */
#define PFF_LOW 5                     /* ... below which it shrinks */
#define PFF_STEP_SHARE 8              /* by 1/8 of itself */
#define PFF_STEP_MIN 8                /* and by at least 8 frames */
#define PFF_FLOOR LIMIT_MIN

static const char *const scope_prefix[SCOPE_COUNT] = { "global", LOCAL_PREFIX, PFF_PREFIX };

/* Parse the scope word (len bytes) into out; 0, or -E_INVAL with why naming what is wrong. */
int scope_parse(const char *word, size_t len, struct policy *out, char *why, size_t size)
{
	const char *global = scope_prefix[SCOPE_GLOBAL];
	uint64_t n = 0;
	if (len == strlen(global) && !strncmp(word, global, len)) {
		out->scope = SCOPE_GLOBAL;
		out->limit = 0;
		return 0;
	}
	for (int s = SCOPE_LOCAL; s < SCOPE_COUNT; s++) {
		size_t prefix = strlen(scope_prefix[s]);
		if (len < prefix || strncmp(word, scope_prefix[s], prefix))
			continue;
		if (policy_parse_decimal(word + prefix, len - prefix, &n) || n < LIMIT_MIN || n > LIMIT_MAX) {
			snprintf(why, size, "bad frame limit in scope '%.*s': %sN takes N from %d to %lu", (int)len,
			         word, scope_prefix[s], LIMIT_MIN, (unsigned long)LIMIT_MAX);
			return -E_INVAL;
		}
		if (out->evict == &evict_none) {
			snprintf(why, size, "scope '%.*s' needs a replacement policy that evicts, not none", (int)len,
			         word);
			return -E_INVAL;
		}
		out->scope = (enum policy_scope)s;
		out->limit = n;
		return 0;
	}
	snprintf(why, size, "unknown scope '%.*s'; choices: global local:N pff:N", (int)len, word);
	return -E_INVAL;
}

/* Write pol's scope as ",local:N" or ",pff:N" (nothing for global); the bytes written. */
int scope_format(const struct policy *pol, char *buf, size_t size)
{
	if (pol->scope == SCOPE_GLOBAL) {
		buf[0] = '\0';
		return 0;
	}
	return snprintf(buf, size, ",%s%lu", scope_prefix[pol->scope], (unsigned long)pol->limit);
}

/* One process under pff: move its limit by its faults since the last window. */
static void pff_adjust(struct proc *p, uint64_t now)
{
	uint64_t faults = p->stats.faults - p->pff_faults, limit = p->policy.limit;
	uint64_t step = limit / PFF_STEP_SHARE > PFF_STEP_MIN ? limit / PFF_STEP_SHARE : PFF_STEP_MIN;
	if (faults > PFF_HIGH)
		limit = limit + step < LIMIT_MAX ? limit + step : LIMIT_MAX;
	else if (faults < PFF_LOW)
		limit = limit > PFF_FLOOR + step ? limit - step : PFF_FLOOR;
	p->policy.limit = limit;
	p->pff_faults = p->stats.faults;
	p->pff_tick = now;
}

/* The timer: adjust the limits under pff whose window is over; the next tick wanted, or 0 if none uses pff. */
uint64_t scope_tick(uint64_t now)
{
	uint64_t next = 0;
	for (int slot = 0; slot < MAX_PROCS; slot++) {
		struct proc *p = proc_at(slot);
		if (p->state != PROC_RUNNING || p->system || p->policy.scope != SCOPE_PFF)
			continue;
		if (now >= p->pff_tick + PFF_WINDOW)
			pff_adjust(p, now);
		if (!next || p->pff_tick + PFF_WINDOW < next)
			next = p->pff_tick + PFF_WINDOW;
	}
	return next;
}

/* p's policy was just set: its pff window starts now. */
void scope_start(struct proc *p)
{
	p->pff_faults = p->stats.faults;
	p->pff_tick = pager_ticks();
}
