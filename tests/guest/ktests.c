/*
 * Kernel tests: IPC round trips and message integrity, buffer copies in
 * both directions (including from and into never-touched pages), fault
 * forwarding for load, store and fetch, KILL from a pager, notifications,
 * preemption, and a negative test for every permission check the kernel
 * makes. The bounded-time tests are in kbounds.c. Run by `make test` as
 * the suite "ktests".
 */
#include <string.h>
#include "harness.h"
#include "user.h"
#include "abi/pager.h"

#define ROUNDS 100
#define BIG_LEN 5000                      /* spans two pages */
#define WILD_USER_VA 0x2000000000UL       /* user range, outside every region */
#define KERNEL_VA 0x80200000UL            /* the kernel image */
#define OPENSBI_PA 0x80000000UL
#define SOME_USER_FRAME 0x87000000UL      /* RAM owned by the root pager */
#define MAX_TEST_HARTS 8                  /* the most harts the kernel runs on (HARTS=1..8) */
#define UART_PA 0x10000000UL              /* QEMU virt devices */
#define VIRTIO0_PA 0x10001000UL
#define PLIC_PA 0x0c000000UL
#define TEST_VA (USER_BASE + 0x10000000UL)
#define LABEL_PING (LABEL_USER + 100)
#define NO_SUCH_SPACE 987654321L
#define NO_SUCH_THREAD 123456789L
#define GIB (1L << 30)

/* Child: ROUNDS calls to the parent, checking each echoed message. */
static void pinger(void)
{
	for (int i = 0; i < ROUNDS; i++) {
		struct msg m = msg_make(LABEL_PING, (uint64_t)i, ~(uint64_t)i, 0x1122334455667788UL, 42);
		CHECK_EQ(ipc_call(spawner_tid, &m, NULL, NULL, 0), spawner_tid);
		CHECK_EQ(TAG_LABEL(m.tag), LABEL_PING + 1);
		CHECK_EQ(m.w[0], (uint64_t)i + 1);
		CHECK_EQ(m.w[1], ~(uint64_t)i);
		CHECK_EQ(m.w[2], 0x1122334455667788UL);
		CHECK_EQ(m.w[3], 43);
	}
}

/* IPC call/reply_recv round trips carry label and every word intact. */
static void test_ipc_roundtrip(void)
{
	int pid = spawn_child(pinger);
	struct msg m;
	long from = ipc_recv(TID_ANY, &m, NULL, 0);
	for (int i = 0; i < ROUNDS; i++) {
		CHECK(from > 0);
		CHECK_EQ(TAG_LABEL(m.tag), LABEL_PING);
		m.tag = TAG(LABEL_PING + 1, 0);
		m.w[0]++;
		m.w[3]++;
		if (i == ROUNDS - 1)
			CHECK_EQ(ipc_reply(from, &m, NULL), 0);
		else
			from = ipc_reply_recv(from, &m, NULL, NULL, 0);
	}
	reap_child(pid, 0);
}

/* Fill a buffer with a pattern that depends on seed. */
static void pattern(unsigned char *buf, int len, int seed)
{
	for (int i = 0; i < len; i++)
		buf[i] = (unsigned char)(i * 7 + seed);
}

/* Child: send a patterned buffer, get it back transformed. */
static void buffer_sender(void)
{
	static unsigned char out[BIG_LEN], back[BIG_LEN], want[BIG_LEN];
	pattern(out, BIG_LEN, 1);
	struct msg m = msg_make(LABEL_PING, 0, 0, 0, 0);
	m.tag = TAG(LABEL_PING, BIG_LEN);
	CHECK_EQ(ipc_call(spawner_tid, &m, out, back, sizeof(back)), spawner_tid);
	CHECK_EQ(TAG_LENGTH(m.tag), BIG_LEN);
	pattern(want, BIG_LEN, 2);
	CHECK(memcmp(back, want, BIG_LEN) == 0);
}

/* A buffer crosses address spaces intact in both directions. */
static void test_ipc_buffer_both_ways(void)
{
	static unsigned char in[BIG_LEN], reply[BIG_LEN], want[BIG_LEN];
	int pid = spawn_child(buffer_sender);
	struct msg m;
	long from = ipc_recv(TID_ANY, &m, in, sizeof(in));
	CHECK(from > 0);
	CHECK_EQ(TAG_LENGTH(m.tag), BIG_LEN);
	pattern(want, BIG_LEN, 1);
	CHECK(memcmp(in, want, BIG_LEN) == 0);
	pattern(reply, BIG_LEN, 2);
	m.tag = TAG(LABEL_PING, BIG_LEN);
	CHECK_EQ(ipc_reply(from, &m, reply), 0);
	reap_child(pid, 0);
}

/* Child: send BIG_LEN bytes from a never-touched heap area (all zero). */
static void untouched_sender(void)
{
	char *fresh = sbrk(2 * PAGE_SIZE);
	struct msg m = msg_make(LABEL_PING, 0, 0, 0, 0);
	m.tag = TAG(LABEL_PING, BIG_LEN);
	CHECK_EQ(ipc_call(spawner_tid, &m, fresh, NULL, 0), spawner_tid);
}

