// faultin: dies by a store above the break inside a function of known
// name, so the pager's kill line can be checked to name it
// (tests/host/test_pagerctl.sh). With an argument, touches that many heap
// pages and sleeps a while first, so `pagerctl maps` can look at it.
#include "kernel/types.h"
#include "user/user.h"

#define PAGE 4096
#define FAR_ABOVE (1 << 24)

// Store to an address far above the break: the pager kills the process here.
__attribute__((noinline)) void store_above_break(volatile char *p)
{
	p[FAR_ABOVE] = 1;
}

int main(int argc, char *argv[])
{
	int pages = argc > 1 ? atoi(argv[1]) : 0;
	char *heap = sbrk(pages * PAGE);
	for (int i = 0; i < pages; i++)
		heap[i * PAGE] = 1;
	if (argc > 2)
		sleep(atoi(argv[2]));
	store_above_break(sbrk(0));
	exit(0);
}
