// Checks the values of the xv6 headers (libsys/include/xv6) against what
// this system does, where a program can see it. Written as an xv6
// program and built by `make run PROGS=` with xv6's flags, so it also
// shows that they accept xv6's habits: main with an unused argc, a
// function without a prototype, a uint64 printed with %p.
//
//   xv6hdrs          print the values, run every check, end with
//                    "xv6hdrs: all N checks passed" (exit 0) or
//                    "xv6hdrs: F of N checks failed" (exit 1)
//   xv6hdrs count    exit with the number of arguments (the MAXARG check)
//
// tests/host/test_run.sh runs it. Every header is included, kernel/param.h
// first, as usertests does.
#include "kernel/param.h"
#include "kernel/types.h"
#include "kernel/stat.h"
#include "user/user.h"
#include "kernel/fs.h"
#include "kernel/fcntl.h"
#include "kernel/syscall.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/vm.h"

#define SELF "/xv6hdrs"
#define EXEC_FAILED 99     // a child's status when exec returned

int checks, failures;

// Count one check; print it, with what was seen and wanted if it failed.
void
check(char *what, int ok, uint64 got, uint64 want)
{
  checks++;
  if(ok){
    printf("ok   %s\n", what);
  } else {
    failures++;
    printf("FAIL %s: got %p, wanted %p\n", what, got, want);
  }
}

// Write a byte at a, as a child does to see whether it may.
void
poke(uint64 a)
{
  *(volatile char *)a = 1;
}

// Fault in the page at a, then write the last byte of that page.
void
poke_page_end(uint64 a)
{
  poke(a);
  poke(a + PGSIZE - 1);
}

// Fault in the page at a, then write the first byte of the next page.
void
poke_next_page(uint64 a)
{
  poke(a);
  poke(a + PGSIZE);
}

// Read a byte at a.
void
peek(uint64 a)
{
  volatile char c = *(volatile char *)a;
  (void)c;
}

// Run f(a) in a child; its exit status: 0 if f returned, -1 if the
// system killed it.
int
in_child(void (*f)(uint64), uint64 a)
{
  int status = -2;
  int pid = fork();
  if(pid == 0){
    f(a);
    exit(0);
  }
  if(pid < 0 || wait(&status) != pid)
    return -2;
  return status;
}

// Grow the heap lazily a GiB at a time until sbrk says no; exit 0 if it
// did, with the break still below TRAPFRAME.
void
grow_to_limit(uint64 unused)
{
  for(int i = 0; i < 1024; i++){
    if(sbrklazy(1 << 30) == SBRK_ERROR)
      exit((uint64)sbrk(0) < TRAPFRAME ? 0 : 2);
  }
  exit(1);
}

// Where the caller will return to (an old-style definition: no prototype).
__attribute__((noinline)) uint64
return_address()
{
  return r_ra();
}

// The page sbrk rounds the heap to: the page holding the break is the
// program's to its last byte, the next page is not.
void
check_pages(void)
{
  char *brk = sbrk(0);
  uint64 top = PGROUNDUP((uint64)brk);
  sbrk(top - (uint64)brk + 1);   // the break is now one byte into the page at top
  int st = in_child(poke_page_end, top);
  check("PGSIZE: the break's page is the program's to its end (exit status)", st == 0, st, 0);
  st = in_child(poke_next_page, top);
  check("PGSIZE: the page after the break's page is not (exit status)", st == -1, st, -1);
  sbrk(-(top - (uint64)brk + 1));
  check("PGROUNDDOWN, PGROUNDUP", PGROUNDDOWN(top + 1) == top && PGROUNDUP(top + 1) == top + PGSIZE,
        PGROUNDUP(top + 1), top + PGSIZE);

  char *p = sbrklazy(PGSIZE);
  check("sbrklazy gives memory", p != SBRK_ERROR && (p[0] = 7) == 7, (uint64)p, 0);
  sbrk(-PGSIZE);
  check("sys_sbrk(0, SBRK_EAGER) is the break", sys_sbrk(0, SBRK_EAGER) == sbrk(0), 0, 0);
  st = in_child(grow_to_limit, 0);
  check("the heap ends in SBRK_ERROR below TRAPFRAME (exit status)", st == 0, st, 0);
}

