/*
 * The pager's protocol: requests that programs (through libsys) and
 * pagerctl send to the pager with ipc_call, and the start-up block the
 * pager puts at the top of a new process's stack.
 *
 * Every request is a message whose label is one of enum pager_request;
 * arguments are in w[0..3] and the reply carries the result in w[0]
 * (negative = error, as enum sys_error) and more results in w[1..3].
 */
#ifndef ABI_PAGER_H
#define ABI_PAGER_H

#include <stdint.h>
#include "abi/syscall.h"

enum pager_request {
	PAGER_SBRK = LABEL_USER,   /* w0 = increment       -> old break        */
	PAGER_FORK,                /*                      -> child pid; 0 in child */
	PAGER_EXIT,                /* w0 = status          (no reply)          */
	PAGER_WAIT,                /*                      -> pid, w1 = status */
	PAGER_KILL,                /* w0 = pid             -> 0 (none if pid is the caller) */
	PAGER_GETPID,              /*                      -> pid              */
	PAGER_SLEEP,               /* w0 = ticks           -> 0                */
	PAGER_UPTIME,              /*                      -> ticks            */
	PAGER_STATS,               /*                      -> w0 free frames, w1 faults, w2 zero-fills, w3 kills */
	PAGER_LAST_FAULT,          /* w0 = pid (0: any)    -> w0 pid, w1 addr, w2 cause, w3 pc; -E_NOENT if none kept */
	PAGER_LAST_DECISION,       /* w0 = pid (0: any)    -> w0 enum fault_decision of that fault */
	PAGER_RESIDENT,            /* w0 = va              -> 1 if the page is present, else 0 */
	PAGER_MY_FRAMES,           /*                      -> w0 frames the caller holds (pages, records), w1 its swap slots, w2 slots used */
	PAGER_MMAP,                /* w0 len, w1 prot | flags << MMAP_FLAGS_SHIFT, w2 fd, w3 offset -> va */
	PAGER_MUNMAP,              /* w0 va, w1 len        -> 0 (shared pages written back) */
	PAGER_POLICY_GET,          /* w0 pid (0: the default) -> buffer: "alloc,fork,replacement" */
	PAGER_POLICY_SET,          /* w0 pid (0: all), buffer spec -> 0, or error and buffer: the choices */
	PAGER_TRACE,               /* w0 1 on, 0 off       -> 0 */
	PAGER_STATS_FULL,          /* w0 pid (0: all)      -> buffer: struct pager_stats */
	PAGER_EXEC,                /* w0 = argc, buffer = path NUL argv[0] NUL ... -> error (none on success) */
	PAGER_MAP_DEVICE,          /* w0 = kind, w1 = n    -> w0 va, w1 irq (servers only; irq bound to caller, bit 1 << irq) */
	PAGER_DMA_PAGE,            /*                      -> w0 va, w1 pa of a new pinned page (servers only) */
	PAGER_SERVER_READY,        /* w0 = status          (sent, not called: no reply) */
	PAGER_CHECK,               /* w0 = enum check_inject (0: none) -> findings of the state checker */
	PAGER_HELD,                /*                      -> w0 frames all live processes hold, w1 their swap slots, w2 free frames, w3 slots used */
	PAGER_PROBE,               /* w0 = enum probe_kind -> w1 instructions, w2 rdtime ticks of the costliest kernel call, w3 work (test hooks only) */
	PAGER_SETPGID,             /* w0 = pid, w1 = pgid (0: pid's own) -> 0 */
	PAGER_KILL_GROUP,          /* w0 = pgid            -> processes killed (none if the caller is one) */
	PAGER_PROC_INFO,           /* w0 = table slot      -> w0 the first used slot >= it, buffer: struct proc_info */
	PAGER_MAPS,                /* w0 pid (0: the caller), w1 index -> w0 regions; buffer: struct pager_region number index */
	PAGER_RECORD,              /* w0 pid, w1 enum record_op, w2 first event -> see enum record_op */
	PAGER_REQUEST_END
};

/*
 * PAGER_CHECK w0: a damage the pager does to itself before it checks, and
 * undoes after, so a test can see the checker find it (pager.test_hooks=1
 * only; -E_PERM otherwise).
 */
