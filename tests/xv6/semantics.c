// xv6 style: the file and process semantics xv6's usertests rely on.
// Each check prints what failed; the program exits 1 if any did.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "user/user.h"

int failures;

void
check(int ok, char *what)
{
  if(!ok){
    printf("semantics: %s\n", what);
    failures++;
  }
}

void
files()
{
  char buf[16];
  struct stat st;
  int fd;

  check(open("nonexistent", O_RDONLY) == -1, "open of a missing file");
  fd = open("sem.f", O_CREATE|O_WRONLY);
  check(fd >= 0, "create");
  check(read(fd, buf, 1) == -1, "read from a write-only fd");
  check(write(fd, "abc", 3) == 3, "write");
  close(fd);
  fd = open("sem.f", O_RDONLY);
  check(write(fd, "x", 1) == -1, "write to a read-only fd");
  check(read(fd, buf, sizeof(buf)) == 3, "read back");
  check(read(fd, buf, sizeof(buf)) == 0, "read at the end gives 0");
  close(fd);
  fd = open("sem.f", O_RDWR|O_TRUNC);
  check(fstat(fd, &st) == 0 && st.size == 0 && st.type == T_FILE && st.nlink == 1, "O_TRUNC, fstat");
  close(fd);
  check(close(fd) == -1, "close of a closed fd");
  check(read(fd, buf, 1) == -1, "read of a closed fd");
  check(dup(fd) == -1, "dup of a closed fd");
  check(read(100, buf, 1) == -1 && write(-1, buf, 1) == -1, "fd out of range");
  check(link("sem.f", "sem.g") == 0, "link");
  check(stat("sem.f", &st) == 0 && st.nlink == 2, "nlink after link");
  check(link("sem.f", "sem.g") == -1, "link onto an existing name");
  check(unlink("sem.f") == 0 && unlink("sem.g") == 0, "unlink both names");
  check(unlink("sem.f") == -1, "unlink of a missing file");

  // Deliberately POSIX (docs/XV6.md): a write past the end after a truncate leaves a hole.
  int fd1 = open("sem.t", O_CREATE|O_RDWR);
  write(fd1, "ab", 2);
  close(open("sem.t", O_RDWR|O_TRUNC));
  check(write(fd1, "c", 1) == 1 && fstat(fd1, &st) == 0 && st.size == 3, "write after truncate");
  close(fd1);
  fd1 = open("sem.t", O_RDONLY);
  check(read(fd1, buf, sizeof(buf)) == 3 && buf[0] == 0 && buf[1] == 0 && buf[2] == 'c', "the hole reads as zeros");
  close(fd1);
  unlink("sem.t");
  // Deliberately refused (docs/XV6.md): a name longer than DIRSIZ is not cut short.
  check(open("abcdefghijklmnopqrstuvwxyz", O_CREATE|O_RDWR) == -1, "a name longer than DIRSIZ");
}

void
directories()
{
  struct stat st;
  int fd;

  check(mkdir("semd") == 0, "mkdir");
  check(mkdir("semd") == -1, "mkdir of an existing name");
  check(open("semd", O_RDWR) == -1 && open("semd", O_WRONLY) == -1, "open a directory for writing");
  fd = open("semd", O_RDONLY);
  check(fd >= 0 && fstat(fd, &st) == 0 && st.type == T_DIR, "a directory's type");
  close(fd);
  fd = open("semd/f", O_CREATE|O_RDWR);
  check(fd >= 0, "create in a directory");
  close(fd);
  check(unlink("semd") == -1, "unlink of a non-empty directory");
  check(link("semd", "semd2") == -1, "link to a directory");
  check(chdir("semd/f") == -1, "chdir to a file");
  check(open("semd/f/x", O_CREATE|O_RDWR) == -1, "create under a file");
  check(chdir("semd") == 0, "chdir");
  check(unlink(".") == -1 && unlink("..") == -1, "unlink . and ..");
  check(open("../semd/f", O_RDONLY) >= 0, "a path through ..");
  check(unlink("f") == 0 && chdir("..") == 0, "unlink, chdir ..");
  check(unlink("semd") == 0, "unlink of an empty directory");
}

void
pipes()
{
  int p[2];
  char c;

  check(pipe(p) == 0, "pipe");
  check(write(p[1], "z", 1) == 1, "write to a pipe");
  close(p[1]);
  check(read(p[0], &c, 1) == 1 && c == 'z', "read from a pipe");
  check(read(p[0], &c, 1) == 0, "a pipe with no writer reads 0");
  close(p[0]);
  check(pipe(p) == 0, "pipe");
  close(p[0]);
  check(write(p[1], "z", 1) == -1, "a pipe with no reader refuses a write");
  close(p[1]);
}

void
processes()
{
  char *args[40];
  int i, status;

  check(wait(0) == -1, "wait with no children");
  check(kill(100000) == -1, "kill of a missing pid");
  for(i = 0; i < 39; i++)
    args[i] = "x";
  args[39] = 0;
  check(exec("echo", args) == -1, "exec with more than MAXARG arguments");
  check(exec("nonexistent", args) == -1, "exec of a missing program");
  int pid = fork();
  if(pid == 0){
    sbrk(-(sbrk(0) - (char*)0) + 4096);   // a huge shrink: refused or fatal, never a hang
    exit(7);
  }
  check(wait(&status) == pid, "wait for the child");
  char *a = sbrk(0);
  check(sbrk(4096) == a && sbrk(0) == a + 4096, "sbrk returns the old break");
  a[4095] = 1;
  check(sbrk(-4096) == a + 4096 && sbrk(0) == a, "negative sbrk");
  pid = fork();
  if(pid == 0){
    a[0] = 1;                  // freed by the negative sbrk: killed
    exit(0);
  }
  check(wait(&status) == pid && status == -1, "a touch below a shrunk break is killed");
  check(getpid() > 0 && uptime() >= 0, "getpid, uptime");
}

int
main(int argc, char *argv[])
{
  files();
  directories();
  pipes();
  processes();
  if(failures){
    printf("semantics: %d failures\n", failures);
    exit(1);
  }
  printf("semantics: all as in xv6\n");
  exit(0);
}
