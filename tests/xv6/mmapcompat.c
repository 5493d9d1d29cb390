// xv6 style, as the mmap lab defines mmap: a writable shared mapping of a
// file opened read-only fails; a private one works and leaves the file
// alone; a shared mapping's writes reach the file at munmap even while
// the file is also open and mapped read-only elsewhere.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/riscv.h"
#include "user/user.h"

#define FAILED ((char*)0xffffffffffffffffL)

void
err(char *why)
{
  printf("mmapcompat: %s\n", why);
  unlink("mm.f");
  exit(1);
}

void
make_file()
{
  char page[PGSIZE];
  int fd = open("mm.f", O_CREATE|O_RDWR|O_TRUNC);
  memset(page, 'a', PGSIZE);
  if(fd < 0 || write(fd, page, PGSIZE) != PGSIZE || write(fd, page, PGSIZE) != PGSIZE)
    err("cannot make the file");
  close(fd);
}

char file[2*PGSIZE];

// The byte at off of the file, read through the file system.
char
byte_at(int off)
{
  int fd = open("mm.f", O_RDONLY), n = 0, r;
  while(n < sizeof(file) && (r = read(fd, file + n, sizeof(file) - n)) > 0)
    n += r;
  close(fd);
  return off < n ? file[off] : 0;
}

int
main(int argc, char *argv[])
{
  make_file();
  int ro = open("mm.f", O_RDONLY);
  if(mmap(0, 2*PGSIZE, PROT_READ|PROT_WRITE, MAP_SHARED, ro, 0) != FAILED)
    err("a writable shared mapping of a read-only file was allowed");

  char *priv = mmap(0, 2*PGSIZE, PROT_READ|PROT_WRITE, MAP_PRIVATE, ro, 0);
  if(priv == FAILED)
    err("a private writable mapping of a read-only file failed");
  priv[0] = 'p';
  if(munmap(priv, 2*PGSIZE) != 0 || byte_at(0) != 'a')
    err("a private mapping changed the file");

  char *seen = mmap(0, 2*PGSIZE, PROT_READ, MAP_SHARED, ro, 0);
  int rw = open("mm.f", O_RDWR);
  char *shared = mmap(0, 2*PGSIZE, PROT_READ|PROT_WRITE, MAP_SHARED, rw, 0);
  if(seen == FAILED || shared == FAILED)
    err("mapping the file failed");
  if(seen[0] != 'a' || shared[PGSIZE] != 'a')
    err("a mapping reads the wrong bytes");
  shared[0] = 'Z';
  shared[PGSIZE + 1] = 'Y';
  if(munmap(shared, 2*PGSIZE) != 0)
    err("munmap of the shared mapping failed");
  if(byte_at(0) != 'Z' || byte_at(PGSIZE + 1) != 'Y')
    err("a shared mapping's writes did not reach the file");
  munmap(seen, 2*PGSIZE);
  close(ro);
  close(rw);
  unlink("mm.f");
  printf("mmapcompat: mmap behaves as the lab says\n");
  exit(0);
}