enum check_inject {
	CHECK_INJECT_NONE,
	CHECK_INJECT_DOUBLE_UNREF,     /* a frame freed twice */
	CHECK_INJECT_FRAME_COUNT,      /* the caller's frame counter one too high */
	CHECK_INJECT_LOST_FRAME,       /* a frame handed out that no one holds */
	CHECK_INJECT_END
};

/*
 * PAGER_PROBE (boot argument pager.test_hooks=1): the pager, which alone
 * owns frames, builds the space in which one of the kernel's long calls
 * does the most it can, makes the call, and reports what the costliest
 * single kernel call took (rdinstret, rdtime) and how much work it did.
 */
enum probe_kind {
	PROBE_UNMAP,               /* UNMAP of UNMAP_MAX_PAGES present pages; w3 pages unmapped */
	PROBE_MAP_COPY,            /* MAP_COPY of MAP_COPY_MAX_PAGES present pages, dropping W; w3 pages mapped */
	PROBE_DESTROY,             /* SPACE_DESTROY of a space with the most page tables the kernel pool
	                              allows and threads filling the thread table; w3 page tables freed */
	PROBE_LAST_DESTROY,        /* the costliest SPACE_DESTROY call of the pager's process exits and
	                              kills since the last such probe; w3 calls made */
	PROBE_KINDS
};

/* What the pager did with a fault (PAGER_LAST_DECISION, trace lines). */
enum fault_decision {
	DECIDE_NONE,
	DECIDE_ZERO_FILL,          /* mapped a zeroed frame        */
	DECIDE_FILE_FILL,          /* mapped a frame read from the program image */
	DECIDE_KILL,               /* no region allows this access */
	DECIDE_OOM,                /* no frame left: killed        */
	DECIDE_FAIL,               /* kernel access refused        */
	DECIDE_COW_COPY,           /* write to a shared page: copied */
	DECIDE_COW_REUSE,          /* write to a page no longer shared: made writable */
	DECIDE_SWAP_IN,            /* read back from the swap disk */
	DECIDE_MAP_AGAIN           /* the page was present: mapped again */
};

/*
 * Layout of a process: the program image from USER_BASE, the heap right
 * after it up to the break (at most PROC_HEAP_LIMIT), mapped files from
 * PROC_MMAP_BASE, and a stack of PROC_STACK_PAGES under PROC_STACK_TOP
 * with one unmapped guard page below it.
 */
#define PROC_STACK_TOP    0x3f00000000UL
#define PROC_STACK_PAGES  16
#define PROC_STACK_BOTTOM (PROC_STACK_TOP - PROC_STACK_PAGES * PAGE_SIZE)
#define PROC_GUARD_BOTTOM (PROC_STACK_BOTTOM - PAGE_SIZE)
#define PROC_MMAP_BASE    0x3000000000UL                   /* mapped files from here up */
#define PROC_MMAP_TOP     (PROC_GUARD_BOTTOM - PAGE_SIZE)
#define PROC_HEAP_LIMIT   PROC_MMAP_BASE                   /* highest break */
#define PROC_DEVICE_VA    0x3f80000000UL                   /* servers: device pages */
#define PROC_DMA_VA       0x3fc0000000UL                   /* servers: pinned DMA pages */
#define PROC_DMA_PAGES    64

/* mmap protections and flags (the values of the xv6 mmap lab). */
#define MMAP_PROT_READ   0x1
#define MMAP_PROT_WRITE  0x2
#define MMAP_SHARED      0x01
#define MMAP_PRIVATE     0x02
#define MMAP_FLAGS_SHIFT 8

/* What PAGER_STATS_FULL reports (for one process, or for all). */
struct pager_stats {
	uint64_t frames_total, frames_free, frames_used;   /* the system's frames (per process: used) */
	uint64_t swap_total, swap_used;                    /* slots (per process: used) */
	uint64_t faults, zero_fills, file_fills;
	uint64_t cow_copies, cow_reuses, evictions, swap_ins;
	uint64_t swap_waits;        /* faults that waited for the disk (a swap-in, a file page) while the pager served others */
	uint64_t swap_orphans;      /* swap-ins that finished after their process ended (for all only) */
	uint64_t writebacks;        /* evictions that wrote the page to swap (the others dropped a clean page) */
};
#define POLICY_SPEC_MAX 64