/* The kernel's copy faults in never-touched pages on both sides. */
static void test_ipc_buffer_untouched_pages(void)
{
	int pid = spawn_child(untouched_sender);
	char *fresh = sbrk(2 * PAGE_SIZE);
	struct msg m = msg_make(PAGER_RESIDENT, (uint64_t)fresh, 0, 0, 0);
	CHECK_EQ(pager_request(&m, NULL, 0), 0);
	long from = ipc_recv(TID_ANY, &m, fresh, 2 * PAGE_SIZE);
	CHECK(from > 0);
	CHECK_EQ(TAG_LENGTH(m.tag), BIG_LEN);
	for (int i = 0; i < BIG_LEN; i++)
		CHECK_EQ(fresh[i], 0);
	struct msg q = pager_last_fault(getpid());
	CHECK(q.w[2] & FAULT_KERNEL_ACCESS);
	m = msg_make(0, 0, 0, 0, 0);
	CHECK_EQ(ipc_reply(from, &m, NULL), 0);
	reap_child(pid, 0);
}

/* Child: send 100 bytes to a parent that only takes 10. */
static void long_sender(void)
{
	char text[100];
	memset(text, 'a', sizeof(text));
	struct msg m = msg_make(LABEL_PING, 0, 0, 0, 0);
	m.tag = TAG(LABEL_PING, sizeof(text));
	CHECK_EQ(ipc_call(spawner_tid, &m, text, NULL, 0), spawner_tid);
}

/* A buffer longer than the receiver's capacity is cut to it, and says so. */
static void test_ipc_buffer_truncated(void)
{
	int pid = spawn_child(long_sender);
	char small[16];
	memset(small, 'z', sizeof(small));
	struct msg m;
	long from = ipc_recv(TID_ANY, &m, small, 10);
	CHECK_EQ(TAG_LENGTH(m.tag), 10);
	CHECK_EQ(small[9], 'a');
	CHECK_EQ(small[10], 'z');
	m = msg_make(0, 0, 0, 0, 0);
	CHECK_EQ(ipc_reply(from, &m, NULL), 0);
	reap_child(pid, 0);
}

/* Wild buffer pointers and lengths fail with an error; the caller lives on. */
static void test_ipc_wild_buffers(void)
{
	struct msg m = msg_make(PAGER_GETPID, 0, 0, 0, 0);
	m.tag = TAG(PAGER_GETPID, 16);
	CHECK_EQ(ipc_call(libsys_pager_tid, &m, (void *)WILD_USER_VA, NULL, 0), -E_FAULT);
	m = msg_make(PAGER_GETPID, 0, 0, 0, 0);
	m.tag = TAG(PAGER_GETPID, 16);
	CHECK_EQ(ipc_call(libsys_pager_tid, &m, (void *)KERNEL_VA, NULL, 0), -E_FAULT);
	m = msg_make(PAGER_GETPID, 0, 0, 0, 0);
	CHECK_EQ(ipc_call(libsys_pager_tid, &m, NULL, (void *)KERNEL_VA, 64), -E_FAULT);
	CHECK_EQ(ipc_call(libsys_pager_tid, &m, NULL, (void *)WILD_USER_VA, 64), -E_FAULT);
	CHECK_EQ(ipc_call(libsys_pager_tid, &m, NULL, (void *)-4096L, 8192), -E_FAULT);
	static char buf[64];
	CHECK_EQ(ipc_call(libsys_pager_tid, &m, NULL, buf, IPC_BUF_MAX + 1), -E_INVAL);
	CHECK_EQ(sys_console_write((void *)KERNEL_VA, 4), -E_FAULT);
	CHECK_EQ(sys_console_write((void *)WILD_USER_VA, 4), -E_FAULT);
	CHECK_EQ(sys_console_write(buf, IPC_BUF_MAX + 1), -E_INVAL);
	CHECK_EQ(getpid() > 0, 1);
}

/* IPC to a thread that does not exist, or to oneself, fails. */
static void test_ipc_bad_peer(void)
{
	struct msg m = msg_make(LABEL_PING, 0, 0, 0, 0);
	CHECK_EQ(ipc_send(123456789, &m, NULL), -E_NOENT);
	CHECK_EQ(ipc_call(-5, &m, NULL, NULL, 0), -E_NOENT);
	CHECK_EQ(ipc_send(sys_gettid(), &m, NULL), -E_INVAL);
	CHECK_EQ(ipc_recv(123456789, &m, NULL, 0), -E_NOENT);
	CHECK_EQ(ipc_reply(123456789, &m, NULL), -E_NOENT);
}

/* Only the kernel may send FAULT, EXCEPTION and NOTIFY. */
static void test_forged_kernel_labels(void)
{
	uint64_t labels[] = { LABEL_FAULT, LABEL_EXCEPTION, LABEL_NOTIFY };
	for (unsigned i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		struct msg m = msg_make(labels[i], TEST_VA, CAUSE_STORE_PAGE_FAULT, 0, 0);
		CHECK_EQ(ipc_call(libsys_pager_tid, &m, NULL, NULL, 0), -E_INVAL);
		CHECK_EQ(ipc_send(libsys_pager_tid, &m, NULL), -E_INVAL);
		CHECK_EQ(ipc_reply(libsys_pager_tid, &m, NULL), -E_INVAL);
		CHECK_EQ(ipc_reply_recv(libsys_pager_tid, &m, NULL, NULL, 0), -E_INVAL);
	}
}

