// faultin: a program for tests/host/test_pagerctl.sh (built with
// `make run PROGS=...`).
//   faultin           dies by a store far above the break, inside the
//                     function store_above_break: the pager's kill line
//                     must name it
//   faultin maps N    runs `pagerctl maps` on itself, touches N new heap
//                     pages, and runs it again: the heap's present count
//                     must grow by N
#include "kernel/types.h"
#include "user/user.h"

#define PAGE 4096
#define FAR_ABOVE (1 << 24)

// Store to an address far above the break: the pager kills the process here.
__attribute__((noinline)) void store_above_break(volatile char *p)
{
	p[FAR_ABOVE] = 1;
}

// Run `pagerctl maps PID` on this process and wait for it.
static void show_maps(void)
{
	char pid[16];
	char *argv[] = { "pagerctl", "maps", pid, 0 };
	int n = getpid(), len = 0;
	char digits[16];
	do {
		digits[len++] = '0' + n % 10;
		n /= 10;
	} while (n);
	for (int i = 0; i < len; i++)
		pid[i] = digits[len - 1 - i];
	pid[len] = 0;
	if (fork() == 0) {
		exec("pagerctl", argv);
		printf("faultin: cannot run pagerctl\n");
		exit(1);
	}
	wait(0);
}

int main(int argc, char *argv[])
{
	if (argc == 3 && strcmp(argv[1], "maps") == 0) {
		int pages = atoi(argv[2]);
		char *heap = sbrk(pages * PAGE);
		printf("faultin: before touching\n");
		show_maps();
		for (int i = 0; i < pages; i++)
			heap[i * PAGE] = 1;
		printf("faultin: after touching %d pages\n", pages);
		show_maps();
		exit(0);
	}
	store_above_break(sbrk(0));
	exit(0);
}
