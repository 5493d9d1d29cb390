/* The first program: greets, shows that lazy memory works, and exits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "user.h"

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("init: hello from user space, pid %d\n", getpid());
	char *p = sbrk(1 << 20);
	p[0] = 'x';
	p[(1 << 20) - 1] = 'y';
	printf("init: touched 2 pages of a 1 MiB lazy heap at %p; bye\n", (void *)p);
	return 0;
}
