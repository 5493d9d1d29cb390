/*
 * Kernel-wide declarations: the objects (threads, address spaces), the
 * saved register frame, and the entry points of each subsystem.
 *
 * Physical memory (QEMU virt), identity-mapped in every address space
 * without PTE_U, so the kernel reaches any frame by its physical address:
 *
 *   0x0c000000  PLIC           (gigapage 0: devices)
 *   0x10000000  UART, virtio
 *   0x80000000  OpenSBI        (gigapages 2, 3: RAM, up to 2 GiB)
 *   0x80200000  kernel image, boot archive, then the kernel pool
 *   pool end    frames owned by user space (the root pager), to RAM end
 *
 * User virtual addresses are [USER_BASE, USER_TOP), disjoint from all of
 * the above.
 */
#ifndef KERNEL_H
#define KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include "abi/syscall.h"

/* Indexes of registers in struct frame; slot 0 (x0) holds the pc. */
enum reg {
	REG_PC = 0, REG_RA = 1, REG_SP = 2, REG_GP = 3, REG_TP = 4,
	REG_T0 = 5, REG_T1 = 6, REG_T2 = 7,
	REG_A0 = 10, REG_A1, REG_A2, REG_A3, REG_A4, REG_A5, REG_A6, REG_A7,
	REG_COUNT = 32
};

/* User registers saved on a trap; entry.S knows this layout. */
struct frame {
	uint64_t r[REG_COUNT];
};
#define FRAME_SIZE (REG_COUNT * 8)
_Static_assert(sizeof(struct frame) == FRAME_SIZE, "entry.S saves 32 words");

enum thread_state {
	T_FREE,       /* slot unused                                  */
	T_READY,      /* runnable (or running)                        */
	T_SEND,       /* queued on partner's send queue               */
	T_RECV,       /* waiting for a message (from recv_from)       */
	T_REPLY       /* sent a call (or fault) to partner, awaits it */
};

struct space;

struct thread {
	struct frame frame;          /* offset 0: entry.S uses sscratch = &frame */
#ifdef SMP
	struct cpu *cpu;             /* THREAD_CPU in entry.S: the hart running it, or NULL */
#endif
	int64_t tid;
	enum thread_state state;
	struct space *space;
	struct thread *run_next, *run_prev;   /* ready queue       */
	struct thread *partner;               /* T_SEND, T_REPLY   */
	struct thread *send_next;             /* link in sendq     */
	struct thread *sendq_head, *sendq_tail;
	int64_t recv_from;                    /* T_RECV filter     */
	int expects_reply;                    /* T_SEND: was a call */
	int in_fault;                         /* T_REPLY: kernel reads the reply */
	int unstarted;                        /* T_REPLY: new, waiting for its creator's start */
	struct msg out;                       /* in_fault: the fault message sent */
	uint64_t notify_bits;                 /* pending notifications */
	uint64_t timer_deadline;              /* 0 = none */
	uint32_t generation;                  /* tid = generation * MAX_THREADS + index */
	uint64_t rbuf_ok_va, rbuf_ok_len;     /* receive buffer last found writable ... */
	uint64_t rbuf_ok_shrinks;             /* ... while space->shrinks had this value */
	uint64_t release_va, release_pa;      /* REPLY_RECV's lock word last found writable here ... */
	uint64_t release_shrinks;             /* ... while space->shrinks had this value */
};

struct space {
	uint64_t id;                 /* generation * MAX_SPACES + index; 0 = free */
	uint64_t *root;              /* level-2 page table (physical = virtual)  */
	uint64_t asid;
	uint64_t satp;               /* satp value that activates it             */
	int64_t pager;               /* tid allowed to map into this space       */
	uint64_t parent;             /* id of the space whose thread created it  */
	int children;                /* spaces this space's threads page         */
	int child_threads;           /* threads they created there (quota)      */
	int threads;                 /* live threads in this space               */
	uint64_t shrinks;            /* counts every mapping removed or narrowed  */
	uint64_t *last_leaf;         /* the level-0 table space_map used last ... */
	uint64_t last_leaf_va;       /* ... which maps the 2 MiB from here */
#ifdef SMP
	uint64_t tlb_stale;          /* harts that must flush its ASID before they run it again */
#endif
	uint32_t generation;
};

