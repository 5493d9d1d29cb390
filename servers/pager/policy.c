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

#define SPEC_QUOTE_MAX 64            /* bytes of a spec quoted in an error */
#define POLICY_PARTS 3

/* The allocation choice named word (len bytes); 0, or -E_INVAL with why filled in. */
static int parse_alloc(const char *word, size_t len, struct policy *out, const char *spec,
                       char *why, size_t size)
{
	size_t prefix = strlen(AROUND_PREFIX);
	if (len == strlen(alloc_eager.name) && !strncmp(word, alloc_eager.name, len)) {
		out->alloc = &alloc_eager;
		out->around = 1;
	} else if (len == strlen(alloc_lazy.name) && !strncmp(word, alloc_lazy.name, len)) {
		out->alloc = &alloc_lazy;
		out->around = 1;
	} else if (len >= prefix && !strncmp(word, AROUND_PREFIX, prefix)) {
		int n = len > prefix ? 0 : -1;
		for (size_t i = prefix; i < len && n >= 0; i++)
			n = word[i] < '0' || word[i] > '9' || n > AROUND_MAX ? -1 : n * 10 + (word[i] - '0');
		if (n < 2 || n > AROUND_MAX) {
			snprintf(why, size, "bad page count in allocation policy '%.*s' in '%.*s': around:N takes N "
			         "from 2 to %d", (int)len, word, SPEC_QUOTE_MAX, spec, AROUND_MAX);
			return -E_INVAL;
		}
		out->alloc = &alloc_around;
		out->around = n;
	} else {
		snprintf(why, size, "unknown allocation policy '%.*s' in '%.*s'; choices: eager lazy around:N",
		         (int)len, word, SPEC_QUOTE_MAX, spec);
		return -E_INVAL;
	}
	return 0;
}

/* Find word among a table of operation tables (each starting with its name); NULL and why filled in if absent. */
static const void *parse_named(const char *word, size_t len, const void *const *table, size_t n,
                               const char *part, const char *spec, char *why, size_t size)
{
	int used = snprintf(why, size, "unknown %s policy '%.*s' in '%.*s'; choices:", part, (int)len, word,
	                    SPEC_QUOTE_MAX, spec);
	for (size_t i = 0; i < n; i++) {
		const char *name = *(const char *const *)table[i];
		if (len == strlen(name) && !strncmp(word, name, len))
			return table[i];
		if (used >= 0 && (size_t)used < size)
			used += snprintf(why + used, size - (size_t)used, " %s", name);
	}
	return NULL;
}

/*
 * Parse "ALLOC,FORK,REPLACEMENT" into *out (unchanged on error); 0, or
 * -E_INVAL with a line in why (size bytes) naming the part that is wrong
 * and its choices.
 */
int policy_parse_why(const char *spec, struct policy *out, char *why, size_t size)
{
	struct policy pol = *out;
	const char *comma1 = strchr(spec, ','), *comma2 = comma1 ? strchr(comma1 + 1, ',') : NULL;
	if (!comma2 || strchr(comma2 + 1, ',')) {
		int parts = 1;
		for (const char *c = spec; *c; c++)
			parts += *c == ',';
		snprintf(why, size, "'%.*s' has %d part%s; a policy is %d: ALLOC,FORK,REPLACEMENT, e.g. lazy,cow,none",
		         SPEC_QUOTE_MAX, spec, parts, parts == 1 ? "" : "s", POLICY_PARTS);
		return -E_INVAL;
	}
	if (parse_alloc(spec, (size_t)(comma1 - spec), &pol, spec, why, size))
		return -E_INVAL;
	pol.fork = parse_named(comma1 + 1, (size_t)(comma2 - comma1 - 1), (const void *const *)fork_policies,
	                       sizeof(fork_policies) / sizeof(fork_policies[0]), "fork", spec, why, size);
	if (!pol.fork)
		return -E_INVAL;
	pol.evict = parse_named(comma2 + 1, strlen(comma2 + 1), (const void *const *)evict_policies,
	                        sizeof(evict_policies) / sizeof(evict_policies[0]), "replacement", spec, why, size);
	if (!pol.evict)
		return -E_INVAL;
	*out = pol;
	return 0;
}

/* Parse "ALLOC,FORK,REPLACEMENT" into *out (unchanged on error); 0 or -E_INVAL. */
int policy_parse(const char *spec, struct policy *out)
{
	char why[POLICY_ERROR_MAX];
	return policy_parse_why(spec, out, why, sizeof(why));
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
