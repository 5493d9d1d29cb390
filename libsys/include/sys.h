/*
 * The microkernel's system calls as C functions (libsys). Each returns a
 * negative enum sys_error on failure. See include/abi/syscall.h and
 * docs/abi.md for what each call does.
 */
#ifndef LIBSYS_SYS_H
#define LIBSYS_SYS_H

#include <stddef.h>
#include <stdint.h>
#include "abi/syscall.h"

/*
 * The two system-call stubs, inline so that a call costs its ecall and
 * little else. The register convention is in include/abi/syscall.h; the
 * kernel preserves every register it does not return a value in.
 */

/*
 * IPC call `number`: sends *m (for calls that send), stores the received
 * tag and words back into *m. word (t2): for REPLY_RECV, a lock the kernel
 * sets to 0 once the reply went through, or NULL.
 */
static inline long sys_ipc_word(long number, long tid, struct msg *m, const void *sbuf, void *rbuf, uint64_t rcap,
                                uint32_t *word)
{
	register long a0 asm("a0") = tid;
	register uint64_t a1 asm("a1") = m->tag;
	register uint64_t a2 asm("a2") = m->w[0];
	register uint64_t a3 asm("a3") = m->w[1];
	register uint64_t a4 asm("a4") = m->w[2];
	register uint64_t a5 asm("a5") = m->w[3];
	register const void *a6 asm("a6") = sbuf;
	register long a7 asm("a7") = number;
	register void *t0 asm("t0") = rbuf;
	register uint64_t t1 asm("t1") = rcap;
	register uint32_t *t2 asm("t2") = word;
	asm volatile("ecall"
	             : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5)
	             : "r"(a6), "r"(a7), "r"(t0), "r"(t1), "r"(t2)
	             : "memory");
	m->tag = a1;
	m->w[0] = a2;
	m->w[1] = a3;
	m->w[2] = a4;
	m->w[3] = a5;
	return a0;
}

/* An IPC system call: a0 the peer, a1-a5 the message, a6 the send buffer, t0/t1 the receive buffer; t2 0. */
static inline long sys_ipc(long number, long tid, struct msg *m, const void *sbuf, void *rbuf, uint64_t rcap)
{
	return sys_ipc_word(number, tid, m, sbuf, rbuf, rcap, NULL);
}

/* Any other system call: up to six arguments in, one value out. */
static inline long sys_call6(long number, long arg0, long arg1, long arg2, long arg3, long arg4, long arg5)
{
	register long a0 asm("a0") = arg0;
	register long a1 asm("a1") = arg1;
	register long a2 asm("a2") = arg2;
	register long a3 asm("a3") = arg3;
	register long a4 asm("a4") = arg4;
	register long a5 asm("a5") = arg5;
	register long a7 asm("a7") = number;
	asm volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7) : "memory");
	return a0;
}

/* Send m (and len bytes of buf, given in m->tag) to tid; blocks until received. */
static inline long ipc_send(long tid, struct msg *m, const void *buf)
{
	return sys_ipc(SYS_SEND, tid, m, buf, NULL, 0);
}

/* Receive from tid (or TID_ANY) into m and buf; returns the sender's tid. */
static inline long ipc_recv(long from, struct msg *m, void *buf, uint64_t cap)
{
	struct msg in = { 0 };          /* nothing is sent; m may be uninitialized */
	long r = sys_ipc(SYS_RECV, from, &in, NULL, buf, cap);
	*m = in;
	return r;
}

/* Send m to tid and wait for its reply in m and rbuf. */
static inline long ipc_call(long tid, struct msg *m, const void *sbuf, void *rbuf, uint64_t rcap)
{
	return sys_ipc(SYS_CALL, tid, m, sbuf, rbuf, rcap);
}

/* Reply m to tid, which must be waiting in a call to us. */
static inline long ipc_reply(long tid, struct msg *m, const void *buf)
{
	return sys_ipc(SYS_REPLY, tid, m, buf, NULL, 0);
}

