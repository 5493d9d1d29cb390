/*
 * The kernel ABI, shared by the microkernel and libsys.
 *
 * A system call is `ecall` with the number in a7. IPC calls carry a
 * message in registers:
 *
 *   a0  peer thread id (destination, or source filter for recv)
 *   a1  tag: label in bits 63..16, buffer length in bits 15..0
 *   a2..a5  message words w[0..3]
 *   a6  send buffer address (its length is the tag's length)
 *   t0  receive buffer address
 *   t1  receive buffer capacity
 *
 * A call that receives (RECV, CALL, REPLY_RECV) returns the sender's
 * thread id in a0 (TID_KERNEL for a notification) and the received tag
 * and words in a1..a5; SEND and REPLY return 0 and leave a1..a5 alone.
 * Errors are a negative code in a0. Non-IPC calls take their arguments
 * in a0..a5 and return one value in a0 (negative = error).
 */
#ifndef ABI_SYSCALL_H
#define ABI_SYSCALL_H

#include <stdint.h>

/* System-call numbers (a7). Dispatch is a bounds-checked table. */
enum sys_number {
	SYS_SEND,          /* (dest, msg)            blocking send          */
	SYS_RECV,          /* (from)                 blocking receive       */
	SYS_CALL,          /* (dest, msg)            send, then wait reply  */
	SYS_REPLY,         /* (dest, msg)            non-blocking reply     */
	SYS_REPLY_RECV,    /* (dest, msg)            reply, then receive    */
	SYS_NOTIFY,        /* (tid, bits)            set notification bits  */
	SYS_YIELD,         /* ()                     give up the CPU        */
	SYS_SPACE_CREATE,  /* (pager tid or 0)       -> space id            */
	SYS_SPACE_DESTROY, /* (space)                a step: 0 gone, else call again */
	SYS_THREAD_CREATE, /* (space, pc, sp)        -> tid; runs at our reply */
	SYS_THREAD_COPY,   /* (space, src tid)       -> tid, regs of src; ditto */
	SYS_THREAD_KILL,   /* (tid)                                         */
	SYS_MAP,           /* (space, va, pa, rights, npages)               */
	SYS_UNMAP,         /* (space, va, npages)    npages <= UNMAP_MAX_PAGES */
	SYS_PROTECT,       /* (space, va, rights)                           */
	SYS_PAGE_BITS,     /* (space, va, how, npages) -> PAGE_ACCESSED|PAGE_DIRTY per page */
	SYS_IRQ_BIND,      /* (irq, tid, bits)       root only              */
	SYS_IRQ_ACK,       /* (irq)                  bound thread only      */
	SYS_CONSOLE_WRITE, /* (buf, len)             kernel console; -> bytes written */
	SYS_POWEROFF,      /* (failed)               root only              */
	SYS_GETTID,        /* ()                     -> own thread id       */
	SYS_TIMER,         /* (deadline)             notify at time >= it   */
	SYS_KSTAT,         /* (which)                kernel counters        */
	SYS_THREAD_RESTART,/* (tid, pc, sp, arg)     abandon its call, run anew */
	SYS_MAP_COPY,      /* (dst, src, va, npages, drop) share src's pages with dst */
	SYS_IDLE_NOTIFY,   /* (bits)                 root: notify me once when idle */
	SYS_USER_CHECK,    /* (va, len, write)       make own memory accessible, or E_FAULT */
	SYS_COUNT
};

/* Error codes, returned negated. */
enum sys_error {
	E_OK,
	E_NOSYS,   /* no such system call */
	E_INVAL,   /* malformed argument */
	E_PERM,    /* caller lacks the right */
	E_NOENT,   /* no such thread or space */
	E_FAULT,   /* bad user address */
	E_NOMEM,   /* kernel pool exhausted, or a quota reached */
	E_RANGE,   /* address outside user space or RAM */
	E_BUSY,    /* the page is a buffer of an IPC in progress */
	E_COUNT
};

/* Thread-id values with a special meaning. */
#define TID_ANY    (-1L)       /* recv: accept from any sender */
#define TID_KERNEL 0L          /* sender id of notifications; recv: notifications only */

/* Message tag: label and buffer length packed in one word. */
#define TAG_LEN_BITS 16
#define TAG_LEN_MASK ((1UL << TAG_LEN_BITS) - 1)
#define TAG(label, len) (((uint64_t)(label) << TAG_LEN_BITS) | (len))
#define TAG_LABEL(tag) ((uint64_t)(tag) >> TAG_LEN_BITS)
#define TAG_LENGTH(tag) ((uint64_t)(tag) & TAG_LEN_MASK)

#define MSG_WORDS   4
#define IPC_BUF_MAX 8192       /* largest buffer the kernel copies */

/* One message as user code sees it (registers a1..a5). */
struct msg {
	uint64_t tag;
	uint64_t w[MSG_WORDS];
};

/* Labels the kernel itself sends or interprets. Servers use >= LABEL_USER. */
enum kernel_label {
	LABEL_NONE,
	LABEL_FAULT,       /* kernel -> pager: a thread faulted             */
	LABEL_EXCEPTION,   /* kernel -> pager: another synchronous exception */
	LABEL_NOTIFY,      /* kernel -> thread: notification bits in w[0]   */
	LABEL_MAP,         /* pager -> kernel: install w[0..3] and resume   */
	LABEL_RESUME,      /* pager -> kernel: resume the thread            */
	LABEL_KILL,        /* pager -> kernel: the thread dies              */
	LABEL_FAIL,        /* pager -> kernel: kernel access fails, E_FAULT */
	LABEL_USER = 16
};

