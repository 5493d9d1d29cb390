/*
 * Reads of program and mapped-file pages for faults, made by a reader
 * thread while the pager goes on serving others.
 *
 * A fault on a page backed by a file on the fs server (a program's text
 * or data, a mapped file) needs the fs server to read it. The pager's
 * threads do not call the fs server for it themselves: file_read_page
 * gives the page a zeroed frame, records the read (struct file_read)
 * and parks the fault (DECIDE_WAIT_READ), and the reader thread calls
 * the fs server and reads the bytes into the frame. When it is done it
 * notifies the main thread (NOTIFY_FILE_READ), which has the waiting
 * faults served again as after a swap-in (swap_resume_waiting,
 * swap_next_fault): the first fault of the page takes the frame, unless
 * another waits for it too, and then it is copied. A read that nobody
 * takes is let go once every waiting fault has been served again
 * (file_reads_settle); a process that ends while its fault waits for a
 * read lets that read go as it ends (file_read_abandon).
 *
 * The records are the only state the reader shares with the pager's
 * other threads. A record goes FREE -> QUEUED (a pager thread, with the
 * pager lock when there is one) -> READING -> DONE or FAILED (the
 * reader) -> FREE (the main thread), each step one atomic store, and
 * the fields are written before the store that hands the record over.
 * The record holds a reference to its image, so the image's descriptor
 * stays while the reader uses it. Reads made outside a fault (exec's
 * headers, servers' pages, fault-around) stay synchronous.
 */
#include <stdio.h>
#include <string.h>
#include "pager.h"
#include "sys.h"

#define FILE_READS 8                    /* reads in flight or finished and not yet taken */
#define READER_STACK_SIZE 16384
#define NOTIFY_WORK 1UL                 /* the reader's notification: records are queued */

enum file_read_state { FR_FREE, FR_QUEUED, FR_READING, FR_DONE, FR_FAILED };

struct file_read {
	uint32_t state;                 /* enum file_read_state, stored atomically */
	int img;                        /* the image read, referenced */
	uint64_t off, len;              /* the bytes, at most a page */
	uint64_t pa;                    /* the frame they go to (zeroed first) */
};

static struct file_read reads[FILE_READS];
static int64_t reader_tid;             /* 0 until file_reads_start */
static char reader_stack[READER_STACK_SIZE] __attribute__((aligned(16)));

/* A record's state, as its last store left it. */
static uint32_t state_of(int i)
{
	return __atomic_load_n(&reads[i].state, __ATOMIC_ACQUIRE);
}

/* Is a record in state s finished, its frame not yet taken or let go? */
static int finished(uint32_t s)
{
	return s == FR_DONE || s == FR_FAILED;
}

/* Does record i hold a frame (in use, and its frame not taken)? */
static int holds_frame(int i)
{
	return state_of(i) != FR_FREE && reads[i].pa;
}

/* Hand record i on in state s (after the fields it carries are written). */
static void set_state(int i, uint32_t s)
{
	__atomic_store_n(&reads[i].state, s, __ATOMIC_RELEASE);
}