/* A load from a never-touched heap page reaches the pager with the right fields. */
static void test_fault_load_forwarded(void)
{
	volatile uint64_t *p = (uint64_t *)sbrk(PAGE_SIZE);
	uint64_t pc, value;
	asm volatile("la %0, 1f\n1: ld %1, 0(%2)" : "=&r"(pc), "=r"(value) : "r"(p) : "memory");
	CHECK_EQ(value, 0);
	struct msg f = pager_last_fault(getpid());
	CHECK_EQ(f.w[0], getpid());
	CHECK_EQ(f.w[1], (uint64_t)p);
	CHECK_EQ(f.w[2], CAUSE_LOAD_PAGE_FAULT);
	CHECK_EQ(f.w[3], pc);
}

/* A store to a never-touched heap page reaches the pager with the right fields. */
static void test_fault_store_forwarded(void)
{
	volatile uint64_t *p = (uint64_t *)(sbrk(2 * PAGE_SIZE) + PAGE_SIZE + 8);
	uint64_t pc;
	asm volatile("la %0, 1f\n1: sd %1, 0(%2)" : "=&r"(pc) : "r"(77UL), "r"(p) : "memory");
	CHECK_EQ(*p, 77);
	struct msg f = pager_last_fault(getpid());
	CHECK_EQ(f.w[1], (uint64_t)p);
	CHECK_EQ(f.w[2], CAUSE_STORE_PAGE_FAULT);
	CHECK_EQ(f.w[3], pc);
}

static uint64_t jump_target;

/* Child: jump into the (non-executable) heap. */
static void jump_to_heap(void)
{
	void (*fn)(void) = (void (*)(void))jump_target;
	fn();
}

/* An instruction fetch from the heap reaches the pager, which kills. */
static void test_fault_fetch_killed(void)
{
	char *heap = sbrk(PAGE_SIZE);
	heap[0] = 0;
	jump_target = (uint64_t)heap;
	int pid = spawn_child(jump_to_heap);
	reap_child(pid, EXIT_KILLED);
	struct msg f = pager_last_fault(pid);
	CHECK_EQ(f.w[1], jump_target);
	CHECK_EQ(f.w[2], CAUSE_FETCH_PAGE_FAULT);
	CHECK_EQ(f.w[3], jump_target);
	struct msg d = msg_make(PAGER_LAST_DECISION, (uint64_t)pid, 0, 0, 0);
	CHECK_EQ(pager_request(&d, NULL, 0), DECIDE_KILL);
	CHECK_EQ((int64_t)pager_last_fault(pid + 1000).w[0], -E_NOENT);   /* no such process: no record */
}

/* An illegal instruction goes to the pager as EXCEPTION, which kills. */
static void illegal_instruction(void)
{
	asm volatile(".word 0");
}

static void test_exception_killed(void)
{
	int pid = spawn_child(illegal_instruction);
	reap_child(pid, EXIT_KILLED);
	struct msg f = pager_last_fault(pid);
	CHECK_EQ(f.w[2], CAUSE_ILLEGAL_INSTRUCTION);
}

static long user_space, user_thread;

/* Child: try to answer a fault that was sent to the parent, not to us. */
static void foreign_replier(void)
{
	struct msg m = msg_make(LABEL_RESUME, 0, 0, 0, 0);
	CHECK_EQ(ipc_reply(user_thread, &m, NULL), -E_PERM);
	m = msg_make(LABEL_KILL, 0, 0, 0, 0);
	CHECK_EQ(ipc_reply(user_thread, &m, NULL), -E_PERM);
}

/*
 * A process can be a pager: it creates a space and a thread there, gets
 * the thread's first fault (an instruction fetch at its entry), checks
 * that nobody else may answer it and that it may not map frames it does
 * not own, and kills the thread with a KILL reply.
 */