// The stack: USERSTACK pages under its top, where exec put the argument
// strings (as xv6 does), then a guard page.
void
check_stack(char *arg0)
{
  uint64 top = PGROUNDUP((uint64)arg0);
  uint64 bottom = top - USERSTACK * PGSIZE;
  uint64 sp = r_sp();
  printf("stack %p..%p, sp %p\n", bottom, top, sp);
  check("r_sp points into the stack", sp > bottom && sp < top, sp, top);
  int st = in_child(peek, bottom);
  check("USERSTACK: the lowest stack byte is readable (exit status)", st == 0, st, 0);
  st = in_child(peek, bottom - 1);
  check("USERSTACK: the byte below the stack kills (exit status)", st == -1, st, -1);
  uint64 fp = r_fp();
  check("r_fp points into the stack", fp > bottom && fp <= top, fp, top);
  uint64 ra = return_address();
  check("r_ra is in the program", ra > (uint64)check_stack && ra < (uint64)sbrk(0), ra, (uint64)check_stack);
  check("r_tp is set (thread-local storage)", r_tp() != 0, r_tp(), 1);
  uint64 t0 = r_time();
  pause(2);
  uint64 t1 = r_time();
  check("r_time advances over pause(2)", t1 - t0 >= 100000, t1 - t0, 100000);
}

// Check that f(a) in a child gets it killed.
void
check_killed(char *what, void (*f)(uint64), uint64 a)
{
  int st = in_child(f, a);
  check(what, st == -1, st, -1);
}

// Addresses xv6 programs expect to be killed for touching.
void
check_layout(void)
{
  check_killed("KERNBASE is not readable", peek, KERNBASE);
  check_killed("PHYSTOP - 1 is not readable", peek, PHYSTOP - 1);
  check_killed("TRAPFRAME is not writable", poke, TRAPFRAME);
  check_killed("TRAMPOLINE is not writable", poke, TRAMPOLINE);
  check_killed("MAXVA is not writable", poke, MAXVA);
  check_killed("MAXVA - 1 is not writable", poke, MAXVA - 1);
  check("PX(2, MAXVA - 1) is the last user root entry", PX(2, MAXVA - 1) == 255, PX(2, MAXVA - 1), 255);
  check("PTE2PA(PA2PTE(pa)) is pa", PTE2PA(PA2PTE(KERNBASE) | PTE_V | PTE_R) == KERNBASE &&
        PTE_FLAGS(PA2PTE(KERNBASE) | PTE_V | PTE_R) == (PTE_V | PTE_R), 0, 0);
}

// DIRSIZ names fit a directory entry, longer ones do not; entries are struct dirent.
void
check_names(void)
{
  char name[DIRSIZ + 2];
  struct dirent de;
  int fd, found = 0;

  memset(name, 'n', DIRSIZ + 1);
  name[DIRSIZ + 1] = 0;
  fd = open(name, O_CREATE | O_RDWR);
  check("a name of DIRSIZ + 1 bytes is refused", fd < 0, fd, -1);
  name[DIRSIZ] = 0;
  fd = open(name, O_CREATE | O_RDWR);
  check("a name of DIRSIZ bytes is taken", fd >= 0, fd, 3);
  close(fd);

  fd = open(".", O_RDONLY);
  int n;
  while((n = read(fd, &de, sizeof(de))) == sizeof(de)){
    if(de.inum != 0 && memcmp(de.name, name, DIRSIZ) == 0)
      found = 1;
  }
  close(fd);
  check("directories read as struct dirent with DIRSIZ names", found && n == 0, n, 0);
  unlink(name);

  struct stat st;
  memset(&st, 0xff, sizeof(st));
  stat("/", &st);
  check("stat(\"/\").ino is ROOTINO", st.ino == ROOTINO, st.ino, ROOTINO);
  check("stat(\"/\").dev is ROOTDEV", st.dev == ROOTDEV, st.dev, ROOTDEV);
  check("stat(\"/\").type is T_DIR", st.type == T_DIR, st.type, T_DIR);
  check("fd 2 is the console, T_DEVICE", fstat(2, &st) == 0 && st.type == T_DEVICE, st.type, T_DEVICE);
}

// MAXPATH counts the NUL: MAXPATH - 1 characters open, MAXPATH do not.
void
check_path(void)
{
  char path[MAXPATH + 1];
  int self = strlen(SELF);

  memset(path, '/', MAXPATH);
  strcpy(path + MAXPATH - 1 - self, SELF);    // strlen(path) == MAXPATH - 1
  int fd = open(path, O_RDONLY);
  check("a path of MAXPATH - 1 characters opens", fd >= 0, strlen(path), MAXPATH - 1);
  close(fd);
  memset(path, '/', MAXPATH + 1);
  strcpy(path + MAXPATH - self, SELF);        // strlen(path) == MAXPATH
  fd = open(path, O_RDONLY);
  check("a path of MAXPATH characters does not", fd < 0, fd, -1);
  close(fd);
}