/*
 * PAGER_RECORD: the page-reference trace of one process (servers/pager/
 * record.c). START forgets the last trace and records process w0's
 * faults that give a page a frame and, every pager tick, which of its
 * pages were accessed; READ returns the events from number w2 in the
 * buffer (w0: how many, at most RECORD_READ_MAX), and w1 the events
 * recorded in all; STOP ends the recording (the events stay readable).
 * An event is a page address with its kind and bits in the low bits.
 */
enum record_op { RECORD_START, RECORD_READ, RECORD_STOP };
#define RECORD_EVENTS_MAX 16384         /* events kept; later ones are counted, not kept */
#define RECORD_READ_MAX 512             /* events one READ returns (a page of them) */
#define RECORD_SAMPLE 1UL               /* event kind: a sample (else a fault) */
#define RECORD_BITS_SHIFT 1             /* a sample's PAGE_ACCESSED|PAGE_DIRTY, a fault's 1 for a store, from here */
#define RECORD_BITS_MASK 7UL

/*
 * PAGER_PROC_INFO: one entry of the process table, as ps shows it. The
 * state says what the pager knows: a process blocked in a read of the
 * console or a pipe is "running" to the pager (it waits on the fs server).
 */
enum proc_info_state {
	PROC_INFO_RUNNING = 1,
	PROC_INFO_SLEEPING,            /* in sleep() */
	PROC_INFO_WAITING,             /* in wait() */
	PROC_INFO_ZOMBIE               /* ended; its parent has not collected it yet */
};
#define PROC_INFO_NAME_MAX 16
struct proc_info {
	int32_t pid, parent, pgid, state;  /* state: enum proc_info_state */
	int32_t server, reserved;          /* server: a boot server (pager-started, never paged) */
	uint64_t frames, swapped;          /* pages present, pages in swap slots */
	char name[PROC_INFO_NAME_MAX];
	char policy[POLICY_SPEC_MAX];      /* "alloc,fork,replacement" */
};
_Static_assert(sizeof(struct proc_info) == 40 + PROC_INFO_NAME_MAX + POLICY_SPEC_MAX,
               "struct proc_info is shared with user space");

/*
 * Notification bit the fs server sets in the pager's word when ^C or ^P
 * was typed on the console; the pager then asks it what (FS_CONSOLE_EVENTS).
 */
#define NOTIFY_CONSOLE (1UL << 61)

/* What PAGER_MAPS reports for one region of a process's memory map. */
enum pager_region_kind { PAGER_REGION_TEXT, PAGER_REGION_DATA, PAGER_REGION_HEAP, PAGER_REGION_STACK,
                         PAGER_REGION_MMAP, PAGER_REGION_KINDS };
#define PAGER_REGION_NAME_MAX 32
struct pager_region {
	uint64_t start, end;                /* [start, end), page aligned */
	uint64_t rights;                    /* RIGHT_R | RIGHT_W | RIGHT_X */
	uint64_t kind;                      /* enum pager_region_kind */
	uint64_t present, swapped, shared;  /* its pages with a frame, in a swap slot, on a frame others map too */
	uint64_t flags;                     /* PAGER_REGION_SHARED: a MAP_SHARED mapping */
	char name[PAGER_REGION_NAME_MAX];   /* backing file ("" for none; "inode N" for a file mapped by descriptor) */
};
#define PAGER_REGION_SHARED 1

/* Exit status the pager reports for a process it killed. */
#define EXIT_KILLED (-1)

/* Scheduler ticks per second for sleep() and uptime(), as in xv6. */
#define PAGER_TICK_HZ 100

/*
 * The start-up block at the top of a new process's stack; the new
 * thread's sp points at it. argv strings follow it.
 */
#define START_MAGIC 0x5452415453505553UL   /* "SUSPSTART" less a letter */
#define START_MAX_ARGS 16

struct start_info {
	uint64_t magic;
	int64_t pager_tid;
	int64_t fs_tid;                    /* 0 while there is no file system */
	int64_t argc;
	char *argv[START_MAX_ARGS + 1];
};

#endif
