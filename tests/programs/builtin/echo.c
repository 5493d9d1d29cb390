// A program with the name of a built-in one: `make run PROGS=` puts it in
// the built-in echo's place on that run's disk, and says so.
// tests/host/test_run.sh runs it: its output shows which echo ran.
#include "kernel/types.h"
#include "user/user.h"

int
main(int argc, char *argv[])
{
  printf("replacement echo:");
  for(int i = 1; i < argc; i++)
    printf(" %s", argv[i]);
  printf("\n");
  exit(0);
}