/*
 * FAULT and EXCEPTION message layout (sent on the thread's behalf, so
 * the receiver's a0 is the faulting thread's id).
 */
enum fault_word {
	FAULT_ADDR,        /* stval                           */
	FAULT_CAUSE,       /* scause, | FAULT_KERNEL_ACCESS   */
	FAULT_PC,          /* sepc                            */
	FAULT_SPACE        /* the faulting thread's space id  */
};
#define FAULT_KERNEL_ACCESS (1UL << 32)  /* the kernel's copy faulted */
#define FAULT_CAUSE_MASK    0xffffUL

/* RISC-V exception causes the pager sees (scause values). */
enum riscv_cause {
	CAUSE_MISALIGNED_FETCH = 0,
	CAUSE_ILLEGAL_INSTRUCTION = 2,
	CAUSE_BREAKPOINT = 3,
	CAUSE_MISALIGNED_LOAD = 4,
	CAUSE_MISALIGNED_STORE = 6,
	CAUSE_USER_ECALL = 8,
	CAUSE_FETCH_PAGE_FAULT = 12,
	CAUSE_LOAD_PAGE_FAULT = 13,
	CAUSE_STORE_PAGE_FAULT = 15
};

/* MAP reply and SYS_MAP: w[0]=va, w[1]=pa, w[2]=rights, w[3]=npages. */
enum map_word { MAP_VA, MAP_PA, MAP_RIGHTS, MAP_NPAGES };
/*
 * In a MAP answer's rights: the thread resumes behind the threads already
 * ready (it takes its turn) instead of running next. For an answer that
 * comes late, after the fault waited for the disk (servers/pager/main.c).
 */
#define MAP_TAKE_TURN (1UL << 8)
#define MAP_MAX_PAGES 16       /* most pages one map request installs */
#define MAP_COPY_MAX_PAGES 256 /* most pages one SYS_MAP_COPY walks */
#define UNMAP_MAX_PAGES 512    /* most pages one SYS_UNMAP removes */
#define CONSOLE_WRITE_MAX 1024 /* most bytes one SYS_CONSOLE_WRITE writes */
#define SPACE_DESTROY_MORE 1   /* SYS_SPACE_DESTROY did one step: call it again */

/* Rights of a mapping. */
#define RIGHT_R 1UL
#define RIGHT_W 2UL
#define RIGHT_X 4UL
#define RIGHTS_ALL (RIGHT_R | RIGHT_W | RIGHT_X)

/* SYS_PAGE_BITS result bits: page i of a batch at bit PAGE_BITS_WIDTH * i. */
#define PAGE_PRESENT  1UL
#define PAGE_ACCESSED 2UL
#define PAGE_DIRTY    4UL
#define PAGE_BITS_WIDTH 3              /* bits per page in the result */
#define PAGE_BITS_MASK ((1UL << PAGE_BITS_WIDTH) - 1)
#define PAGE_BITS_MAX_PAGES 21         /* most pages one call reports: 63 bits, the result stays positive */
/* SYS_PAGE_BITS how: read only, or read and clear. */
enum page_bits_how {
	PAGE_BITS_READ,                /* report only */
	PAGE_BITS_CLEAR,               /* report, then clear A and D */
	PAGE_BITS_CLEAR_ACCESSED,      /* report, then clear A; D is kept (it says a write-back is due) */
	PAGE_BITS_HOWS
};

/* SYS_KSTAT selectors. */
enum kstat_which {
	KSTAT_POOL_FREE,   /* free pages in the kernel pool */
	KSTAT_THREADS,     /* live threads                  */
	KSTAT_SPACES,      /* live address spaces           */
	KSTAT_TLB_FLUSHES, /* local sfence.vma so far for mappings removed or narrowed */
	KSTAT_IDLE_TICKS,  /* time-counter ticks the harts have spent waiting in wfi */
	KSTAT_HARTS,       /* harts the kernel runs on      */
	KSTAT_COUNT
};

/* User address space: [USER_BASE, USER_TOP). Everything else is kernel. */
#define PAGE_SIZE  4096UL
#define PAGE_SHIFT 12
#define USER_BASE  0x100000000UL    /* 4 GiB   */
#define USER_TOP   0x4000000000UL   /* 256 GiB */

/* Limits. */
#define MAX_THREADS 256
#define MAX_SPACES  128
#define MAX_SPACES_PER_PAGER 4     /* per space, except the root task's */
#define MAX_THREADS_PER_PAGER 16   /* threads a space's threads may create, except the root task's */
/*
 * The last free slots of the thread and space tables are the root task's:
 * no other pager may take them, so however many processes fill their own
 * quotas, the pager can still start a process for everyone else (one
 * space and one thread each, MAX_PROCS of them, and its servers').
 */
#define ROOT_RESERVED_THREADS 80
#define ROOT_RESERVED_SPACES  72
#define NOTIFY_BITS 64
#define NOTIFY_TIMER (1UL << (NOTIFY_BITS - 1))   /* set when a SYS_TIMER deadline passes */
#define NOTIFY_IDLE  (1UL << (NOTIFY_BITS - 2))   /* the CPU would idle (SYS_IDLE_NOTIFY) */

_Static_assert(sizeof(struct msg) == (1 + MSG_WORDS) * 8, "msg is tag + words");
_Static_assert(IPC_BUF_MAX <= TAG_LEN_MASK, "buffer length fits in the tag");
_Static_assert(SYS_COUNT < 64, "syscall table stays small");

#endif
