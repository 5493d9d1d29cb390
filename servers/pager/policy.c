/*
 * Paging policies: three independent choices, each an operation table in
 * a file of its own (policy_*.c), and a scope (limits.c):
 *
 *   allocation   eager (sbrk maps at once), lazy (first touch), around:N
 *                (a fault maps N pages of its region)
 *   fork         copy (present pages copied), cow (shared read-only, copied
 *                on the first write)
 *   replacement  none (out of memory kills), or a policy that evicts to
 *                swap: every table listed in EVICT_POLICIES, some with a
 *                parameter (aging:PERIOD, wsclock:TAU)
 *   scope        global (the default), local:N, pff:N
 *
 * A policy is written "lazy,cow,none" or "lazy,cow,wsclock:20,local:500"
 * (boot argument pager.policy=, and pagerctl). Every process has its own;
 * new processes take the default.
 *
 * The replacement policies are registered in policy_table.c, one line
 * each; the choices printed in messages, the per-frame state and the
 * hooks all come from that table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pager.h"

#define AROUND_PREFIX "around:"
#define PARAM_SEP ':'
#define SPEC_QUOTE_MAX 64            /* bytes of a spec quoted in an error */
#define POLICY_PARTS_MIN 3
#define POLICY_PARTS_MAX 4
#define DECIMAL_MAX_DIGITS 19        /* fits in a uint64_t */

struct policy default_policy = { &alloc_lazy, 1, &fork_cow, &evict_none, 0, SCOPE_GLOBAL, 0 };

static const struct fork_ops *const fork_policies[] = { &fork_copy, &fork_cow };
#define FORK_POLICY_COUNT (sizeof(fork_policies) / sizeof(fork_policies[0]))

/* Every choice of every part, for messages and pagerctl help. */
void policy_choices(char *buf, size_t size)
{
	int used = snprintf(buf, size, "allocation: eager, lazy, around:N (N from 2 to %d); fork: copy, cow; "
	                    "replacement:", AROUND_MAX);
	for (size_t i = 0; i < evict_policy_count && used >= 0 && (size_t)used < size; i++) {
		const struct evict_ops *e = evict_policies[i];
		used += snprintf(buf + used, size - (size_t)used, "%s %s%s", i ? "," : "", e->name,
		                 e->param ? "[:N]" : "");
	}
	if (used >= 0 && (size_t)used < size)
		snprintf(buf + used, size - (size_t)used, "; scope (optional): global, local:N, pff:N");
}

/* Parse len bytes of decimal digits into *value; 0, or -1 if empty, not a number or too long. */
int policy_parse_decimal(const char *text, size_t len, uint64_t *value)
{
	uint64_t n = 0;
	if (len == 0 || len > DECIMAL_MAX_DIGITS)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -1;
		n = n * 10 + (uint64_t)(text[i] - '0');
	}
	*value = n;
	return 0;
}

/* The allocation choice named word (len bytes); 0, or -E_INVAL with why filled in. */
static int parse_alloc(const char *word, size_t len, struct policy *out, const char *spec,
                       char *why, size_t size)
{
	size_t prefix = strlen(AROUND_PREFIX);
	uint64_t n = 0;
	if (len == strlen(alloc_eager.name) && !strncmp(word, alloc_eager.name, len)) {
		out->alloc = &alloc_eager;
		out->around = 1;
	} else if (len == strlen(alloc_lazy.name) && !strncmp(word, alloc_lazy.name, len)) {
		out->alloc = &alloc_lazy;
		out->around = 1;
	} else if (len >= prefix && !strncmp(word, AROUND_PREFIX, prefix)) {
		if (policy_parse_decimal(word + prefix, len - prefix, &n) || n < 2 || n > AROUND_MAX) {
			snprintf(why, size, "bad page count in allocation policy '%.*s' in '%.*s': around:N takes N "
			         "from 2 to %d", (int)len, word, SPEC_QUOTE_MAX, spec, AROUND_MAX);
			return -E_INVAL;
		}
		out->alloc = &alloc_around;
		out->around = (int)n;
	} else {
		snprintf(why, size, "unknown allocation policy '%.*s' in '%.*s'; choices: eager lazy around:N",
		         (int)len, word, SPEC_QUOTE_MAX, spec);
		return -E_INVAL;
	}
	return 0;
}

/* The fork choice named word; 0, or -E_INVAL with why filled in. */
static int parse_fork(const char *word, size_t len, struct policy *out, const char *spec, char *why,
                      size_t size)
{
	int used = snprintf(why, size, "unknown fork policy '%.*s' in '%.*s'; choices:", (int)len, word,
	                    SPEC_QUOTE_MAX, spec);
	for (size_t i = 0; i < FORK_POLICY_COUNT; i++) {
		const char *name = fork_policies[i]->name;
		if (len == strlen(name) && !strncmp(word, name, len)) {
			out->fork = fork_policies[i];
			return 0;
		}
		if (used >= 0 && (size_t)used < size)
			used += snprintf(why + used, size - (size_t)used, " %s", name);
	}
	return -E_INVAL;
}

