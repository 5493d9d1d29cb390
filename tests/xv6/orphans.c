// xv6 style: orphans are reaped. 200 times a child forks a grandchild
// that exits first and the child exits without waiting; then 30 forks
// at once must still succeed (leaked zombies would fill the table).
#include "kernel/types.h"
#include "user/user.h"

#define ROUNDS 200
#define AT_ONCE 30

void
orphan_round()
{
  int p[2];
  char c;

  if(pipe(p) < 0){
    printf("orphans: pipe failed\n");
    exit(1);
  }
  int g = fork();
  if(g < 0){
    printf("orphans: fork failed (grandchild)\n");
    exit(1);
  }
  if(g == 0)
    exit(0);
  close(p[1]);
  read(p[0], &c, 1);          // end of file once the grandchild is gone
  exit(0);                    // leaves a zombie grandchild to init
}

int
main(int argc, char *argv[])
{
  int i, pid, p[2];
  char c;

  for(i = 0; i < ROUNDS; i++){
    pid = fork();
    if(pid < 0){
      printf("orphans: fork failed in round %d\n", i);
      exit(1);
    }
    if(pid == 0)
      orphan_round();
    if(wait(0) != pid){
      printf("orphans: wait failed in round %d\n", i);
      exit(1);
    }
  }
  pipe(p);
  for(i = 0; i < AT_ONCE; i++){
    pid = fork();
    if(pid < 0){
      printf("orphans: fork %d of %d failed\n", i, AT_ONCE);
      exit(1);
    }
    if(pid == 0){
      close(p[1]);
      read(p[0], &c, 1);
      exit(0);
    }
  }
  close(p[1]);
  for(i = 0; i < AT_ONCE; i++)
    if(wait(0) < 0){
      printf("orphans: wait %d failed\n", i);
      exit(1);
    }
  printf("orphans: %d rounds, then %d forks at once\n", ROUNDS, AT_ONCE);
  exit(0);
}
