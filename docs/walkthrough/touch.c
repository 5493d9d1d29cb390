// The program docs/WALKTHROUGH.md follows: one store to a new heap page,
// one copy-on-write store after fork, and (with an argument: pages to
// touch, more than the frames) pages evicted and read back from swap.
#include "kernel/types.h"
#include "user/user.h"

int
main(int argc, char *argv[])
{
  char *p = sbrk(4096);
  p[8] = 'x';                       // fault 1: a store to a page never touched
  int pid = fork();
  if(pid == 0){
    p[8] = 'y';                     // fault 2: copy-on-write in the child
    exit(0);
  }
  wait(0);
  printf("parent still sees %c\n", p[8]);
  if(argc > 1){
    int n = atoi(argv[1]);
    char *big = sbrk(n * 4096);
    for(int i = 0; i < n; i++)
      big[i * 4096] = i;            // more pages than frames: the first go to swap
    printf("page 0 holds %d after swap\n", big[0]);   // fault: swap-in
  }
  exit(0);
}
