/*
 * Synchronous IPC between threads, addressed by thread id. A message is a
 * tag (label and buffer length) and MSG_WORDS words carried in registers,
 * plus an optional buffer of at most IPC_BUF_MAX bytes that the kernel
 * copies from the sender's space into the receiver's receive buffer
 * (truncated to the receiver's capacity; the received tag says how much
 * arrived).
 *
 * Rendezvous: a sender whose receiver is not waiting queues on the
 * receiver's send queue (T_SEND); a receiver with nobody queued blocks
 * (T_RECV). A call is a send that then waits (T_REPLY) for a reply from
 * the same thread, and only that thread may reply. Page faults use the
 * same path: the kernel composes the FAULT message and makes the call on
 * the faulting thread's behalf.
 *
 * A thread's outgoing message stays in its saved registers (a1 to a6)
 * until it is delivered; only a fault's message, which the kernel
 * composes, lives in struct thread (see msg_of in kernel.h).
 *
 * Buffers were checked present at the syscall's entry (see syscall.c), so
 * the copy here cannot fault; a page unmapped since then ends the copy.
 */
#include "kernel.h"

/* Copy src's send buffer into dst's receive buffer (at most its capacity); the bytes copied. */
static SLOW_PATH uint64_t transfer_buffer(struct thread *src, struct thread *dst, uint64_t len)
{
	uint64_t cap = dst->frame.r[REG_T1];
	return space_copy(dst->space, dst->frame.r[REG_T0], src->space, msg_buf(src),
	                  len < cap ? len : cap);
}

/* Put src's id and the message m (tag and words) into dst's registers a0 to a5. */
static HOT_PATH void deliver(const struct thread *src, const uint64_t *m, uint64_t tag, struct thread *dst)
{
	uint64_t *r = &dst->frame.r[REG_A0];
	r[0] = (uint64_t)src->tid;
	r[1] = tag;
	r[2] = m[1];
	r[3] = m[2];
	r[4] = m[3];
	r[5] = m[4];
}
_Static_assert(MSG_WORDS == 4, "deliver copies four words");
_Static_assert(REG_A1 + 1 == REG_A2 && offsetof(struct msg, w) == sizeof(uint64_t),
               "a syscall message in registers is laid out as struct msg");

/* Move src's outgoing message into dst's registers and receive buffer. */
static HOT_PATH void transfer(struct thread *src, struct thread *dst)
{
	const uint64_t *m = msg_of(src);
	uint64_t tag = m[0];
	if (TAG_LENGTH(tag))
		tag = TAG(TAG_LABEL(tag), transfer_buffer(src, dst, TAG_LENGTH(tag)));
	deliver(src, m, tag, dst);
}

/* Is dst waiting for a message from src? */
FAST_STEP int waits_for(const struct thread *dst, const struct thread *src)
{
	return dst->state == T_RECV && (dst->recv_from == TID_ANY || dst->recv_from == src->tid);
}

/*
 * The fast path of a call (or a fault) whose message has no buffer: if
 * dst already waits for t, hand it the message and switch straight to
 * it. Returns 0 (nothing done) when the general path is needed.
 */
int ipc_call_fast(struct thread *t, struct thread *dst)
{
	if (!waits_for(dst, t))
		return 0;
	const uint64_t *m = msg_of(t);
	deliver(t, m, m[0], dst);
	thread_switch(t, T_REPLY, dst);
	t->partner = dst;
	return 1;
}

/*
 * The fast path of reply_recv with no buffer to send: reply to dst, which
 * waits in a call (or a fault) to t, and wait for the next message, if
 * none is already pending. Returns 0 (nothing done) when the general path
 * is needed.
 */
HOT_PATH int ipc_reply_recv_fast(struct thread *t, struct thread *dst)
{
	if (!ipc_answers(t, dst) || t->sendq_head || t->notify_bits)
		return 0;
	if (dst->in_fault) {
		if (t->frame.r[REG_A1 + 1 + MAP_RIGHTS] & MAP_TAKE_TURN)
			return 0;                 /* perhaps an answer that queues dst (t's message, a1 on): the general path */
		int r = fault_reply(t, dst);
		if (r < 0)
			return 0;                 /* refused: the general path reports it */
		t->recv_from = TID_ANY;
		if (r == FAULT_RESUMES)
			thread_switch(t, T_RECV, dst);
		else
			thread_block(t, T_RECV);
		return 1;
	}
	deliver(t, &t->frame.r[REG_A1], t->frame.r[REG_A1], dst);
	dst->partner = NULL;
	dst->unstarted = 0;
	t->recv_from = TID_ANY;
	thread_switch(t, T_RECV, dst);
	return 1;
}

