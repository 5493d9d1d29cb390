/*
 * The table of replacement policies: one line each, X(NAME) for the
 * `const struct evict_ops evict_NAME` that policy_NAME.c defines. The
 * array, its count, the names the parser accepts, the choices messages
 * list and the per-frame state all follow from it (policy.c); the host's
 * policy tests and replay tool link it too (tools/policysim.c).
 */
#include "pager.h"

#define EVICT_POLICIES(X) \
	X(none)           \
	X(fifo)           \
	X(clock)          \
	X(eclock)         \
	X(aging)          \
	X(wsclock)        \
	X(random)         \
	X(nru)

#define DECLARE_EVICT(name) extern const struct evict_ops evict_##name;
#define LIST_EVICT(name) &evict_##name,
EVICT_POLICIES(DECLARE_EVICT)
const struct evict_ops *const evict_policies[] = { EVICT_POLICIES(LIST_EVICT) };
const size_t evict_policy_count = sizeof(evict_policies) / sizeof(evict_policies[0]);
