// xv6 style: what a process printed before it is killed is not lost.
#include "kernel/types.h"
#include "user/user.h"

int
main(int argc, char *argv[])
{
  fprintf(2, "to stderr, ");
  printf("printed before the fault");
  char *above = sbrk(0) + 2*4096;
  *above = 1;                   // above the break: the pager kills us
  printf("still alive\n");
  exit(0);
}
