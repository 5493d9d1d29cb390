/*
 * What the file-system host tests share (tests/host/test_fs.c,
 * test_fs_crash.c, test_fs_corrupt.c): the RAM disk that can lose power,
 * and helpers that make, check and hash files on it.
 */
#ifndef TESTS_HOST_FS_TEST_H
#define TESTS_HOST_FS_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blk.h"
#include "bio.h"
#include "fs.h"
#include "log.h"
#include "check.h"

#define DISK_BLOCKS  16384                /* 16 MiB, mkfs's default */
#define DISK_INODES  1024
#define SMALL_BLOCKS 2048                 /* a small file system for running out */
#define SMALL_INODES 64
#define SECTOR       512
#define KiB          1024U
#define MiB          (1024U * KiB)
#define SINGLE_START (NDIRECT * BLOCK_SIZE)                 /* first byte via the indirect block */
#define DOUBLE_START ((NDIRECT + NINDIRECT) * BLOCK_SIZE)   /* first byte via the double-indirect */
#define L2_SPAN      (NINDIRECT * BLOCK_SIZE)               /* bytes one second-level block maps */
#define MANY_FILES   800                  /* > NDIRECT blocks of entries */
#define FUZZ_ROUNDS  300
#define FUZZ_POKES   4
#define WALK_DEPTH   4
#define WALK_BYTES   (1 * MiB)            /* contents hashed per file */
#define WALK_ENTRIES 4096                 /* entries hashed per directory */
#define CHUNK        (8 * KiB)
#define NO_BLOCK     UINT32_MAX
#define FNV64_OFFSET 14695981039346656037ULL
#define FNV64_PRIME  1099511628211ULL
#define FNV32_OFFSET 2166136261U
#define FNV32_PRIME  16777619U

/* The RAM disk (test_fs.c): its blocks, a saved copy, and how it fails. */
extern uint8_t disk[DISK_BLOCKS][BLOCK_SIZE];
extern uint8_t saved[DISK_BLOCKS][BLOCK_SIZE];
extern long write_budget;                 /* writes that still land; -1 = all */
extern int tear;                          /* the first lost write lands one sector */
extern uint32_t writes;                   /* writes issued since reset */
extern uint32_t first_header_write;       /* index of the first write to the log header */
extern uint32_t fail_block;               /* reads of this block fail */
extern uint8_t big[2 * MiB], back[2 * MiB];

/* Helpers (test_fs.c). */
void trace_reset(void);
int mount_dev(uint32_t dev);
void fresh_fs(uint32_t blocks, uint32_t inodes);
void fresh(void);
uint8_t pattern(uint32_t i, uint32_t seed);
void fill(uint8_t *buf, uint32_t n, uint32_t seed);
int make_file(const char *path, uint32_t n, uint32_t seed);
int file_ok(const char *path, uint32_t n, uint32_t seed);
int stat_path(const char *path, struct fs_stat *st);
uint32_t free_blocks(void);
uint32_t free_inodes(void);
int no_leaks(void);
struct dinode *disk_inode(uint32_t inum);
uint32_t inum_of(const char *path);
uint64_t digest(void);

/* The test groups in the other files. */
void fs_crash_tests(void);
void fs_corrupt_tests(void);

#endif
