// An xv6-style program, as a student writes it for xv6: only xv6's
// headers, xv6's calls. tests/host/test_run.sh builds it with
// `make run PROGS=...` and checks its output and exit status.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "user/user.h"

int
main(int argc, char *argv[])
{
  char *heap = sbrk(4096 * 10);
  int fd = open("out", O_CREATE | O_WRONLY);
  int p[2];

  pipe(p);
  if(fork() == 0){
    close(p[0]);
    write(p[1], "from child\n", 11);
    exit(0);
  }
  close(p[1]);
  int n = read(p[0], heap + 4096 * 5, 100);   // into heap nobody touched yet
  write(fd, heap + 4096 * 5, n);
  close(fd);
  wait(0);

  struct stat st;
  stat("out", &st);
  printf("xv6prog %s: %d bytes, size %d, type %d\n", argc > 1 ? argv[1] : "-", n, (int)st.size, st.type);
  fprintf(2, "xv6prog: to stderr\n");
  exit(argc > 2 ? atoi(argv[2]) : 0);
}
