// xv6 style: a bounded random-syscall workload. Two workers, each in its
// own directory, do fork, exec, pipes, files, directories, sbrk, kill and
// orphans in random order for the given number of seconds (default 20),
// checking every result. Any failed fork or lost child fails the run.
//   churn [SECONDS [SEED]]
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "user/user.h"

#define WORKERS 2
#define TICKS_PER_SECOND 100
#define NOPS 12
#define BUFSZ 512

unsigned long seed = 1;
int counts[NOPS];

// A small linear congruential generator (Knuth's MMIX constants).
unsigned int
random()
{
  seed = seed * 6364136223846793005UL + 1442695040888963407UL;
  return (unsigned int)(seed >> 33);
}

void
fail(char *what)
{
  printf("churn: pid %d: %s\n", getpid(), what);
  exit(1);
}

int
must_fork()
{
  int pid = fork();
  if(pid < 0)
    fail("fork failed");
  return pid;
}

// Wait for pid; return its status.
int
reap(int pid)
{
  int status = -100;
  if(wait(&status) != pid)
    fail("wait returned another pid or -1");
  return status;
}

void
op_exit_status()
{
  int want = random() % 100;
  int pid = must_fork();
  if(pid == 0)
    exit(want);
  if(reap(pid) != want)
    fail("wrong exit status");
}

void
op_exec()
{
  char *argv[] = { "echo", "churn", 0 };
  int pid = must_fork();
  if(pid == 0){
    close(1);
    if(open("echo.out", O_CREATE|O_WRONLY|O_TRUNC) != 1)
      fail("cannot redirect");
    exec("/echo", argv);
    fail("exec echo failed");
  }
  if(reap(pid) != 0)
    fail("echo failed");
  char buf[16];
  int fd = open("echo.out", O_RDONLY);
  int n = read(fd, buf, sizeof(buf));
  close(fd);
  if(n != 6 || memcmp(buf, "churn\n", 6) != 0)
    fail("echo wrote the wrong thing");
}

void
op_pipe()
{
  int p[2], i, n = 1 + random() % BUFSZ;
  char out[BUFSZ], in[BUFSZ];
  if(pipe(p) < 0)
    fail("pipe failed");
  for(i = 0; i < n; i++)
    out[i] = random();
  int pid = must_fork();
  if(pid == 0){
    close(p[0]);
    write(p[1], out, n);
    exit(0);
  }
  close(p[1]);
  int got = 0, r;
  while((r = read(p[0], in + got, n - got)) > 0)
    got += r;
  close(p[0]);
  if(reap(pid) != 0 || got != n || memcmp(in, out, n) != 0)
    fail("pipe lost data");
}

void
op_file()
{
  char out[BUFSZ], in[BUFSZ];
  int i, n = 1 + random() % BUFSZ;
  for(i = 0; i < n; i++)
    out[i] = random();
  int fd = open("f", O_CREATE|O_RDWR|O_TRUNC);
  if(fd < 0 || write(fd, out, n) != n)
    fail("file write failed");
  close(fd);
  fd = open("f", O_RDONLY);
  if(fd < 0 || read(fd, in, BUFSZ) != n || memcmp(in, out, n) != 0)
    fail("file read back wrong");
  close(fd);
  if(random() % 2 && unlink("f") < 0)
    fail("unlink failed");
}

void
op_sbrk()
{
  int pages = 1 + random() % 64, i;
  char *p = sbrk(pages * 4096);
  if(p == (char*)-1)
    fail("sbrk failed");
  for(i = 0; i < pages; i += 1 + random() % 4)
    p[i * 4096] = i;
  for(i = 0; i < pages; i += 1 + random() % 4)
    if(p[i * 4096] != 0 && p[i * 4096] != (char)i)
      fail("heap page has the wrong value");
  if(sbrk(-pages * 4096) == (char*)-1)
    fail("negative sbrk failed");
}

void
op_kill()
{
  int pid = must_fork();
  if(pid == 0){
    for(;;)
      sleep(1);
  }
  if(random() % 2)
    sleep(1);
  if(kill(pid) < 0)
    fail("kill failed");
  if(reap(pid) != -1)
    fail("a killed child did not report -1");
}

void
op_dir()
{
  if(mkdir("d") < 0 || chdir("d") < 0)
    fail("mkdir or chdir failed");
  int fd = open("x", O_CREATE|O_RDWR);
  if(fd < 0)
    fail("open in a new directory failed");
  close(fd);
  if(unlink("x") < 0 || chdir("..") < 0 || unlink("d") < 0)
    fail("cleaning a directory failed");
}

void
op_orphan()
{
  int pid = must_fork();
  if(pid == 0){
    if(must_fork() == 0){
      if(random() % 2)
        sleep(1);
      exit(0);
    }
    exit(0);
  }
  if(reap(pid) != 0)
    fail("orphan's parent failed");
}

void
op_fault()
{
  int pid = must_fork();
  if(pid == 0){
    char *above = sbrk(0) + 64 * 4096;
    *above = 1;
    exit(0);
  }
  if(reap(pid) != -1)
    fail("a faulting child was not killed");
}

void
op_link()
{
  int fd = open("l1", O_CREATE|O_RDWR);
  close(fd);
  if(link("l1", "l2") < 0 || unlink("l1") < 0)
    fail("link failed");
  fd = open("l2", O_RDONLY);
  if(fd < 0)
    fail("a link was lost");
  close(fd);
  unlink("l2");
}

void
op_dup()
{
  int fd = open("dupf", O_CREATE|O_RDWR|O_TRUNC);
  int fd2 = dup(fd);
  if(fd < 0 || fd2 < 0)
    fail("dup failed");
  write(fd, "ab", 2);
  write(fd2, "cd", 2);
  close(fd);
  struct stat st;
  if(fstat(fd2, &st) < 0 || st.size != 4)
    fail("dup does not share the offset");
  close(fd2);
  char *argv[] = { "nonexistent", 0 };
  if(exec("nonexistent-program", argv) != -1)
    fail("exec of a missing program returned");
}

void (*ops[NOPS])(void) = {
  op_exit_status, op_exec, op_pipe, op_file, op_sbrk, op_kill,
  op_dir, op_orphan, op_fault, op_link, op_dup, op_file,
};

void
worker(int id, int seconds)
{
  char dir[8] = "churn0";
  dir[5] += id;
  seed += id * 7919;
  if(mkdir(dir) < 0 || chdir(dir) < 0)
    fail("cannot make the worker directory");
  int end = uptime() + seconds * TICKS_PER_SECOND, n = 0;
  while(uptime() < end){
    int op = random() % NOPS;
    ops[op]();
    counts[op]++;
    n++;
  }
  unlink("f");
  unlink("echo.out");
  unlink("dupf");
  chdir("..");
  unlink(dir);
  printf("churn: worker %d did %d operations\n", id, n);
  exit(0);
}

int
main(int argc, char *argv[])
{
  int seconds = argc > 1 ? atoi(argv[1]) : 20;
  int i, failed = 0;
  if(argc > 2)
    seed = atoi(argv[2]);
  for(i = 0; i < WORKERS; i++)
    if(must_fork() == 0)
      worker(i, seconds);
  for(i = 0; i < WORKERS; i++){
    int status;
    if(wait(&status) < 0 || status != 0)
      failed = 1;
  }
  if(failed){
    printf("churn: a worker failed\n");
    exit(1);
  }
  printf("churn: %d seconds, no failure\n", seconds);
  exit(0);
}
