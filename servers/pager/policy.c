/*
 * Paging policies: three independent choices, each an operation table in
 * a file of its own (policy_*.c):
 *
 *   allocation   eager (sbrk maps at once), lazy (first touch), around:N
 *                (a fault maps N pages of its region)
 *   fork         copy (present pages copied), cow (shared read-only, copied
 *                on the first write)
 *   replacement  none (out of memory kills), fifo, clock (evict to swap)
 *
 * A policy is written "lazy,cow,none" (boot argument pager.policy=, and
 * pagerctl). Every process has its own; new processes take the default.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pager.h"

#define AROUND_PREFIX "around:"

const char policy_choices[] =
	"allocation: eager, lazy, around:N (N from 2 to 64); fork: copy, cow; "
	"replacement: none, fifo, clock";

struct policy default_policy = { &alloc_lazy, 1, &fork_cow, &evict_none };

static const struct fork_ops *const fork_policies[] = { &fork_copy, &fork_cow };
static const struct evict_ops *const evict_policies[] = { &evict_none, &evict_fifo, &evict_clock };

/* The allocation choice named word (len bytes); 0 or -E_INVAL. */
static int parse_alloc(const char *word, size_t len, struct policy *out)
{
	size_t prefix = strlen(AROUND_PREFIX);
	if (len == strlen(alloc_eager.name) && !strncmp(word, alloc_eager.name, len)) {
		out->alloc = &alloc_eager;
		out->around = 1;
	} else if (len == strlen(alloc_lazy.name) && !strncmp(word, alloc_lazy.name, len)) {
		out->alloc = &alloc_lazy;
		out->around = 1;
	} else if (len > prefix && !strncmp(word, AROUND_PREFIX, prefix)) {
		int n = 0;
		for (size_t i = prefix; i < len; i++) {
			if (word[i] < '0' || word[i] > '9' || n > AROUND_MAX)
				return -E_INVAL;
			n = n * 10 + (word[i] - '0');
		}
		if (n < 2 || n > AROUND_MAX)
			return -E_INVAL;
		out->alloc = &alloc_around;
		out->around = n;
	} else {
		return -E_INVAL;
	}
	return 0;
}

/* Find word among a table of operation tables (each starting with its name). */
static const void *parse_named(const char *word, size_t len, const void *const *table, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *name = *(const char *const *)table[i];
		if (len == strlen(name) && !strncmp(word, name, len))
			return table[i];
	}
	return NULL;
}

/* Parse "ALLOC,FORK,REPLACEMENT" into *out (unchanged on error); 0 or -E_INVAL. */
int policy_parse(const char *spec, struct policy *out)
{
	struct policy pol = *out;
	const char *comma1 = strchr(spec, ','), *comma2 = comma1 ? strchr(comma1 + 1, ',') : NULL;
	if (!comma2 || strchr(comma2 + 1, ','))
		return -E_INVAL;
	if (parse_alloc(spec, (size_t)(comma1 - spec), &pol))
		return -E_INVAL;
	pol.fork = parse_named(comma1 + 1, (size_t)(comma2 - comma1 - 1),
	                       (const void *const *)fork_policies, 2);
	pol.evict = parse_named(comma2 + 1, strlen(comma2 + 1), (const void *const *)evict_policies, 3);
	if (!pol.fork || !pol.evict)
		return -E_INVAL;
	*out = pol;
	return 0;
}

/* Write pol as "ALLOC,FORK,REPLACEMENT". */
void policy_format(const struct policy *pol, char *buf, uint64_t size)
{
	char alloc[POLICY_NAME_MAX];
	if (pol->alloc == &alloc_around)
		snprintf(alloc, sizeof(alloc), "%s%d", AROUND_PREFIX, pol->around);
	else
		snprintf(alloc, sizeof(alloc), "%s", pol->alloc->name);
	snprintf(buf, size, "%s,%s,%s", alloc, pol->fork->name, pol->evict->name);
}