// NOFILE: the highest descriptor open() gives is NOFILE - 1.
void
check_files(void)
{
  int fds[NOFILE + 1], n = 0, highest = -1;

  while(n < NOFILE + 1 && (fds[n] = open(SELF, O_RDONLY)) >= 0){
    if(fds[n] > highest)
      highest = fds[n];
    n++;
  }
  check("NOFILE: the highest fd is NOFILE - 1, then open fails", highest == NOFILE - 1 && n < NOFILE + 1,
        highest, NOFILE - 1);
  while(n > 0)
    close(fds[--n]);

  int fd = open("hdrfile", O_CREATE | O_TRUNC | O_WRONLY);
  write(fd, "hello mmap", 10);
  close(fd);
  struct stat st;
  fd = open("hdrfile", O_WRONLY | O_TRUNC);
  fstat(fd, &st);
  close(fd);
  check("O_TRUNC empties the file", st.size == 0, st.size, 0);

  fd = open("hdrfile", O_RDWR);
  write(fd, "hello mmap", 10);
  char *p = mmap(0, PGSIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  check("mmap(PROT_READ | PROT_WRITE, MAP_SHARED) maps the file",
        p != (char *)-1 && memcmp(p, "hello mmap", 10) == 0, (uint64)p, 0);
  if(p != (char *)-1){
    p[0] = 'j';
    munmap(p, PGSIZE);
  }
  char *q = mmap(0, PGSIZE, PROT_READ, MAP_PRIVATE, fd, 0);
  check("MAP_SHARED wrote back; MAP_PRIVATE maps it", q != (char *)-1 && q[0] == 'j', (uint64)q, 0);
  if(q != (char *)-1)
    munmap(q, PGSIZE);
  q = mmap(0, PGSIZE, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
  check("mmap(PROT_EXEC) is refused", q == (char *)-1, (uint64)q, -1);
  close(fd);
  unlink("hdrfile");

  // Majors below NDEV may have a driver (1, the console, does); NDEV has none.
  mknod("hdrdev1", NDEV - 1, 0);
  mknod("hdrdev2", NDEV, 0);
  int d1 = open("hdrdev1", O_RDWR), d2 = open("hdrdev2", O_RDWR);
  check("NDEV: major NDEV - 1 opens", d1 >= 0, d1, 3);
  check("NDEV: major NDEV does not", d2 < 0, d2, -1);
  close(d1);
  close(d2);
  unlink("hdrdev1");
  unlink("hdrdev2");
}

// Exec this program with n arguments; the child's exit status.
int
exec_with(int n)
{
  static char *args[MAXARG + 2];
  int pid = fork(), status = -2;
  if(pid == 0){
    args[0] = SELF;
    args[1] = "count";
    for(int i = 2; i < n; i++)
      args[i] = "x";
    args[n] = 0;
    exec(SELF, args);
    exit(EXEC_FAILED);
  }
  wait(&status);
  return status;
}

// MAXARG arguments pass through exec, one more does not.
void
check_args(void)
{
  int st = exec_with(MAXARG);
  check("MAXARG: exec passes MAXARG arguments", st == MAXARG, st, MAXARG);
  st = exec_with(MAXARG + 1);
  check("MAXARG: exec refuses MAXARG + 1", st == EXEC_FAILED, st, EXEC_FAILED);
}

// Print the values no program can observe here.
void
print_values(void)
{
  printf("param NPROC %d NCPU %d NOFILE %d NFILE %d NINODE %d NDEV %d ROOTDEV %d\n",
         NPROC, NCPU, NOFILE, NFILE, NINODE, NDEV, ROOTDEV);
  printf("param MAXARG %d MAXOPBLOCKS %d LOGSIZE %d NBUF %d FSSIZE %d MAXPATH %d USERSTACK %d\n",
         MAXARG, MAXOPBLOCKS, LOGSIZE, NBUF, FSSIZE, MAXPATH, USERSTACK);
  printf("fs BSIZE %d NDIRECT %d NINDIRECT %d MAXFILE %d DIRSIZ %d ROOTINO %d IPB %d BPB %d\n",
         BSIZE, NDIRECT, (int)NINDIRECT, (int)MAXFILE, DIRSIZ, ROOTINO, (int)IPB, BPB);
  printf("riscv PGSIZE %d PGSHIFT %d MAXVA %p\n", PGSIZE, PGSHIFT, (uint64)MAXVA);
  printf("memlayout KERNBASE %p PHYSTOP %p TRAPFRAME %p TRAMPOLINE %p\n",
         (uint64)KERNBASE, (uint64)PHYSTOP, (uint64)TRAPFRAME, (uint64)TRAMPOLINE);
  printf("syscall fork %d exit %d sbrk %d pause %d close %d\n",
         SYS_fork, SYS_exit, SYS_sbrk, SYS_pause, SYS_close);
}

int
main(int argc, char *argv[])
{
  if(argv[1] && strcmp(argv[1], "count") == 0){
    int n = 0;
    while(argv[n])
      n++;
    exit(n);
  }
  print_values();
  check_stack(argv[0]);
  check_pages();
  check_layout();
  check_names();
  check_path();
  check_files();
  check_args();
  if(failures){
    printf("xv6hdrs: %d of %d checks failed\n", failures, checks);
    exit(1);
  }
  printf("xv6hdrs: all %d checks passed\n", checks);
  exit(0);
}