/*
 * Harts. The one-hart kernel (the benchmark configuration) has a global
 * `current` and compiles none of the SMP code. The SMP kernel (-DSMP,
 * build/kernel-smp.elf) runs on up to MAX_HARTS harts under one big
 * kernel lock taken at trap entry and released at return (smp.c); each
 * hart reaches its own struct cpu through tp while in the kernel.
 */
#ifdef SMP
#define MAX_HARTS 8
#define CACHE_LINE 64                 /* data written by one hart only sits alone on its lines */

/* One hart's own state; entry.S knows the first words (CPU_* there). */
struct cpu {
	struct thread *thread;       /* the thread this hart runs (current), or NULL */
	uint64_t kstack_top;         /* its kernel stack */
	volatile uint32_t in_user;   /* its current thread runs in user mode (set before unlocking) */
	uint64_t satp;               /* the table to switch to on the way to user mode, or 0: entry.S writes it after unlocking */
	struct space *leaving;       /* the space it still runs on until that write (entry.S clears it) */
	struct space *active;        /* the space its thread runs in, or NULL: the kernel's own table */
	uint64_t hartid;
	int online;
} __attribute__((aligned(CACHE_LINE)));   /* a line each: harts write their own only */

/* This hart's struct cpu (tp holds it in the kernel). */
static inline struct cpu *this_cpu(void)
{
	struct cpu *c;
	asm("mv %0, tp" : "=r"(c));
	return c;
}
#define current (this_cpu()->thread)

/* smp.c */
extern struct cpu cpus[MAX_HARTS];
void kernel_lock(void);
void kernel_unlock(void);
void smp_boot_hart(uint64_t hartid);
void smp_start_harts(uint64_t boot_hartid, uint32_t harts);
void smp_harts_go(uint64_t boot_hartid, uint32_t harts, uint64_t timebase_hz);
void smp_leave_cpu(struct cpu *c);
void smp_stop_remote(struct thread *t);
void smp_wake_idle(void);
void smp_set_idle(struct cpu *c, int idle);
void smp_tlb_flush_later(struct space *s, uint64_t asid);
void smp_trap_done(void);
int smp_harts_online(void);

/* sbi.c */
long sbi_hart_start(uint64_t hartid, uint64_t pc, uint64_t opaque);
void sbi_send_ipi(uint64_t hart_mask);
void sbi_remote_flush(uint64_t hart_mask, uint64_t asid, int all_asids);
#else
#define MAX_HARTS 1
static inline void kernel_lock(void) {}
static inline void kernel_unlock(void) {}
static inline void smp_tlb_flush_later(struct space *s, uint64_t asid) { (void)s; (void)asid; }
static inline int smp_harts_online(void) { return 1; }
#endif

/* console.c */
void console_init(uint64_t uart_base);
void kputc(char c);
void kprintf(const char *fmt, ...);
_Noreturn void panic(const char *msg);

/* lib.c */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int kstrncmp(const char *a, const char *b, size_t n);

/* sbi.c */
void sbi_set_timer(uint64_t when);
_Noreturn void sbi_poweroff(int failed);

/* pool.c: the kernel's own page pool */
void pool_init(uint64_t base, uint64_t end);
void *pool_alloc(void);
void pool_free(void *page);
uint64_t pool_free_pages(void);

/* space.c */
void space_init(uint64_t ram_base, uint64_t ram_end, uint64_t uart, uint64_t plic);
struct space *space_create(int64_t pager);
int space_free_tables(struct space *s, int budget);
void space_destroy(struct space *s);
struct space *space_lookup(uint64_t id);
struct space *space_child_of(uint64_t parent);
int space_check_map(uint64_t va, uint64_t rights);
int space_map(struct space *s, uint64_t va, uint64_t pa, uint64_t rights);
int64_t space_map_copy(struct space *dst, struct space *src, uint64_t va, uint64_t npages,
                       uint64_t drop);