/* The value of replacement policy e's parameter, text (len bytes, NULL: none given); 0 or -E_INVAL. */
static int parse_param(const struct evict_ops *e, const char *text, size_t len, uint64_t *value,
                       const char *spec, char *why, size_t size)
{
	const struct policy_param *pp = e->param;
	char reason[POLICY_WHY_MAX] = "";
	if (!pp && text) {
		snprintf(why, size, "replacement policy '%s' takes no parameter, in '%.*s'", e->name,
		         SPEC_QUOTE_MAX, spec);
		return -E_INVAL;
	}
	if (!pp || !text) {
		*value = pp ? pp->dflt : 0;
		return 0;
	}
	int bad = pp->parse ? pp->parse(text, len, value, reason, sizeof(reason))
	                    : policy_parse_decimal(text, len, value) || *value < pp->min || *value > pp->max;
	if (bad) {
		snprintf(why, size, "bad parameter '%.*s' of replacement policy '%s' in '%.*s': %s%s from %lu to %lu",
		         (int)len, text, e->name, SPEC_QUOTE_MAX, spec, reason[0] ? reason : "",
		         reason[0] ? "; " : pp->meaning, (unsigned long)pp->min, (unsigned long)pp->max);
		return -E_INVAL;
	}
	return 0;
}

/* The replacement choice word, NAME or NAME:PARAM; 0, or -E_INVAL with why filled in. */
static int parse_evict(const char *word, size_t len, struct policy *out, const char *spec, char *why,
                       size_t size)
{
	const char *colon = memchr(word, PARAM_SEP, len);
	size_t name_len = colon ? (size_t)(colon - word) : len;
	for (size_t i = 0; i < evict_policy_count; i++) {
		const struct evict_ops *e = evict_policies[i];
		if (name_len != strlen(e->name) || strncmp(word, e->name, name_len))
			continue;
		if (parse_param(e, colon ? colon + 1 : NULL, colon ? len - name_len - 1 : 0, &out->evict_arg,
		                spec, why, size))
			return -E_INVAL;
		out->evict = e;
		return 0;
	}
	int used = snprintf(why, size, "unknown replacement policy '%.*s' in '%.*s'; choices:", (int)name_len,
	                    word, SPEC_QUOTE_MAX, spec);
	for (size_t i = 0; i < evict_policy_count && used >= 0 && (size_t)used < size; i++)
		used += snprintf(why + used, size - (size_t)used, " %s", evict_policies[i]->name);
	return -E_INVAL;
}

/* How many comma-separated parts spec has. */
static int count_parts(const char *spec)
{
	int parts = 1;
	for (const char *c = spec; *c; c++)
		parts += *c == ',';
	return parts;
}

/*
 * Parse "ALLOC,FORK,REPLACEMENT[,SCOPE]" into *out (unchanged on error);
 * 0, or -E_INVAL with a line in why (size bytes) naming the part that is
 * wrong and its choices.
 */
int policy_parse_why(const char *spec, struct policy *out, char *why, size_t size)
{
	struct policy pol = *out;
	int parts = count_parts(spec);
	if (parts < POLICY_PARTS_MIN || parts > POLICY_PARTS_MAX) {
		snprintf(why, size, "'%.*s' has %d part%s; a policy is %d or %d: ALLOC,FORK,REPLACEMENT[,SCOPE], "
		         "e.g. lazy,cow,none", SPEC_QUOTE_MAX, spec, parts, parts == 1 ? "" : "s",
		         POLICY_PARTS_MIN, POLICY_PARTS_MAX);
		return -E_INVAL;
	}
	const char *comma1 = strchr(spec, ','), *comma2 = strchr(comma1 + 1, ',');
	const char *comma3 = strchr(comma2 + 1, ','), *end3 = comma3 ? comma3 : comma2 + 1 + strlen(comma2 + 1);
	if (parse_alloc(spec, (size_t)(comma1 - spec), &pol, spec, why, size) ||
	    parse_fork(comma1 + 1, (size_t)(comma2 - comma1 - 1), &pol, spec, why, size) ||
	    parse_evict(comma2 + 1, (size_t)(end3 - comma2 - 1), &pol, spec, why, size))
		return -E_INVAL;
	pol.scope = SCOPE_GLOBAL;
	pol.limit = 0;
	if (comma3 && scope_parse(comma3 + 1, strlen(comma3 + 1), &pol, why, size))
		return -E_INVAL;
	policy_activate(pol.evict);
	*out = pol;
	return 0;
}

/* Parse a spec into *out (unchanged on error); 0 or -E_INVAL. */
int policy_parse(const char *spec, struct policy *out)
{
	char why[POLICY_ERROR_MAX];
	return policy_parse_why(spec, out, why, sizeof(why));
}