static void test_user_pager_fault_and_kill(void)
{
	user_space = sys_space_create();
	CHECK(user_space > 0);
	user_thread = sys_thread_create(user_space, TEST_VA, TEST_VA + PAGE_SIZE);
	CHECK(user_thread > 0);
	struct msg m = msg_make(0, 0, 0, 0, 0);
	CHECK_EQ(ipc_reply(user_thread, &m, NULL), 0);   /* a new thread runs at its creator's reply */
	CHECK_EQ(ipc_recv(user_thread, &m, NULL, 0), user_thread);
	CHECK_EQ(TAG_LABEL(m.tag), LABEL_FAULT);
	CHECK_EQ(m.w[FAULT_ADDR], TEST_VA);
	CHECK_EQ(m.w[FAULT_CAUSE], CAUSE_FETCH_PAGE_FAULT);
	CHECK_EQ(m.w[FAULT_PC], TEST_VA);
	CHECK_EQ(m.w[FAULT_SPACE], user_space);
	reap_child(spawn_child(foreign_replier), 0);
	m = msg_make(LABEL_MAP, TEST_VA, SOME_USER_FRAME, RIGHT_R | RIGHT_X, 1);
	CHECK_EQ(ipc_reply(user_thread, &m, NULL), -E_PERM);
	m = msg_make(LABEL_MAP, TEST_VA, SOME_USER_FRAME, RIGHT_R | RIGHT_X | MAP_TAKE_TURN, 1);
	CHECK_EQ(ipc_reply(user_thread, &m, NULL), -E_PERM);          /* taking its turn checks the same */
	m = msg_make(LABEL_MAP, TEST_VA, SOME_USER_FRAME, RIGHT_W | MAP_TAKE_TURN, 1);
	CHECK_EQ(ipc_reply(user_thread, &m, NULL), -E_INVAL);
	m = msg_make(LABEL_MAP, TEST_VA, KERNEL_VA, RIGHT_R | RIGHT_X, 1);
	CHECK_EQ(ipc_reply(user_thread, &m, NULL), -E_RANGE);
	m = msg_make(LABEL_FAIL, 0, 0, 0, 0);
	CHECK_EQ(ipc_reply(user_thread, &m, NULL), -E_INVAL);
	m = msg_make(LABEL_KILL, 0, 0, 0, 0);
	CHECK_EQ(ipc_reply(user_thread, &m, NULL), 0);
	CHECK_EQ(sys_thread_kill(user_thread), -E_NOENT);
	CHECK_EQ(sys_space_destroy(user_space), 0);
}

/* A new thread of space s at TEST_VA, started: its first fault (the fetch at its entry) is waiting for us. */
static long started_faulting_thread(long s)
{
	long t = sys_thread_create(s, TEST_VA, TEST_VA + PAGE_SIZE);
	CHECK(t > 0);
	struct msg m = msg_make(0, 0, 0, 0, 0);
	CHECK_EQ(ipc_reply(t, &m, NULL), 0);
	CHECK_EQ(ipc_recv(t, &m, NULL, 0), t);
	CHECK_EQ(TAG_LABEL(m.tag), LABEL_FAULT);
	return t;
}

/* A new thread's fault in space answered by KILL through REPLY_RECV with lock word w (a notification waits: the receive ends at once). */
static void reply_recv_clearing(long space, volatile uint32_t *w)
{
	long t = started_faulting_thread(space);
	CHECK_EQ(sys_notify(sys_gettid(), 1), 0);
	struct msg m = msg_make(LABEL_KILL, 0, 0, 0, 0);
	CHECK_EQ(ipc_reply_recv_release(t, &m, NULL, 0, (uint32_t *)w), TID_KERNEL);
}

/*
 * REPLY_RECV's lock word (t2, how the pager's fault threads let go of a
 * process): 0 once the reply has gone through; untouched when the reply
 * is refused (and then nothing is received), misaligned or read-only.
 */
static void test_reply_recv_release_word(void)
{
	static uint32_t words[2] = { 1, 1 };
	static const uint32_t read_only = 1;
	long s = sys_space_create();
	CHECK(s > 0);
	long t = started_faulting_thread(s);
	struct msg m = msg_make(LABEL_MAP, TEST_VA, SOME_USER_FRAME, RIGHT_R | RIGHT_X, 1);
	CHECK_EQ(ipc_reply_recv_release(t, &m, NULL, 0, &words[0]), -E_PERM);
	CHECK_EQ(words[0], 1);
	m = msg_make(LABEL_MAP, TEST_VA, SOME_USER_FRAME, RIGHT_R | RIGHT_X | MAP_TAKE_TURN, 1);
	CHECK_EQ(ipc_reply_recv_release(t, &m, NULL, 0, &words[0]), -E_PERM);   /* off the fast path */
	CHECK_EQ(words[0], 1);
	CHECK_EQ(sys_notify(sys_gettid(), 1), 0);             /* something to receive at once */
	m = msg_make(LABEL_KILL, 0, 0, 0, 0);
	CHECK_EQ(ipc_reply_recv_release(t, &m, NULL, 0, &words[0]), TID_KERNEL);
	CHECK_EQ(words[0], 0);
	CHECK_EQ(words[1], 1);
	reply_recv_clearing(s, (uint32_t *)((uintptr_t)&words[1] + 1));
	CHECK_EQ(words[1], 1);
	reply_recv_clearing(s, (uint32_t *)&read_only);
	CHECK_EQ(read_only, 1);
	CHECK_EQ(sys_space_destroy(s), 0);
}

/*
 * The kernel remembers where the last lock word was; once the page under
 * it was given back and a new page took its address, the word cleared is
 * the new page's (the old frame may be someone else's by then).
 */
static void test_release_word_after_unmap(void)
{
	uint64_t pad = (PAGE_SIZE - (uint64_t)sbrk(0) % PAGE_SIZE) % PAGE_SIZE;
	CHECK(sbrk((int)pad) != (char *)-1);     /* the break at a page boundary */
	volatile uint32_t *word = (uint32_t *)sbrk(PAGE_SIZE);
	CHECK(word != (uint32_t *)-1);
	long s = sys_space_create();
	CHECK(s > 0);
	*word = 1;
	reply_recv_clearing(s, word);
	CHECK_EQ(*word, 0);
	CHECK(sbrk(-(int)PAGE_SIZE) == (char *)word + PAGE_SIZE);   /* unmapped: its frame goes back */
	CHECK(sbrk(PAGE_SIZE) == (char *)word);
	*word = 1;                                 /* a new frame at the same address */
	reply_recv_clearing(s, word);
	CHECK_EQ(*word, 0);
	CHECK_EQ(sys_space_destroy(s), 0);
}