int space_map_checked(struct space *caller, struct space *s, uint64_t va, uint64_t pa,
                      uint64_t rights, uint64_t npages);
void space_unmap(struct space *s, uint64_t va, uint64_t npages);
int space_protect(struct space *s, uint64_t va, uint64_t rights);
int64_t space_page_bits(struct space *s, uint64_t va, uint64_t how, uint64_t npages);
uint64_t space_check(struct space *s, uint64_t va, uint64_t len, int write);
uint64_t space_copy(struct space *dst, uint64_t dva, struct space *src, uint64_t sva, uint64_t len);
uint64_t space_translate(struct space *s, uint64_t va, int write);
uint64_t space_access(struct space *s, uint64_t va, int write);
void space_activate(struct space *s);
uint64_t space_kernel_satp(void);
void space_activate_kernel(void);
int space_active_elsewhere(struct space *s);
uint64_t trap_idle_ticks(void);
uint64_t space_tlb_flushes(void);
int space_count(void);
#define CHECK_OK 0
#define CHECK_RANGE 1   /* space_check: outside user space; else the va that faults */

/* frames.c: which physical frames user space owns */
uint64_t frames_table_size(uint64_t ram_base, uint64_t ram_end);
void frames_init(uint64_t ram_base, uint64_t ram_end, void *table);
void frames_give(uint64_t base, uint64_t end, struct space *owner);
void frames_add_device(uint64_t base, uint64_t size);
int frames_check(struct space *caller, uint64_t pa, uint64_t npages);
int frames_owned(struct space *caller, uint64_t pa);

/* thread.c */
#ifndef SMP
extern struct thread *current;
#endif
void thread_init(void);
struct thread *thread_create(struct space *s, uint64_t pc, uint64_t sp, uint64_t arg);

/* Every thread slot; a tid names slot tid % MAX_THREADS. */
extern struct thread threads[MAX_THREADS];

/* Find a live thread by id, or NULL. */
static inline struct thread *thread_lookup(int64_t tid)
{
	if (tid <= 0)
		return NULL;
	struct thread *t = &threads[tid % MAX_THREADS];
	return t->state != T_FREE && t->tid == tid ? t : NULL;
}
void thread_kill(struct thread *t);
void thread_ready(struct thread *t, int run_next);
void thread_kill_space(struct space *s);
int thread_buffers_busy(struct space *s, uint64_t va, uint64_t len);
void thread_idle_notify(struct thread *t, uint64_t bits);
void thread_block(struct thread *t, enum thread_state state);

#ifdef SMP
/*
 * Block `from` in state and make `to` ready: `to` takes from's hart if
 * from runs on one (running threads are off the ready queue), else the
 * head of the queue. Neither touches the queue in the common case, so a
 * fault on one hart writes nothing another hart's thread uses.
 */
static inline void thread_switch(struct thread *from, enum thread_state state, struct thread *to)
{
	struct cpu *c = from->cpu;
	thread_block(from, state);
	from->cpu = NULL;
	if (!c) {
		thread_ready(to, 1);
		return;
	}
	to->state = T_READY;
	to->cpu = c;
	c->thread = to;
}
#else
/* Block `from` (on the ready queue) in state and make `to` ready in its place. */
static inline void thread_switch(struct thread *from, enum thread_state state, struct thread *to)
{
	to->run_prev = from->run_prev;
	to->run_next = from->run_next;
	to->run_prev->run_next = to;
	to->run_next->run_prev = to;
	to->state = T_READY;
	from->run_next = from->run_prev = NULL;
	from->state = state;
}
#endif

