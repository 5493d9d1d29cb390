/*
 * open() flags (kernel/fcntl.h), with xv6's values (also picolibc's and
 * the fs server's FS_O_*), and the mmap lab's protections and flags (the
 * pager's MMAP_*). The pager maps files readable, or readable and
 * writable: mmap with PROT_NONE or PROT_EXEC fails.
 */
#ifndef XV6_FCNTL_H
#define XV6_FCNTL_H

#define O_RDONLY 0x000
#define O_WRONLY 0x001
#define O_RDWR   0x002
#define O_CREATE 0x200
#define O_TRUNC  0x400

#define PROT_NONE   0x0
#define PROT_READ   0x1
#define PROT_WRITE  0x2
#define PROT_EXEC   0x4
#define MAP_SHARED  0x01
#define MAP_PRIVATE 0x02

#endif