/* SPACE_CREATE may name the thread that gets the new space's faults, but only a thread of the caller's own space. */
static void test_space_create_pager_thread(void)
{
	CHECK_EQ(sys_space_create_paged_by(libsys_pager_tid), -E_INVAL);
	CHECK_EQ(sys_space_create_paged_by(NO_SUCH_THREAD), -E_INVAL);
	long s = sys_space_create_paged_by(sys_gettid());
	CHECK(s > 0);
	long t = started_faulting_thread(s);                   /* its fault came to us */
	CHECK_EQ(sys_space_create_paged_by(t), -E_INVAL);     /* a thread of a space we page is not ours */
	CHECK_EQ(sys_space_destroy(s), 0);
}

/* SYS_MAP refuses frames the caller does not own, and kernel memory. */
static void test_map_frame_not_owned(void)
{
	long s = sys_space_create();
	CHECK(s > 0);
	CHECK_EQ(sys_map(s, TEST_VA, SOME_USER_FRAME, RIGHT_R, 1), -E_PERM);
	CHECK_EQ(sys_map(s, TEST_VA, KERNEL_VA, RIGHT_R, 1), -E_RANGE);
	CHECK_EQ(sys_map(s, TEST_VA, OPENSBI_PA, RIGHT_R, 1), -E_RANGE);
	CHECK_EQ(sys_map(s, TEST_VA, UART_PA, RIGHT_R | RIGHT_W, 1), -E_PERM);     /* device, not granted */
	CHECK_EQ(sys_map(s, TEST_VA, VIRTIO0_PA, RIGHT_R | RIGHT_W, 1), -E_PERM);
	CHECK_EQ(sys_map(s, TEST_VA, PLIC_PA, RIGHT_R | RIGHT_W, 1), -E_RANGE);   /* not a user device */
	CHECK_EQ(sys_map(s, KERNEL_VA, SOME_USER_FRAME, RIGHT_R, 1), -E_RANGE);
	CHECK_EQ(sys_map(s, TEST_VA, SOME_USER_FRAME, RIGHT_W, 1), -E_INVAL);
	CHECK_EQ(sys_map(s, TEST_VA, SOME_USER_FRAME, RIGHT_R | MAP_TAKE_TURN, 1), -E_INVAL);   /* a reply's, no right */
	CHECK_EQ(sys_map(s, TEST_VA, SOME_USER_FRAME, RIGHT_R, MAP_MAX_PAGES + 1), -E_INVAL);
	CHECK_EQ(sys_space_destroy(s), 0);
}

static long parent_space;

/* Child: every call on a space someone else pages is refused. */
static void foreign_space_user(void)
{
	CHECK_EQ(sys_map(parent_space, TEST_VA, SOME_USER_FRAME, RIGHT_R, 1), -E_PERM);
	CHECK_EQ(sys_unmap(parent_space, TEST_VA, 1), -E_PERM);
	CHECK_EQ(sys_protect(parent_space, TEST_VA, RIGHT_R), -E_PERM);
	CHECK_EQ(sys_page_bits(parent_space, TEST_VA, 1), -E_PERM);
	CHECK_EQ(sys_page_bits_many(parent_space, TEST_VA, PAGE_BITS_CLEAR_ACCESSED, PAGE_BITS_MAX_PAGES), -E_PERM);
	CHECK_EQ(sys_thread_create(parent_space, TEST_VA, 0), -E_PERM);
	CHECK_EQ(sys_space_destroy(parent_space), -E_PERM);
	CHECK_EQ(sys_map(987654321, TEST_VA, SOME_USER_FRAME, RIGHT_R, 1), -E_NOENT);
}

/* Only a space's pager may map into it, unmap, protect, read bits, add threads, destroy it. */
static void test_map_into_foreign_space(void)
{
	parent_space = sys_space_create();
	CHECK(parent_space > 0);
	reap_child(spawn_child(foreign_space_user), 0);
	CHECK_EQ(sys_unmap(parent_space, TEST_VA, 1), 0);
	CHECK_EQ(sys_page_bits(parent_space, TEST_VA, 0), 0);
	CHECK_EQ(sys_page_bits_many(parent_space, TEST_VA, PAGE_BITS_CLEAR_ACCESSED, PAGE_BITS_MAX_PAGES), 0);
	CHECK_EQ(sys_page_bits_many(parent_space, TEST_VA, PAGE_BITS_READ, PAGE_BITS_MAX_PAGES + 1), -E_RANGE);
	CHECK_EQ(sys_page_bits_many(parent_space, USER_TOP - PAGE_SIZE, PAGE_BITS_READ, 2), -E_RANGE);
	CHECK_EQ(sys_page_bits_many(parent_space, TEST_VA + 1, PAGE_BITS_READ, 1), -E_RANGE);
	CHECK_EQ(sys_page_bits(parent_space, TEST_VA, PAGE_BITS_HOWS), -E_INVAL);
	CHECK_EQ(sys_protect(parent_space, TEST_VA, RIGHT_R), -E_NOENT);
	CHECK_EQ(sys_space_destroy(parent_space), 0);
	CHECK_EQ(sys_space_destroy(parent_space), -E_NOENT);
}