/* Does t run now (on some hart), so that its frame is not to be read or written? */
static inline int thread_running(const struct thread *t)
{
#ifdef SMP
	return t->cpu != NULL;
#else
	return t == current;
#endif
}
void thread_preempt(void);
struct thread *thread_first_unclaimed(void);
void schedule(void);
int thread_count(void);
void thread_timer_tick(uint64_t now);
void thread_notify(struct thread *t, uint64_t bits);

/* ipc.c */
/* May t answer dst: does dst wait for a reply from t, or from another thread of t's space (they serve as one)? */
static inline int ipc_answers(const struct thread *t, const struct thread *dst)
{
	return dst->state == T_REPLY && (dst->partner == t || (dst->partner && dst->partner->space == t->space));
}
void ipc_send(struct thread *src, struct thread *dst, int expects_reply);
void ipc_recv(struct thread *self, int64_t from);
int ipc_reply(struct thread *self, struct thread *dst);
int ipc_call_fast(struct thread *t, struct thread *dst);
int ipc_reply_recv_fast(struct thread *t, struct thread *dst);

/* Set the value the syscall returns to t in a0. */
static inline void ipc_set_result(struct thread *t, int64_t value)
{
	t->frame.r[REG_A0] = (uint64_t)value;
}
void ipc_unqueue(struct thread *t);

/*
 * The message t sends, as its tag followed by its MSG_WORDS words: the
 * fault message the kernel composed, or its syscall's registers a1 to a5
 * (which have the same layout as struct msg).
 */
static inline const uint64_t *msg_of(const struct thread *t)
{
	return t->in_fault ? &t->out.tag : &t->frame.r[REG_A1];
}

/* The send buffer of t's message (a6; a fault has none). */
static inline uint64_t msg_buf(const struct thread *t)
{
	return t->in_fault ? 0 : t->frame.r[REG_A6];
}

/* fault.c */
void fault_user(struct thread *t, uint64_t scause, uint64_t stval);
int fault_kernel_access(struct thread *t, uint64_t va, int write);
int fault_reply(struct thread *pager, struct thread *t);
#define FAULT_RESUMES 0   /* fault_reply: the thread may run again */
#define FAULT_KILLED 1    /* fault_reply: the thread is gone */

/* irq.c */
void irq_init(uint64_t plic_base, uint64_t hartid);
void irq_handle(void);
int irq_bind(uint64_t irq, struct thread *t, uint64_t bits);
int irq_ack(uint64_t irq, struct thread *caller);
void irq_forget_dead(void);

/* syscall.c */
void syscall_dispatch(struct thread *t);

/* boot.c */
struct dtb_info;
void boot_root(const void *archive, uint64_t archive_size, uint64_t lo, uint64_t hi,
               const struct dtb_info *dtb);

/* trap.c */
extern uint64_t timer_quantum;
void trap_init(uint64_t timebase_hz);
void trap_init_hart(void);
void trap_idle(void);
_Noreturn void trap_return(struct thread *t);

/* Root task: the first thread; it pages every space it creates. */
extern struct thread *root_thread;

/* GCC saves registers in a prologue even for a rare branch: rare work is a SLOW_PATH
 * function, a small step shared by fast paths a FAST_STEP (inlined into each). */
#define SLOW_PATH __attribute__((noinline))
#define FAST_STEP static inline __attribute__((always_inline))
/* The fault and IPC round trip's functions sit together (kernel.ld): on QEMU,
 * which empties its TLB at every satp write, each page of code the trap
 * touches costs a TLB refill, most of it under the big kernel lock. */
#define HOT_PATH __attribute__((section(".text.hot")))
/* Zeroed data every trap reads: with the small variables, on the system-call table's page (kernel.ld). */
#define HOT_DATA __attribute__((section(".bss.hot")))

#define PAGE_ROUND_DOWN(a) ((uint64_t)(a) & ~(PAGE_SIZE - 1))
#define PAGE_ROUND_UP(a) (((uint64_t)(a) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))

#endif