/* Write pol as "ALLOC,FORK,REPLACEMENT[:PARAM][,SCOPE]" (a parameter only when not the default). */
void policy_format(const struct policy *pol, char *buf, uint64_t size)
{
	char alloc[POLICY_NAME_MAX], param[POLICY_NAME_MAX] = "", scope[POLICY_NAME_MAX] = "";
	const struct policy_param *pp = pol->evict->param;
	if (pol->alloc == &alloc_around)
		snprintf(alloc, sizeof(alloc), "%s%d", AROUND_PREFIX, pol->around);
	else
		snprintf(alloc, sizeof(alloc), "%s", pol->alloc->name);
	if (pp && pp->format && pol->evict_arg != pp->dflt)
		pp->format(pol->evict_arg, param, sizeof(param));
	else if (pp && pol->evict_arg != pp->dflt)
		snprintf(param, sizeof(param), "%c%lu", PARAM_SEP, (unsigned long)pol->evict_arg);
	scope_format(pol, scope, sizeof(scope));
	snprintf(buf, size, "%s,%s,%s%s%s", alloc, pol->fork->name, pol->evict->name, param, scope);
}

/* The bytes of per-frame state all replacement policies keep together. */
uint64_t policies_frame_bytes(void)
{
	uint64_t n = 0;
	for (size_t i = 0; i < evict_policy_count; i++)
		n += evict_policies[i]->frame_bytes;
	return n;
}

/*
 * Which policies hear of evictable frames: those a spec has named
 * (policy_parse_why), from then on. A policy nobody chose costs a fault
 * nothing; one chosen later first hears of the frames evictable then, in
 * frame order, as if they had come together.
 */
#define ACTIVE_MAX 64
static uint64_t active;                 /* bit i: evict_policies[i] hears of frames */
uint64_t policies_noting;               /* the active ones with a noted or forgotten hook (pager.h) */
static int attached;                    /* policies_attach has run: the hooks may be called */

/* Is evict_policies[i] chosen, so that it hears of frames? */
static int is_active(size_t i)
{
	return (active >> i) & 1;
}

/* ops is named in a spec: from now on it hears of evictable frames, starting with those there are. */
void policy_activate(const struct evict_ops *ops)
{
	for (size_t i = 0; i < evict_policy_count && i < ACTIVE_MAX; i++)
		if (evict_policies[i] == ops && !is_active(i)) {
			active |= 1UL << i;
			if (ops->noted || ops->forgotten)
				policies_noting |= 1UL << i;
			if (attached && ops->noted)
				frames_each_owned(ops->noted);
		}
}

/* Give each policy its part of the per-frame area (frames_extra, laid out policy after policy). */
void policies_attach(void)
{
	uint8_t *area = frames_extra();
	if (evict_policy_count > ACTIVE_MAX)
		printf("pager: only the first %d replacement policies can be chosen\n", ACTIVE_MAX);
	for (size_t i = 0; i < evict_policy_count && area; i++) {
		const struct evict_ops *e = evict_policies[i];
		if (e->attach)
			e->attach(area, frames_total());
		area += e->frame_bytes * frames_total();
	}
	attached = area != NULL;
}

/* Frame pa holds an evictable page (again): every chosen policy that keeps an order hears it. */
void policies_note_all(uint64_t pa)
{
	for (size_t i = 0; policies_noting >> i; i++)
		if (((policies_noting >> i) & 1) && evict_policies[i]->noted)
			evict_policies[i]->noted(pa);
}

/* Frame pa no longer holds an evictable page. */
void policies_forget_all(uint64_t pa)
{
	for (size_t i = 0; policies_noting >> i; i++)
		if (((policies_noting >> i) & 1) && evict_policies[i]->forgotten)
			evict_policies[i]->forgotten(pa);
}

/* The checker: each chosen policy's records against the count of evictable frames. */
void policies_check(uint64_t evictable, check_report_fn report)
{
	for (size_t i = 0; active >> i; i++)
		if (is_active(i) && evict_policies[i]->check)
			evict_policies[i]->check(evictable, report);
}

/* Does a running program use ops? *least: the least parameter among them. */
int policy_in_use(const struct evict_ops *ops, uint64_t *least)
{
	int users = 0;
	for (int slot = 0; slot < MAX_PROCS; slot++) {
		const struct proc *q = proc_at(slot);
		if (q->state != PROC_RUNNING || q->system || q->policy.evict != ops)
			continue;
		if (!users++ || q->policy.evict_arg < *least)
			*least = q->policy.evict_arg;
	}
	return users > 0;
}

/* The pager's timer: a tick to every policy in use that has a tick hook, and to the scopes; the next tick wanted or 0. */
uint64_t policies_tick(uint64_t now)
{
	uint64_t next = scope_tick(now), recording = record_tick(now);
	if (recording && (!next || recording < next))
		next = recording;
	uint64_t least;
	for (size_t i = 0; i < evict_policy_count; i++)
		if (evict_policies[i]->tick && policy_in_use(evict_policies[i], &least)) {
			evict_policies[i]->tick(now);
			next = now + 1;
		}
	return next;
}