/* A process may page only a few spaces of its own. */
static void test_space_quota(void)
{
	long spaces[MAX_SPACES_PER_PAGER];
	for (int i = 0; i < MAX_SPACES_PER_PAGER; i++)
		CHECK((spaces[i] = sys_space_create()) > 0);
	CHECK_EQ(sys_space_create(), -E_NOMEM);
	for (int i = 0; i < MAX_SPACES_PER_PAGER; i++)
		CHECK_EQ(sys_space_destroy(spaces[i]), 0);
	long again = sys_space_create();
	CHECK(again > 0);
	CHECK_EQ(sys_space_destroy(again), 0);
}

/* Unknown system-call numbers return E_NOSYS. */
static void test_bad_syscall_number(void)
{
	CHECK_EQ(sys_call6(SYS_COUNT, 0, 0, 0, 0, 0, 0), -E_NOSYS);
	CHECK_EQ(sys_call6(999, 0, 0, 0, 0, 0, 0), -E_NOSYS);
	CHECK_EQ(sys_call6(-1, 0, 0, 0, 0, 0, 0), -E_NOSYS);
	CHECK_EQ(sys_kstat(KSTAT_COUNT), -E_INVAL);
	CHECK(sys_kstat(KSTAT_HARTS) >= 1 && sys_kstat(KSTAT_HARTS) <= MAX_TEST_HARTS);
}

/*
 * KSTAT_TLB_FLUSHES counts the flushes for mappings removed or narrowed:
 * a first touch maps where nothing was (no flush); giving the page back
 * unmaps it (a flush).
 */
static void test_tlb_flush_count(void)
{
	uint64_t pad = (PAGE_SIZE - (uint64_t)sbrk(0) % PAGE_SIZE) % PAGE_SIZE;
	CHECK(sbrk((int)pad) != (char *)-1);     /* the break at a page boundary */
	char *page = sbrk(PAGE_SIZE);
	CHECK(page != (char *)-1);
	long before = sys_kstat(KSTAT_TLB_FLUSHES);
	CHECK(before >= 0);
	page[0] = 1;                        /* a fault; the pager maps a new page */
	CHECK_EQ(sys_kstat(KSTAT_TLB_FLUSHES), before);
	CHECK(sbrk(-(int)PAGE_SIZE) == page + PAGE_SIZE);
	CHECK(sys_kstat(KSTAT_TLB_FLUSHES) > before);
}

/* Root-only calls and interrupt calls are refused to ordinary processes. */
static void test_root_only_calls(void)
{
	CHECK_EQ(sys_poweroff(1), -E_PERM);
	CHECK_EQ(sys_idle_notify(NOTIFY_IDLE), -E_PERM);
	CHECK_EQ(sys_irq_bind(1, sys_gettid(), 1), -E_PERM);
	CHECK_EQ(sys_irq_ack(1), -E_PERM);
	CHECK_EQ(sys_irq_ack(0), -E_INVAL);
	CHECK_EQ(sys_irq_ack(100000), -E_INVAL);
	CHECK_EQ(sys_thread_kill(libsys_pager_tid), -E_PERM);
	CHECK_EQ(sys_thread_kill(sys_gettid()), -E_PERM);
}

/* Child: notify the parent. */
static void notifier(void)
{
	CHECK_EQ(sys_notify(spawner_tid, 0), -E_INVAL);
	CHECK_EQ(sys_notify(spawner_tid, 5), 0);
}

/* Notification bits arrive as a NOTIFY message from the kernel. */
static void test_notification(void)
{
	int pid = spawn_child(notifier);
	struct msg m;
	CHECK_EQ(ipc_recv(TID_ANY, &m, NULL, 0), TID_KERNEL);
	CHECK_EQ(TAG_LABEL(m.tag), LABEL_NOTIFY);
	CHECK_EQ(m.w[0], 5);
	reap_child(pid, 0);
	CHECK_EQ(sys_notify(123456789, 1), -E_NOENT);
}

/* A timer deadline wakes the thread with NOTIFY_TIMER. */
static void test_timer_notification(void)
{
	uint64_t now;
	asm volatile("rdtime %0" : "=r"(now));
	CHECK_EQ(sys_timer(now + 100000), 0);
	struct msg m;
	CHECK_EQ(ipc_recv(TID_ANY, &m, NULL, 0), TID_KERNEL);
	CHECK_EQ(TAG_LABEL(m.tag), LABEL_NOTIFY);
	CHECK(m.w[0] & NOTIFY_TIMER);
	uint64_t later;
	asm volatile("rdtime %0" : "=r"(later));
	CHECK(later >= now + 100000);
}

/* Child: spin forever. */
static void spinner(void)
{
	for (;;)
		;
}

