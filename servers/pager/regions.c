/*
 * A process's memory map: a few regions (text, data, heap, stack), kept
 * sorted by start address so a fault finds its region by binary search.
 * Anything between regions (the guard page under the stack, the space
 * above the break) is no region at all, and a fault there kills.
 */
#include "pager.h"

static const char *const kind_names[REGION_KINDS] = {
	[REGION_TEXT] = "text", [REGION_DATA] = "data",
	[REGION_HEAP] = "heap", [REGION_STACK] = "stack", [REGION_MMAP] = "mapped file",
};

/* Do [start, end) and region r share a byte? */
static int overlaps(const struct region *r, uint64_t start, uint64_t end)
{
	return r->start < end && start < r->end;
}

/* Insert a region in address order; 0, or -E_INVAL on overlap or a full map. */
int region_add(struct region_map *m, uint64_t start, uint64_t end, uint64_t rights,
               enum region_kind kind)
{
	if (m->count == MAX_REGIONS || start > end || start % PAGE_SIZE || end % PAGE_SIZE)
		return -E_INVAL;
	for (int j = 0; j < m->count; j++)
		if (overlaps(&m->r[j], start, end))
			return -E_INVAL;
	int i = m->count;
	while (i > 0 && (m->r[i - 1].start > start ||
	                 (m->r[i - 1].start == start && m->r[i - 1].end > end)))
		i--;
	for (int j = m->count; j > i; j--)
		m->r[j] = m->r[j - 1];
	m->r[i] = (struct region){ start, end, rights, kind, -1, 0, 0, 0 };
	m->count++;
	return 0;
}

/* The region containing va, or NULL. */
HOT_PATH struct region *region_find(struct region_map *m, uint64_t va)
{
	int lo = 0, hi = m->count - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (va < m->r[mid].start)
			hi = mid - 1;
		else if (va >= m->r[mid].end)
			lo = mid + 1;
		else
			return &m->r[mid];
	}
	return NULL;
}

/* Remove region r from the map. */
void region_remove(struct region_map *m, struct region *r)
{
	int i = (int)(r - m->r);
	for (; i + 1 < m->count; i++)
		m->r[i] = m->r[i + 1];
	m->count--;
}

/* The lowest start >= lo of a free gap of len bytes below hi, or 0. */
uint64_t region_gap(struct region_map *m, uint64_t lo, uint64_t hi, uint64_t len)
{
	uint64_t start = lo;
	for (int i = 0; i < m->count; i++) {
		if (m->r[i].end <= start || m->r[i].start == m->r[i].end)
			continue;
		if (m->r[i].start >= start + len)
			break;
		start = m->r[i].end;
	}
	return start + len <= hi && start + len > start ? start : 0;
}

/* The first region of a kind, or NULL. */
struct region *region_of_kind(struct region_map *m, enum region_kind kind)
{
	for (int i = 0; i < m->count; i++)
		if (m->r[i].kind == kind)
			return &m->r[i];
	return NULL;
}

/* A region kind's name for messages. */
const char *region_kind_name(enum region_kind kind)
{
	return kind < REGION_KINDS ? kind_names[kind] : "?";
}
