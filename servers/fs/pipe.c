/*
 * Pipes: a ring buffer with read and write ends counted separately. A
 * read of an empty pipe whose write end is open, and a write to a full
 * pipe whose read end is open, cannot be answered yet: they return
 * PIPE_WAIT and the server keeps the caller's reply for later (see
 * files.c), retrying it whenever the pipe changes.
 *
 * Table share. The last PIPE_RESERVE free pipes are kept for clients
 * that hold fewer than PIPE_FEW pipes (counting each pipe any of their
 * descriptors is an end of, once): anyone else gets -E_NOMEM from
 * FS_PIPE while no more than that many pipes are free. A client holds a
 * pipe only by making it or by inheriting it at fork, so after the table
 * last had more than PIPE_RESERVE free, each client has come to hold at
 * most PIPE_FEW of the pipes made since; the reserve, FS_MAX_PROCS *
 * PIPE_FEW, outlasts them all, so a client holding none can always make
 * one, however many processes hog the rest.
 */
#include <string.h>
#include "fsserver.h"

#define PIPE_SIZE 4096
#define PIPE_FEW 1                     /* pipes a client may hold and still draw on the reserve */
#define PIPE_SHARED 32                 /* pipes anyone may take */
#define PIPE_RESERVE (FS_MAX_PROCS * PIPE_FEW)
#define MAX_PIPES (PIPE_SHARED + PIPE_RESERVE)

struct pipe {
	int used;
	int readers, writers;        /* open read and write ends */
	uint64_t nread, nwrite;      /* bytes ever read and written */
	char data[PIPE_SIZE];
};

static struct pipe pipes[MAX_PIPES];
static int pipes_used;

/* May a client holding `held` pipes make one now: does it hold few, or is the table above its reserve? */
int pipe_share_ok(int held)
{
	return held < PIPE_FEW || MAX_PIPES - pipes_used > PIPE_RESERVE;
}

/* A new pipe with one reader and one writer; NULL when none is free. */
struct pipe *pipe_alloc(void)
{
	for (int i = 0; i < MAX_PIPES; i++)
		if (!pipes[i].used) {
			memset(&pipes[i], 0, sizeof(pipes[i]));
			pipes[i].used = 1;
			pipes[i].readers = pipes[i].writers = 1;
			pipes_used++;
			return &pipes[i];
		}
	return NULL;
}

/* Close one end; the pipe is free when both are closed. */
void pipe_close(struct pipe *p, int writable)
{
	if (writable)
		p->writers--;
	else
		p->readers--;
	if (p->readers == 0 && p->writers == 0) {
		p->used = 0;
		pipes_used--;
	}
}

/* Read up to n bytes: bytes, 0 at end of file, or PIPE_WAIT. */
long pipe_read(struct pipe *p, char *buf, uint64_t n)
{
	uint64_t avail = p->nwrite - p->nread;
	if (avail == 0)
		return p->writers ? PIPE_WAIT : 0;
	n = n < avail ? n : avail;
	for (uint64_t i = 0; i < n; i++)
		buf[i] = p->data[(p->nread + i) % PIPE_SIZE];
	p->nread += n;
	return (long)n;
}

/* Would a write have to wait (the pipe full, and someone to read it)? */
int pipe_full(const struct pipe *p)
{
	return p->readers && p->nwrite - p->nread == PIPE_SIZE;
}

/* Write up to n bytes: bytes taken, -E_INVAL with no reader, or PIPE_WAIT when full. */
long pipe_write(struct pipe *p, const char *buf, uint64_t n)
{
	if (!p->readers)
		return -E_INVAL;
	uint64_t room = PIPE_SIZE - (p->nwrite - p->nread);
	if (room == 0)
		return PIPE_WAIT;
	n = n < room ? n : room;
	for (uint64_t i = 0; i < n; i++)
		p->data[(p->nwrite + i) % PIPE_SIZE] = buf[i];
	p->nwrite += n;
	return (long)n;
}