/* A spinning process is preempted by the timer; the parent runs and kills it. */
static void test_preemption(void)
{
	int pid = spawn_child(spinner);
	CHECK_EQ(sleep(2), 0);
	CHECK_EQ(kill(pid), 0);
	reap_child(pid, EXIT_KILLED);
}

/* A space, and a thread in it, that the parent pages: what foreign_thread_user tries to use. */
static long foreign_space, foreign_thread;

/* Child: every call naming the parent's space or thread is refused, even beside a space of its own. */
static void foreign_thread_user(void)
{
	long mine = sys_space_create();
	CHECK(mine > 0);
	CHECK_EQ(sys_thread_copy(foreign_space, foreign_thread), -E_PERM);   /* not our space */
	CHECK_EQ(sys_thread_copy(mine, foreign_thread), -E_PERM);            /* src's space not ours */
	CHECK_EQ(sys_thread_restart(foreign_thread, TEST_VA, TEST_VA, 0), -E_PERM);
	CHECK_EQ(sys_thread_kill(foreign_thread), -E_PERM);
	CHECK_EQ(sys_map_copy(mine, foreign_space, TEST_VA, 1, 0), -E_PERM);  /* src not ours */
	CHECK_EQ(sys_map_copy(foreign_space, mine, TEST_VA, 1, 0), -E_PERM);  /* dst not ours */
	CHECK_EQ(sys_map_copy(foreign_space, foreign_space, TEST_VA, 1, 0), -E_PERM);
	CHECK_EQ(sys_space_destroy(mine), 0);
}

/* Make a space and an unstarted thread in it for the foreign-caller child. */
static void make_foreign_targets(void)
{
	foreign_space = sys_space_create();
	CHECK(foreign_space > 0);
	foreign_thread = sys_thread_create(foreign_space, TEST_VA, TEST_VA + PAGE_SIZE);
	CHECK(foreign_thread > 0);
}

/* THREAD_COPY says no to a missing space or thread, the caller itself, threads and spaces it does not page, a full quota. */
static void test_thread_copy_refused(void)
{
	make_foreign_targets();
	long s = foreign_space, src = foreign_thread;
	CHECK_EQ(sys_thread_copy(NO_SUCH_SPACE, src), -E_NOENT);
	CHECK_EQ(sys_thread_copy(0, src), -E_NOENT);
	CHECK_EQ(sys_thread_copy(s, NO_SUCH_THREAD), -E_NOENT);
	CHECK_EQ(sys_thread_copy(s, TID_ANY), -E_NOENT);
	CHECK_EQ(sys_thread_copy(s, TID_KERNEL), -E_NOENT);
	CHECK_EQ(sys_thread_copy(s, sys_gettid()), -E_INVAL);           /* its own frame is not complete */
	CHECK_EQ(sys_thread_copy(s, libsys_pager_tid), -E_PERM);        /* a thread of a space we do not page */
	reap_child(spawn_child(foreign_thread_user), 0);
	long copies = 1, copy;                                           /* src counts against the quota */
	while ((copy = sys_thread_copy(s, src)) > 0)
		copies++;
	CHECK_EQ(copy, -E_NOMEM);
	CHECK_EQ(copies, MAX_THREADS_PER_PAGER);
	CHECK_EQ(sys_space_destroy(s), 0);
	CHECK_EQ(sys_thread_copy(s, src), -E_NOENT);                    /* both gone */
}

/* THREAD_RESTART says no to a missing thread, one it does not page, and one not waiting for its reply. */
static void test_thread_restart_refused(void)
{
	CHECK_EQ(sys_thread_restart(NO_SUCH_THREAD, TEST_VA, TEST_VA, 0), -E_NOENT);
	CHECK_EQ(sys_thread_restart(TID_ANY, TEST_VA, TEST_VA, 0), -E_NOENT);
	CHECK_EQ(sys_thread_restart(sys_gettid(), TEST_VA, TEST_VA, 0), -E_PERM);   /* the pager pages us */
	CHECK_EQ(sys_thread_restart(libsys_pager_tid, TEST_VA, TEST_VA, 0), -E_PERM);
	make_foreign_targets();
	reap_child(spawn_child(foreign_thread_user), 0);
	long t = foreign_thread;
	struct msg m = msg_make(0, 0, 0, 0, 0);
	CHECK_EQ(ipc_reply(t, &m, NULL), 0);                 /* started: it faults at its first fetch */
	CHECK_EQ(sys_thread_restart(t, TEST_VA, TEST_VA, 0), -E_INVAL);   /* running, or its fault queued */
	CHECK_EQ(ipc_recv(t, &m, NULL, 0), t);
	CHECK_EQ(TAG_LABEL(m.tag), LABEL_FAULT);
	CHECK_EQ(sys_thread_restart(t, TEST_VA, TEST_VA, 0), -E_INVAL);   /* its fault awaits our reply */
	m = msg_make(LABEL_KILL, 0, 0, 0, 0);
	CHECK_EQ(ipc_reply(t, &m, NULL), 0);
	CHECK_EQ(sys_thread_restart(t, TEST_VA, TEST_VA, 0), -E_NOENT);   /* killed */
	long fresh = sys_thread_create(foreign_space, TEST_VA, TEST_VA);
	CHECK(fresh > 0);
	CHECK_EQ(sys_thread_restart(fresh, TEST_VA, TEST_VA, 0), 0);      /* unstarted: it may be */
	CHECK_EQ(sys_thread_restart(fresh, TEST_VA, TEST_VA, 0), -E_INVAL);   /* not any more */
	CHECK_EQ(sys_space_destroy(foreign_space), 0);
}

