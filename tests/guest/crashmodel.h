/*
 * The crash-consistency workload, shared by crashwork (which performs it)
 * and crashcheck (which recomputes what it leaves on the disk). Request i
 * acts on file /crash/f<i % CRASH_FILES>; each file goes through the
 * steps of crash_steps in turn: create, write, overwrite, truncate,
 * write, unlink. Every step is one fs request that changes the disk, so
 * one transaction of the write-ahead log: a write is at most IPC_BUF_MAX
 * bytes (one FS_WRITE request, docs/fs.md §8), always at offset 0, with
 * bytes that depend on i, so that stale data shows. crash_model replays
 * the first n requests on an in-memory copy of the files.
 */
#ifndef CRASHMODEL_H
#define CRASHMODEL_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "abi/syscall.h"

#define CRASH_DIR "/crash"
#define CRASH_FILES 4                  /* /crash/f0 .. /crash/f3 */
/* Disk-changing requests in the workload: 248 visits of every file, then
 * two more of f0 and f1, so that at the end f0 and f1 have just been
 * overwritten and f2 and f3 written (steps 2 and 1): all hold data. */
#define CRASH_REQUESTS 994
#define CRASH_MAX_BYTES IPC_BUF_MAX    /* largest write, and so largest file */
#define CRASH_PATH_MAX 32
#define CRASH_LEN_STRIDE 5063          /* ~0.618 * 8192: lengths spread over 1..CRASH_MAX_BYTES */
#define CRASH_BYTE_STRIDE 37           /* odd: 256 requests in a row write distinct bytes */

enum crash_kind { CRASH_CREATE, CRASH_WRITE, CRASH_TRUNCATE, CRASH_UNLINK };

/* What one file goes through, one step per visit; it ends as it began (absent). */
static const enum crash_kind crash_steps[] = {
	CRASH_CREATE, CRASH_WRITE, CRASH_WRITE, CRASH_TRUNCATE, CRASH_WRITE, CRASH_UNLINK,
};
#define CRASH_STEPS ((int)(sizeof(crash_steps) / sizeof(crash_steps[0])))

struct crash_file {
	int exists;
	uint32_t size;
	uint8_t data[CRASH_MAX_BYTES];
};

struct crash_state {
	struct crash_file file[CRASH_FILES];
};

/* The file request i acts on. */
static inline int crash_file_of(int i)
{
	return i % CRASH_FILES;
}

/* What request i does. */
static inline enum crash_kind crash_kind_of(int i)
{
	return crash_steps[(i / CRASH_FILES) % CRASH_STEPS];
}

/* Put the path of file f in buf (CRASH_PATH_MAX bytes). */
static inline void crash_path(char *buf, int f)
{
	snprintf(buf, CRASH_PATH_MAX, CRASH_DIR "/f%d", f);
}

/* How many bytes write request i writes: 1..CRASH_MAX_BYTES. */
static inline uint32_t crash_write_len(int i)
{
	return 1 + (uint32_t)i * CRASH_LEN_STRIDE % CRASH_MAX_BYTES;
}

/* Fill buf with the len bytes write request i writes at offset 0. */
static inline void crash_fill(uint8_t *buf, uint32_t len, int i)
{
	for (uint32_t off = 0; off < len; off++)
		buf[off] = (uint8_t)(((uint32_t)i * CRASH_BYTE_STRIDE + 1) ^ (off * 13 + off / 256));
}

/* Apply request i to the in-memory files. */
static inline void crash_apply(struct crash_state *s, int i)
{
	struct crash_file *f = &s->file[crash_file_of(i)];
	uint32_t len;
	switch (crash_kind_of(i)) {
	case CRASH_CREATE:
		f->exists = 1;
		f->size = 0;
		break;
	case CRASH_WRITE:
		len = crash_write_len(i);
		crash_fill(f->data, len, i);
		f->size = len > f->size ? len : f->size;
		break;
	case CRASH_TRUNCATE:
		f->size = 0;
		break;
	case CRASH_UNLINK:
		f->exists = 0;
		f->size = 0;
		break;
	}
}

/* Set s to what the first n requests of the workload leave. */
static inline void crash_model(struct crash_state *s, int n)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < n; i++)
		crash_apply(s, i);
}

#endif