/* Reply m to tid (TID_ANY: no reply), then receive; a refused reply returns its error without receiving. */
static inline long ipc_reply_recv(long tid, struct msg *m, const void *sbuf, void *rbuf, uint64_t rcap)
{
	return sys_ipc(SYS_REPLY_RECV, tid, m, sbuf, rbuf, rcap);
}
/*
 * The same, and the kernel sets *lock to 0 once the reply has gone through
 * (a lock held while replying); a negative result means the reply was
 * refused and *lock is untouched.
 */
static inline long ipc_reply_recv_release(long tid, struct msg *m, void *rbuf, uint64_t rcap, uint32_t *lock)
{
	return sys_ipc_word(SYS_REPLY_RECV, tid, m, NULL, rbuf, rcap, lock);
}

static inline long sys_notify(long tid, uint64_t bits) { return sys_call6(SYS_NOTIFY, tid, (long)bits, 0, 0, 0, 0); }
static inline long sys_yield(void) { return sys_call6(SYS_YIELD, 0, 0, 0, 0, 0, 0); }
static inline long sys_space_create(void) { return sys_call6(SYS_SPACE_CREATE, 0, 0, 0, 0, 0, 0); }
/* A space whose faults go to thread pager, another thread of the caller's own space. */
static inline long sys_space_create_paged_by(long pager) { return sys_call6(SYS_SPACE_CREATE, pager, 0, 0, 0, 0, 0); }
/* Destroy a space (and the spaces its threads page): the kernel does it a bounded step a call. */
static inline long sys_space_destroy(long space)
{
	long r;
	while ((r = sys_call6(SYS_SPACE_DESTROY, space, 0, 0, 0, 0, 0)) == SPACE_DESTROY_MORE)
		;
	return r;
}
/* A thread at pc with sp in space; it waits for our reply (its a0..a5) before it runs. */
static inline long sys_thread_create(long space, uint64_t pc, uint64_t sp)
{
	return sys_call6(SYS_THREAD_CREATE, space, (long)pc, (long)sp, 0, 0, 0);
}
void _libsys_thread_entry(void);
/* A thread of our own space on the stack that ends at sp; it runs the function in the first word of our start reply. */
static inline long sys_thread_start(long space, uint64_t sp)
{
	return sys_call6(SYS_THREAD_CREATE, space, (long)_libsys_thread_entry, (long)sp, 0, 0, 0);
}
static inline long sys_thread_copy(long space, long src) { return sys_call6(SYS_THREAD_COPY, space, src, 0, 0, 0, 0); }
static inline long sys_thread_kill(long tid) { return sys_call6(SYS_THREAD_KILL, tid, 0, 0, 0, 0, 0); }
static inline long sys_map(long space, uint64_t va, uint64_t pa, uint64_t rights, uint64_t npages)
{
	return sys_call6(SYS_MAP, space, (long)va, (long)pa, (long)rights, (long)npages, 0);
}
/* Map dst's [va, va + npages pages) to src's frames there, both without `drop` rights. */
static inline long sys_map_copy(long dst, long src, uint64_t va, uint64_t npages, uint64_t drop)
{
	return sys_call6(SYS_MAP_COPY, dst, src, (long)va, (long)npages, (long)drop, 0);
}
static inline long sys_unmap(long space, uint64_t va, uint64_t npages)
{
	return sys_call6(SYS_UNMAP, space, (long)va, (long)npages, 0, 0, 0);
}
static inline long sys_protect(long space, uint64_t va, uint64_t rights)
{
	return sys_call6(SYS_PROTECT, space, (long)va, (long)rights, 0, 0, 0);
}
/* One page's PAGE_PRESENT/ACCESSED/DIRTY; how: enum page_bits_how (1, PAGE_BITS_CLEAR, clears A and D). */
static inline long sys_page_bits(long space, uint64_t va, int how)
{
	return sys_call6(SYS_PAGE_BITS, space, (long)va, how, 0, 0, 0);
}
/* The bits of npages (up to PAGE_BITS_MAX_PAGES) pages from va, page i at PAGE_BITS_WIDTH * i. */
static inline long sys_page_bits_many(long space, uint64_t va, int how, uint64_t npages)
{
	return sys_call6(SYS_PAGE_BITS, space, (long)va, how, (long)npages, 0, 0);
}
static inline long sys_irq_bind(long irq, long tid, uint64_t bits) { return sys_call6(SYS_IRQ_BIND, irq, tid, (long)bits, 0, 0, 0); }
static inline long sys_irq_ack(long irq) { return sys_call6(SYS_IRQ_ACK, irq, 0, 0, 0, 0, 0); }
/* Write up to CONSOLE_WRITE_MAX of len bytes to the kernel console; the bytes written. */
static inline long sys_console_write(const void *buf, size_t len) { return sys_call6(SYS_CONSOLE_WRITE, (long)buf, (long)len, 0, 0, 0, 0); }
/* Write all len bytes to the kernel console, a call per CONSOLE_WRITE_MAX: len, or an error. */
static inline long console_write_all(const void *buf, size_t len)
{
	for (size_t done = 0; done < len;) {
		size_t chunk = len - done < IPC_BUF_MAX ? len - done : IPC_BUF_MAX;
		long r = sys_console_write((const char *)buf + done, chunk);
		if (r < 0)
			return r;
		done += (size_t)r;
	}
	return (long)len;
}
/* Make [va, va + len) of our own memory readable (writable if write), or -E_FAULT; len <= IPC_BUF_MAX. */
static inline long sys_user_check(const void *va, size_t len, int write)
{
	return sys_call6(SYS_USER_CHECK, (long)va, (long)len, write, 0, 0, 0);
}
static inline long sys_idle_notify(uint64_t bits) { return sys_call6(SYS_IDLE_NOTIFY, (long)bits, 0, 0, 0, 0, 0); }
static inline long sys_poweroff(int failed) { return sys_call6(SYS_POWEROFF, failed, 0, 0, 0, 0, 0); }
static inline long sys_gettid(void) { return sys_call6(SYS_GETTID, 0, 0, 0, 0, 0, 0); }
static inline long sys_timer(uint64_t deadline) { return sys_call6(SYS_TIMER, (long)deadline, 0, 0, 0, 0, 0); }
static inline long sys_kstat(long which) { return sys_call6(SYS_KSTAT, which, 0, 0, 0, 0, 0); }
static inline long sys_thread_restart(long tid, uint64_t pc, uint64_t sp, uint64_t arg)
{
	return sys_call6(SYS_THREAD_RESTART, tid, (long)pc, (long)sp, (long)arg, 0, 0);
}

