// xv6 style: a partial line printed before fork appears once; both
// processes' lines follow it.
#include "kernel/types.h"
#include "user/user.h"

int
main(int argc, char *argv[])
{
  int pid;

  printf("partial line, ");
  pid = fork();
  if(pid < 0){
    printf("fork failed\n");
    exit(1);
  }
  if(pid == 0){
    printf("child\n");
    exit(0);
  }
  wait(0);
  printf("parent\n");
  exit(0);
}