/* MAP_COPY says no to missing or foreign spaces, bad ranges, bad drop bits and dst == src. */
static void test_map_copy_refused(void)
{
	make_foreign_targets();
	long a = sys_space_create(), b = foreign_space;
	CHECK(a > 0);
	CHECK_EQ(sys_map_copy(NO_SUCH_SPACE, b, TEST_VA, 1, 0), -E_NOENT);
	CHECK_EQ(sys_map_copy(a, NO_SUCH_SPACE, TEST_VA, 1, 0), -E_NOENT);
	CHECK_EQ(sys_map_copy(a, 0, TEST_VA, 1, 0), -E_NOENT);
	CHECK_EQ(sys_map_copy(a, b, TEST_VA + 8, 1, 0), -E_RANGE);              /* unaligned */
	CHECK_EQ(sys_map_copy(a, b, USER_BASE - PAGE_SIZE, 1, 0), -E_RANGE);    /* below user space */
	CHECK_EQ(sys_map_copy(a, b, KERNEL_VA, 1, 0), -E_RANGE);
	CHECK_EQ(sys_map_copy(a, b, USER_TOP, 1, 0), -E_RANGE);                 /* above it */
	CHECK_EQ(sys_map_copy(a, b, USER_TOP - PAGE_SIZE, 2, 0), -E_RANGE);     /* past its top */
	CHECK_EQ(sys_map_copy(a, b, TEST_VA, MAP_COPY_MAX_PAGES + 1, 0), -E_RANGE);
	CHECK_EQ(sys_map_copy(a, b, TEST_VA, (uint64_t)-1, 0), -E_RANGE);
	CHECK_EQ(sys_map_copy(a, b, TEST_VA, 1, RIGHT_X), -E_INVAL);            /* only W may be dropped */
	CHECK_EQ(sys_map_copy(a, b, TEST_VA, 1, RIGHT_R), -E_INVAL);
	CHECK_EQ(sys_map_copy(a, b, TEST_VA, 1, RIGHT_W | RIGHT_X), -E_INVAL);
	CHECK_EQ(sys_map_copy(a, b, TEST_VA, 1, RIGHTS_ALL + 1), -E_INVAL);
	CHECK_EQ(sys_map_copy(a, a, TEST_VA, 1, 0), -E_INVAL);                  /* dst == src */
	CHECK_EQ(sys_map_copy(a, b, TEST_VA, MAP_COPY_MAX_PAGES, RIGHT_W), 0);  /* nothing present */
	CHECK_EQ(sys_map_copy(a, b, USER_TOP - PAGE_SIZE, 1, 0), 0);
	reap_child(spawn_child(foreign_thread_user), 0);
	CHECK_EQ(sys_space_destroy(a), 0);
	CHECK_EQ(sys_space_destroy(b), 0);
	CHECK_EQ(sys_map_copy(a, b, TEST_VA, 1, 0), -E_NOENT);
}

static const struct test tests[] = {
	{ "ipc_roundtrip", test_ipc_roundtrip },
	{ "ipc_buffer_both_ways", test_ipc_buffer_both_ways },
	{ "ipc_buffer_untouched_pages", test_ipc_buffer_untouched_pages },
	{ "ipc_buffer_truncated", test_ipc_buffer_truncated },
	{ "ipc_wild_buffers", test_ipc_wild_buffers },
	{ "ipc_bad_peer", test_ipc_bad_peer },
	{ "forged_kernel_labels", test_forged_kernel_labels },
	{ "fault_load_forwarded", test_fault_load_forwarded },
	{ "fault_store_forwarded", test_fault_store_forwarded },
	{ "fault_fetch_killed", test_fault_fetch_killed },
	{ "exception_killed", test_exception_killed },
	{ "user_pager_fault_and_kill", test_user_pager_fault_and_kill },
	{ "map_frame_not_owned", test_map_frame_not_owned },
	{ "map_into_foreign_space", test_map_into_foreign_space },
	{ "space_quota", test_space_quota },
	{ "reply_recv_release_word", test_reply_recv_release_word },
	{ "release_word_after_unmap", test_release_word_after_unmap },
	{ "space_create_pager_thread", test_space_create_pager_thread },
	{ "bad_syscall_number", test_bad_syscall_number },
	{ "tlb_flush_count", test_tlb_flush_count },
	{ "root_only_calls", test_root_only_calls },
	{ "notification", test_notification },
	{ "timer_notification", test_timer_notification },
	{ "preemption", test_preemption },
	{ "thread_copy_refused", test_thread_copy_refused },
	{ "thread_restart_refused", test_thread_restart_refused },
	{ "map_copy_refused", test_map_copy_refused },
};

int main(int argc, char **argv)
{
	return run_tests("ktests", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
