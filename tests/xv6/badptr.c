// xv6 style: every call that takes a path, an argv, or a place for a
// result returns -1 for a bad address, and the caller goes on; an
// address sbrk granted that nobody touched yet just works.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "user/user.h"

#define NBAD 6

int failures;

void
expect(int ok, char *what, char *p)
{
  if(!ok){
    printf("badptr: %s with %p did not return -1\n", what, p);
    failures++;
  }
}

// Bad addresses: null, low, kernel, unmapped, above the break, wild.
void
bad_addresses(char **bad)
{
  bad[0] = 0;
  bad[1] = (char*)4096;
  bad[2] = (char*)0x80000000L;
  bad[3] = (char*)0x2000000000L;
  bad[4] = sbrk(0) + 3*4096;
  bad[5] = (char*)0xffffffffffffffffL;
}

void
try_calls(char *p)
{
  struct stat st;
  char *argv[] = { "echo", p, 0 };
  int fd = open("badptr.f", O_CREATE|O_RDWR);

  expect(open(p, O_RDONLY) == -1, "open", p);
  expect(open(p, O_CREATE|O_RDWR) == -1, "open(O_CREATE)", p);
  expect(unlink(p) == -1, "unlink", p);
  expect(mkdir(p) == -1, "mkdir", p);
  expect(chdir(p) == -1, "chdir", p);
  expect(mknod(p, 1, 1) == -1, "mknod", p);
  expect(link(p, "badptr.l") == -1, "link(old)", p);
  expect(link("badptr.f", p) == -1, "link(new)", p);
  expect(exec(p, argv) == -1, "exec(path)", p);
  expect(exec("echo", (char**)p) == -1, "exec(argv)", p);
  expect(p == 0 || exec("echo", argv) == -1, "exec(argv[1])", p);
  expect(pipe((int*)p) == -1, "pipe", p);
  expect(fstat(fd, (struct stat*)p) == -1, "fstat", p);
  expect(stat(p, &st) == -1, "stat(path)", p);
  expect(stat("badptr.f", (struct stat*)p) == -1, "stat(result)", p);
  expect(read(fd, p, 10) == -1, "read", p);
  expect(write(fd, p, 10) == -1, "write", p);
  close(fd);
}

// wait with a bad status pointer fails and leaves the child to a later wait.
void
try_wait(char *p)
{
  int status = 0;
  int pid = fork();
  if(pid == 0)
    exit(3);
  expect(wait((int*)p) == -1, "wait", p);
  if(wait(&status) != pid || status != 3){
    printf("badptr: the child was lost by a failed wait\n");
    failures++;
  }
}

// A path that runs off the end of the heap into unmapped memory fails;
// one that ends just before it works.
void
try_heap_end()
{
  char *top = sbrk(4096);
  char *end = top + 4096;
  memset(top, 'a', 4096);
  expect(open(end - 3, O_RDONLY) == -1, "open(unterminated at the break)", end - 3);
  end[-2] = 'z';
  end[-1] = 0;
  int fd = open(end - 2, O_CREATE|O_RDWR);
  if(fd < 0){
    printf("badptr: a path ending at the break failed\n");
    failures++;
  }
  close(fd);
  unlink("z");
}

// Pointers into heap that sbrk granted but nobody touched.
void
try_untouched()
{
  int *fds = (int*)sbrk(4096);
  char *buf = sbrk(4096);
  struct stat *st = (struct stat*)sbrk(4096);
  if(pipe(fds) < 0 || write(fds[1], "hello", 5) != 5 || read(fds[0], buf, 5) != 5 ||
     memcmp(buf, "hello", 5) != 0 || fstat(fds[0], st) < 0){
    printf("badptr: untouched heap did not work\n");
    failures++;
  }
  close(fds[0]);
  close(fds[1]);
}

int
main(int argc, char *argv[])
{
  char *bad[NBAD];
  int i;

  bad_addresses(bad);
  for(i = 0; i < NBAD; i++){
    try_calls(bad[i]);
    try_wait(bad[i] ? bad[i] : (char*)4096);
  }
  try_heap_end();
  try_untouched();
  unlink("badptr.f");
  if(failures){
    printf("badptr: %d failures\n", failures);
    exit(1);
  }
  printf("badptr: every bad pointer gave -1\n");
  exit(0);
}
