/*
 * Replacement policy "none": nothing is ever evicted; when the frames run
 * out, the faulting process is killed (out of memory) and the rest of the
 * system goes on.
 */
#include "pager.h"

/* No victim, ever. */
static uint64_t none_victim(struct proc *who)
{
	(void)who;
	return 0;
}

const struct evict_ops evict_none = { .name = "none", .victim = none_victim };