/* Wait for notification bits only (device interrupts, timer); returns them. */
static inline uint64_t wait_notification(void)
{
	struct msg m = { 0, { 0, 0, 0, 0 } };
	return sys_ipc(SYS_RECV, TID_KERNEL, &m, NULL, NULL, 0) == TID_KERNEL ? m.w[0] : 0;
}

/* Build a message with a label, no buffer and up to four words. */
static inline struct msg msg_make(uint64_t label, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
	struct msg m = { TAG(label, 0), { w0, w1, w2, w3 } };
	return m;
}

/* Pointer checks (usercheck.c): a string's length below max or -1; may memory be read, written? */
long user_strlen(const char *s, size_t max);
int user_readable(const void *p, size_t len);
int user_writable(void *p, size_t len);

/* Set up picolibc's thread-local storage (errno) for the calling thread. */
void libsys_init_tls(void);

/* The pager's and the fs server's thread ids, from the start-up block. */
extern long libsys_pager_tid, libsys_fs_tid;

/* Set (by the servers) to write stdout and stderr to the kernel console, not the fs server. */
extern int libsys_kernel_console;

/* Make a request of the fs server (label in m, buffers); returns w[0] of its reply and fills *m. */
long fs_request(struct msg *m, const void *sbuf, size_t slen, void *rbuf, size_t rcap);

/* Make a request of the pager; returns w[0] of its reply and fills *m. */
long pager_request(struct msg *m, const void *buf, size_t len);

#endif