/* Append src to dst's send queue. */
static void enqueue(struct thread *src, struct thread *dst)
{
	src->send_next = NULL;
	if (dst->sendq_tail)
		dst->sendq_tail->send_next = src;
	else
		dst->sendq_head = src;
	dst->sendq_tail = src;
}

/* Remove t (in T_SEND) from its partner's send queue. */
void ipc_unqueue(struct thread *t)
{
	struct thread *dst = t->partner, *prev = NULL;
	for (struct thread *q = dst->sendq_head; q; prev = q, q = q->send_next) {
		if (q != t)
			continue;
		if (prev)
			prev->send_next = q->send_next;
		else
			dst->sendq_head = q->send_next;
		if (dst->sendq_tail == q)
			dst->sendq_tail = prev;
		return;
	}
}

/* After src's message reached its receiver: wait for a reply, or go on. */
static HOT_PATH void sender_done(struct thread *src, struct thread *receiver, int expects_reply)
{
	if (expects_reply) {
		thread_block(src, T_REPLY);
		src->partner = receiver;
		return;
	}
	src->partner = NULL;
	ipc_set_result(src, 0);
	if (src->state != T_READY)
		thread_ready(src, 0);
}

/* Send src's message to dst now if dst is waiting for it, else queue src. */
HOT_PATH void ipc_send(struct thread *src, struct thread *dst, int expects_reply)
{
	if (waits_for(dst, src)) {
		transfer(src, dst);
		if (expects_reply && src == current) {
			thread_switch(src, T_REPLY, dst);   /* a call: dst runs at once, in src's place */
			src->partner = dst;
			return;
		}
		thread_ready(dst, 1);
		sender_done(src, dst, expects_reply);
		return;
	}
	thread_block(src, T_SEND);
	src->partner = dst;
	src->expects_reply = expects_reply;
	enqueue(src, dst);
}

/* Hand self its pending notification bits as a NOTIFY message. */
static void deliver_notification(struct thread *self)
{
	self->frame.r[REG_A0] = TID_KERNEL;
	self->frame.r[REG_A1] = TAG(LABEL_NOTIFY, 0);
	self->frame.r[REG_A2] = self->notify_bits;
	self->notify_bits = 0;
}

/* Receive into self: a notification, a queued sender, or block. */
HOT_PATH void ipc_recv(struct thread *self, int64_t from)
{
	struct thread *src = NULL;
	if ((from == TID_ANY || from == TID_KERNEL) && self->notify_bits) {
		deliver_notification(self);
	} else if (from == TID_KERNEL) {
		self->recv_from = from;
		thread_block(self, T_RECV);
		return;
	} else {
		for (src = self->sendq_head; src; src = src->send_next)
			if (from == TID_ANY || src->tid == from)
				break;
		if (!src) {
			self->recv_from = from;
			thread_block(self, T_RECV);
			return;
		}
		ipc_unqueue(src);
		transfer(src, self);
	}
	if (self->state != T_READY)
		thread_ready(self, 1);
	if (src)
		sender_done(src, self, src->expects_reply);
}

/* Is pager's answer to a fault a MAP that puts the thread behind those already ready (MAP_TAKE_TURN)? */
static int answer_takes_turn(const struct thread *pager)
{
	const uint64_t *m = msg_of(pager);
	return TAG_LABEL(m[0]) == LABEL_MAP && (m[1 + MAP_RIGHTS] & MAP_TAKE_TURN);
}

/*
 * Reply from self to dst, which must be waiting for self's reply. dst
 * runs next, but for a fault answered with MAP_TAKE_TURN: it takes its turn.
 */
HOT_PATH int ipc_reply(struct thread *self, struct thread *dst)
{
	if (!ipc_answers(self, dst))
		return -E_PERM;
	if (dst->in_fault) {
		int run_next = !answer_takes_turn(self);
		int r = fault_reply(self, dst);
		if (r == FAULT_RESUMES)
			thread_ready(dst, run_next);
		return r < 0 ? r : 0;
	}
	dst->unstarted = 0;
	transfer(self, dst);
	dst->partner = NULL;
	thread_ready(dst, 1);
	return 0;
}