/* The reader thread: take a queued record, read it, say it is done; wait for work when none is queued. */
static _Noreturn void reader_main(void)
{
	pager_thread_enter();
	for (;;) {
		int taken = 0;
		for (int i = 0; i < FILE_READS; i++) {
			uint32_t queued = FR_QUEUED;
			if (!__atomic_compare_exchange_n(&reads[i].state, &queued, FR_READING, 0,
			                                 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
				continue;
			struct file_read *r = &reads[i];
			long n = image_read(r->img, r->off, frame_ptr(r->pa), r->len);
			set_state(i, n == (long)r->len ? FR_DONE : FR_FAILED);
			sys_notify(pager_tid, NOTIFY_FILE_READ);
			taken = 1;
		}
		if (!taken) {
			struct msg note;
			ipc_recv(TID_KERNEL, &note, NULL, 0);
		}
	}
}

/* Start the reader thread (from the main thread, at boot). */
void file_reads_start(void)
{
	long tid = pager_thread_start(&reader_stack[READER_STACK_SIZE], reader_main);
	if (tid < 0)
		printf("pager: no reader thread (error %ld): file pages are read while faults wait\n", tid);
	else
		reader_tid = tid;
}

/* The fs server is up: tell it that the reader reads files as the pager. */
void file_reads_tell_fs(void)
{
	if (reader_tid && fs_pager_thread(reader_tid) < 0)
		reader_tid = 0;                 /* the fs server would refuse it: read while faults wait */
}

/* The record of the read of (img, off), or -1. */
static int find_read(int img, uint64_t off)
{
	for (int i = 0; i < FILE_READS; i++)
		if (state_of(i) != FR_FREE && reads[i].img == img && reads[i].off == off)
			return i;
	return -1;
}

/* Let record i go: its frame (unless taken: pa 0) and its image. */
static void free_read(int i)
{
	if (reads[i].pa)
		frame_unref(reads[i].pa);
	image_unref(reads[i].img);
	set_state(i, FR_FREE);
}

/* Queue a read of len bytes at off of img into a new zeroed frame; its record, -E_BUSY if none is free, -E_NOMEM. */
static int start_read(int img, uint64_t off, uint64_t len)
{
	int i = 0;
	while (i < FILE_READS && state_of(i) != FR_FREE)
		i++;
	if (i == FILE_READS)
		return -E_BUSY;
	uint64_t pa = frame_alloc();
	if (!pa)
		return -E_NOMEM;
	image_ref(img);
	reads[i].img = img;                     /* the fields first, then the state that hands them over */
	reads[i].off = off;
	reads[i].len = len;
	reads[i].pa = pa;
	set_state(i, FR_QUEUED);
	sys_notify(reader_tid, NOTIFY_WORK);
	return i;
}

/* The finished read i for p's fault: its frame, or a copy if another fault waits for it too; 0 if no frame is left. */
static uint64_t take_read(struct proc *p, int i)
{
	if (!fault_waits_for_read(p, i + 1)) {
		uint64_t pa = reads[i].pa;
		reads[i].pa = 0;
		free_read(i);
		return pa;
	}
	uint64_t pa = frame_alloc_dirty();
	if (pa)
		memcpy(frame_ptr(pa), frame_ptr(reads[i].pa), PAGE_SIZE);
	return pa;
}

/*
 * Fill *pa for p's fault with len bytes at off of fs image img (the
 * rest of the page zero): the finished read's frame; else the fault
 * waits (DECIDE_WAIT_READ, p->park_read says for which read) for one
 * that is started now or already under way (or, with every record in
 * use, for frames: DECIDE_WAIT). A decision, as fill_page's.
 */
int file_read_page(struct proc *p, int img, uint64_t off, uint64_t len, uint64_t *pa)
{
	*pa = 0;
	int i = find_read(img, off);
	uint32_t s = i >= 0 ? state_of(i) : FR_FREE;
	if (s == FR_DONE)
		return (*pa = take_read(p, i)) ? DECIDE_FILE_FILL : DECIDE_OOM;
	if (s == FR_FAILED)
		return DECIDE_KILL;
	if (i < 0 && (i = start_read(img, off, len)) < 0)
		return i == -E_BUSY ? DECIDE_WAIT : DECIDE_OOM;
	p->park_read = i + 1;
	return DECIDE_WAIT_READ;
}

/* Is read number n (park_read) finished? */
int file_read_finished(uint64_t n)
{
	uint32_t s = state_of((int)n - 1);
	return finished(s) || s == FR_FREE;
}

/* Does the reader run (so that faults read file pages through it)? */
int file_reads_on(void)
{
	return reader_tid != 0;
}

/* Every waiting fault was served again: let go of the finished reads none of them took. */
void file_reads_settle(void)
{
	for (int i = 0; i < FILE_READS; i++)
		if (finished(state_of(i)))
			free_read(i);
}

/*
 * p ends while its fault waits for read n: wait until the reader has
 * finished it (the fs server never waits on the pager, so this ends),
 * then let it go unless another fault waits for it too; so the frame is
 * free again once p's exit is done.
 */
void file_read_abandon(const struct proc *p, uint64_t n)
{
	while (!file_read_finished(n))
		sys_yield();
	if (finished(state_of((int)n - 1)) && !fault_waits_for_read(p, n))
		free_read((int)n - 1);
}

/* How many frames the reads hold (PAGER_HELD). */
uint64_t file_reads_held(void)
{
	uint64_t held = 0;
	for (int i = 0; i < FILE_READS; i++)
		held += holds_frame(i);
	return held;
}

/* Checker: the frames the reads hold are held. */
void file_reads_check(void)
{
	for (int i = 0; i < FILE_READS; i++)
		if (holds_frame(i))
			frames_check_found(reads[i].pa);
}
