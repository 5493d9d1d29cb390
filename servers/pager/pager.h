/*
 * The pager's internal interfaces: frames, per-process page records
 * (pmap), regions, processes, fault handling and requests.
 */
#ifndef PAGER_H
#define PAGER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "abi/syscall.h"
#include "abi/pager.h"

/* How the state checker (checker.c) reports one finding: a printf-style line. */
typedef void (*check_report_fn)(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* frames.c: every frame the pager owns, with reference counts */
/* A function of the fault path: they sit together (libsys/user.ld), as on
 * QEMU, which empties its TLB at every satp write, each page of code a
 * fault touches costs a TLB refill, most of it under the pager lock. */
#define HOT_PATH __attribute__((section(".text.hot")))
/* Zeroed data of the fault path, placed with the small variables at the start of .bss. */
#define HOT_DATA __attribute__((section(".bss.hot")))

#define FRAME_INFO_BYTES 24             /* the record frames.c keeps per frame */
void frames_init(void *window, uint64_t ram_base, uint64_t owned_base, uint64_t owned_pages,
                 uint64_t extra_per_frame);
void *frames_extra(void);                   /* extra_per_frame bytes per frame for the policies, zeroed */
uint64_t frame_number(uint64_t pa);         /* 0 .. frames_total() - 1 */
void frame_set_fresh(uint64_t pa, int fresh); /* holds its page as a fill made it (or no longer) */
int frame_fresh(uint64_t pa);               /* ... and no one shared it since */
void frames_add_free(uint64_t base, uint64_t pages);
uint64_t frame_alloc(void);                 /* zeroed; 0 when none is left */
uint64_t frame_alloc_dirty(void);           /* not zeroed; 0 when none is left */
uint64_t frame_alloc_answer(void);          /* zeroed by the time the fault's answer maps it (frames.c) */
void frames_zero_later(uint64_t *list, int max);
int frames_zero_later_end(void);
int frames_zero_wanted(uint64_t target);
void frames_zero_some(uint64_t n, uint64_t target);
void frame_ref(uint64_t pa);
void frame_unref(uint64_t pa);              /* frees at zero */
uint32_t frame_refs(uint64_t pa);
void *frame_ptr(uint64_t pa);
uint64_t frames_free(void);
uint64_t frames_used(void);
uint64_t frames_total(void);
void frames_limit(uint64_t pages);
void frame_set_owner(uint64_t pa, int owner, uint64_t va);
void frame_clear_owner(uint64_t pa);
int frame_owner(uint64_t pa, uint64_t *va);
uint64_t frame_at(uint64_t i);
void frames_check_begin(void);              /* the checker: forget references found */
int frames_check_found(uint64_t pa);        /* one found; -1 if pa is not an owned frame */
void frames_check_end(check_report_fn report); /* counts against references found, the lists */

/*
 * pmap.c: which pages of a process are present, and their frames. An
 * entry is a frame's address (or, swapped out, a swap slot << PAGE_SHIFT)
 * with flags in the low bits.
 */
#define PMAP_PRESENT 1UL
#define PMAP_RIGHTS_SHIFT 1
#define PMAP_COW     (1UL << 4)        /* shared copy-on-write: mapped read-only */
#define PMAP_SWAPPED (1UL << 5)        /* not present: in the swap slot */
#define PMAP_FLAGS_MASK (PAGE_SIZE - 1)
struct pmap {
	uint64_t root;                          /* frame of the top node, 0 = empty */
	uint64_t nodes;                         /* frames used by the pmap itself */
	uint64_t *leaf, leaf_tag;               /* the leaf node last walked to, and which */
};
#define PMAP_TOP (1UL << 39)                /* a pmap's span: three levels of 9 bits, 4 KiB pages */
typedef void (*pmap_fn)(uint64_t va, uint64_t *entry, void *ctx);
typedef void (*pmap_node_fn)(uint64_t node_pa, void *ctx);
#define PMAP_LEAF_PAGES 512                 /* entries of a leaf node: the pages of 2 MiB */
typedef void (*pmap_leaf_fn)(uint64_t base, uint64_t *leaf, void *ctx);
void pmap_walk_leaves(struct pmap *pm, pmap_leaf_fn fn, void *ctx);
uint64_t *pmap_slot(struct pmap *pm, uint64_t va, int create);
void pmap_walk(struct pmap *pm, uint64_t start, uint64_t end, pmap_fn fn, void *ctx);
void pmap_walk_nodes(struct pmap *pm, pmap_node_fn fn, void *ctx);
void pmap_destroy(struct pmap *pm);
static inline uint64_t pmap_entry(uint64_t pa, uint64_t rights)
{
	return pa | (rights << PMAP_RIGHTS_SHIFT) | PMAP_PRESENT;
}
static inline uint64_t pmap_pa(uint64_t entry) { return entry & ~PMAP_FLAGS_MASK; }
static inline uint64_t pmap_rights(uint64_t entry) { return (entry >> PMAP_RIGHTS_SHIFT) & RIGHTS_ALL; }
static inline int pmap_present(uint64_t entry) { return (entry & PMAP_PRESENT) != 0; }
/* The rights to give the hardware: no write while copy-on-write. */
static inline uint64_t pmap_pte_rights(uint64_t entry)
{
	return pmap_rights(entry) & ((entry & PMAP_COW) ? ~RIGHT_W : RIGHTS_ALL);
}
static inline uint64_t pmap_swap_entry(uint64_t slot, uint64_t rights)
{
	return slot << PAGE_SHIFT | rights << PMAP_RIGHTS_SHIFT | PMAP_SWAPPED;
}
static inline uint64_t pmap_slot_of(uint64_t entry) { return entry >> PAGE_SHIFT; }

/* regions.c: a process's memory map, sorted by address */
enum region_kind { REGION_TEXT, REGION_DATA, REGION_HEAP, REGION_STACK, REGION_MMAP, REGION_KINDS };
struct region {
	uint64_t start, end;                    /* [start, end), page aligned */
	uint64_t rights;
	enum region_kind kind;
	int image;                              /* backing program image, or -1 */
	uint64_t file_off, file_bytes;          /* [start, start + file_bytes) = image at file_off */
	int shared;                             /* MAP_SHARED: one frame per page for all, written back */
};
#define MAX_REGIONS 16
struct region_map {
	struct region r[MAX_REGIONS];
	int count;
};
int region_add(struct region_map *m, uint64_t start, uint64_t end, uint64_t rights, enum region_kind kind);
struct region *region_find(struct region_map *m, uint64_t va);
struct region *region_of_kind(struct region_map *m, enum region_kind kind);
void region_remove(struct region_map *m, struct region *r);
uint64_t region_gap(struct region_map *m, uint64_t lo, uint64_t hi, uint64_t len);
const char *region_kind_name(enum region_kind kind);

/*
 * policy.c and policy_*.c: the paging policies, three independent
 * choices behind small operation tables, one file per policy.
 */
struct proc;
struct alloc_ops {
	const char *name;
	/* The heap grew over [from, to): allocate it now (eager) or leave it (lazy); 0 or an error. */
	int (*grow)(struct proc *p, uint64_t from, uint64_t to);
	/* The fault at va in r was served: map more pages too (fault-around); NULL: nothing more. */
	void (*after_fault)(struct proc *p, struct region *r, uint64_t va, int pages);
};
struct fork_ops {
	const char *name;
	/*
	 * Nonzero: a present private writable page is shared with the child
	 * as it is, this flag set in both records, mapped read-only in both
	 * (copy-on-write: PMAP_COW), and fork_page is not called.
	 */
	uint64_t share_flag;
	/*
	 * Give child the parent's present private writable page va (entry *e;
	 * *child_e is the child's record of va, empty): 0, an error, or
	 * FORK_SHARED when *child_e is made and the page is to be mapped
	 * read-only in both (fork does that in batches).
	 */
	int (*fork_page)(struct proc *parent, struct proc *child, struct region *r, uint64_t va,
	                 uint64_t *e, uint64_t *child_e);
};
#define FORK_SHARED 1
/*
 * A replacement policy. victim is the one hook it must have; the others
 * are optional (NULL). From the time a spec first names it (any process,
 * any time), a policy hears of every evictable frame (noted, again when it
 * goes to the back, and forgotten), starting with those evictable then
 * (policy_activate): whichever policy a process uses, all such frames.
 */
struct evict_ops {
	const char *name;
	/* The frame to evict to make room for who (NULL: the pager's own work ahead), or 0: none. */
	uint64_t (*victim)(struct proc *who);
	void (*tick)(uint64_t now);             /* each pager tick while a process uses the policy */
	void (*noted)(uint64_t pa);             /* pa holds an evictable page now (again: it is newest) */
	void (*forgotten)(uint64_t pa);         /* pa no longer does */
	uint64_t frame_bytes;                   /* state it keeps per frame (a multiple of 4), handed to attach */
	void (*attach)(void *per_frame, uint64_t frames);
	const struct policy_param *param;       /* NAME:VALUE, or NULL: no parameter */
	/* The checker: its own records hold exactly the `evictable` frames with an owner. */
	void (*check)(uint64_t evictable, check_report_fn report);
};
/*
 * A replacement policy's parameter, NAME:VALUE in the spec. parse and
 * format may be NULL: a decimal number from min to max, printed only when
 * it is not the default.
 */
#define POLICY_WHY_MAX 96
struct policy_param {
	const char *meaning;                    /* for messages: "TAU, the window in ticks" */
	uint64_t min, max, dflt;
	int (*parse)(const char *text, size_t len, uint64_t *value, char *why, size_t size);
	void (*format)(uint64_t value, char *buf, size_t size);
};
/* Whose pages a process's replacement takes (the optional fourth part of a spec; limits.c). */
enum policy_scope {
	SCOPE_GLOBAL,                           /* any program's pages */
	SCOPE_LOCAL,                            /* local:N: at most N frames; beyond, its own pages go first */
	SCOPE_PFF,                              /* pff:N: as local, N moved by its page-fault frequency */
	SCOPE_COUNT
};
struct policy {
	const struct alloc_ops *alloc;
	int around;                             /* around:N: pages a fault maps */
	const struct fork_ops *fork;
	const struct evict_ops *evict;
	uint64_t evict_arg;                     /* its parameter (aging:PERIOD, wsclock:TAU) */
	enum policy_scope scope;
	uint64_t limit;                         /* local:N and pff:N: the frames it starts with */
};
#define POLICY_NAME_MAX 48
#define AROUND_MAX 64
extern const struct alloc_ops alloc_eager, alloc_lazy, alloc_around;
extern const struct fork_ops fork_copy, fork_cow;
extern const struct evict_ops evict_none;
extern const struct evict_ops *const evict_policies[];   /* the table: policy.c */
extern const size_t evict_policy_count;                  /* derived from it */
extern struct policy default_policy;
int policy_parse(const char *spec, struct policy *out);
#define POLICY_ERROR_MAX 256                /* a refused spec's explanation (policy_parse_why) */
int policy_parse_why(const char *spec, struct policy *out, char *why, size_t size);
void policy_format(const struct policy *pol, char *buf, uint64_t size);
void policy_choices(char *buf, size_t size);    /* every choice, for messages and help */
uint64_t policies_frame_bytes(void);    /* per frame, for every policy's state (frames_init) */
void policies_attach(void);             /* hand each its part of frames_extra() */
void policy_activate(const struct evict_ops *ops);   /* named in a spec: it hears of frames from now on */
void frames_each_owned(void (*fn)(uint64_t pa));    /* frames.c: fn on every evictable frame, in frame order */
extern uint64_t policies_noting;       /* chosen policies that keep an order (policy.c) */
void policies_note_all(uint64_t pa);
void policies_forget_all(uint64_t pa);
/* frames.c: frame pa holds an evictable page (again): to every chosen policy's noted hook; nothing if none keeps an order. */
static inline void policies_noted(uint64_t pa)
{
	if (policies_noting)
		policies_note_all(pa);
}
/* Frame pa holds no evictable page any more. */
static inline void policies_forgotten(uint64_t pa)
{
	if (policies_noting)
		policies_forget_all(pa);
}
void policies_check(uint64_t evictable, check_report_fn report);
uint64_t policies_tick(uint64_t now);   /* the timer: ticks to policies in use; the next tick wanted, or 0 */
int policy_in_use(const struct evict_ops *ops, uint64_t *least);  /* by a program? its least parameter */
int policy_parse_decimal(const char *text, size_t len, uint64_t *value);  /* 0, or -1 if not a number */

/* The helpers a replacement policy calls (evict.c); tests/host/policysim.c stands in for them on the host. */
int victim_candidate(uint64_t pa, struct proc *who, uint64_t *va);   /* evictable now, for who? */
int64_t frame_page_bits(uint64_t pa, int how);  /* its page's PAGE_ACCESSED, PAGE_DIRTY (enum page_bits_how) */
int frame_clean(uint64_t pa, int64_t bits);     /* could it go without a write-back? */
typedef void (*sample_fn)(struct proc *p, uint64_t va, uint64_t pa, int64_t bits, void *ctx);
void frames_sample(int how, sample_fn fn, void *ctx);   /* bits of every evictable page, many per call */
void proc_sample(struct proc *p, int how, sample_fn fn, void *ctx);   /* ... of one process */

/* frame_list.c: evictable frames in the order a policy noted them, threaded through its per-frame state */
#define FRAME_LIST_BYTES 8                      /* per frame */
struct frame_list {
	uint32_t *link;                         /* per frame: older, newer */
	uint32_t oldest, newest;
	uint64_t count;
};
void frame_list_attach(struct frame_list *l, void *per_frame, uint64_t frames);
void frame_list_push(struct frame_list *l, uint64_t pa);     /* newest (moved if listed) */
void frame_list_remove(struct frame_list *l, uint64_t pa);   /* if listed */
uint64_t frame_list_oldest(const struct frame_list *l);      /* 0 if empty */
uint64_t frame_list_newer(const struct frame_list *l, uint64_t pa);  /* 0 at the end */
uint64_t frame_list_after(const struct frame_list *l, uint64_t pa);  /* as a ring: the oldest after the newest */
void frame_list_check(const struct frame_list *l, const char *name, uint64_t evictable, check_report_fn report);
struct frame_ring {                             /* a frame list gone round by a clock hand */
	struct frame_list list;
	uint64_t hand;                          /* the next frame to look at; 0: the oldest */
};
void frame_ring_push(struct frame_ring *r, uint64_t pa);     /* noted: newest; a hand on it moves on */
void frame_ring_remove(struct frame_ring *r, uint64_t pa);   /* forgotten; a hand on it moves on */
uint64_t frame_ring_next(struct frame_ring *r);              /* under the hand, moving it on; 0 if empty */

/* limits.c: local replacement and page-fault-frequency control (the scope of a policy) */
int scope_parse(const char *word, size_t len, struct policy *out, char *why, size_t size);
int scope_format(const struct policy *pol, char *buf, size_t size);
static inline int proc_at_frame_limit(const struct proc *p, uint64_t n);
uint64_t scope_tick(uint64_t now);
void scope_start(struct proc *p);       /* its policy was set: its limit starts again */

/* cow: resolving a write to a copy-on-write page (whatever the policy is now) */
int cow_write_fault(struct proc *p, uint64_t va, uint64_t *entry, uint64_t *pa);

/*
 * evict.c and swap.c: eviction to the swap disk. ensure_free waits for
 * writes in flight when it must; fault_room never waits: 0, ROOM_LATER
 * (frames are being written out: the fault waits, fault.c) or -E_NOMEM.
 */
#define ROOM_LATER 1
extern uint64_t room_later_need;    /* the frames make_room wanted when it said ROOM_LATER */
#define SWAP_LOW 8                  /* make_room is asked when fewer than this many more are free... */
#define SWAP_AHEAD 24               /* ... and, swapping, starts writes until this many more are free or on their way */
#define SWAP_RESERVE 64             /* after swap requests finish, writes keep this many + SWAP_AHEAD free or coming */
#define SWAP_PAY_SHARE 4            /* below 1/4 of the frames free, a swap-in pays with an eviction... */
#define SWAP_OWED_MAX 4             /* ... and waits while this many are owed (not yet started) */
enum room_how { ROOM_WAIT, ROOM_NOW, ROOM_NO_KILL };  /* wait for writes; or not; or not, and kill no one */
int make_room(struct proc *p, uint64_t n, enum room_how how);
/* Make sure n frames are free (waiting for the swap disk if it must); 0 or -E_NOMEM. */
static inline int ensure_free(struct proc *p, uint64_t n)
{
	return frames_free() >= n + SWAP_LOW && !proc_at_frame_limit(p, n) ? 0 : make_room(p, n, ROOM_WAIT);
}
/* For a fault: 0 when n frames are free, ROOM_LATER when they will be, or -E_NOMEM. */
static inline int fault_room(struct proc *p, uint64_t n)
{
	return frames_free() >= n + SWAP_LOW && !proc_at_frame_limit(p, n) ? 0 : make_room(p, n, ROOM_NOW);
}
void evict_ahead(void);
int swap_in_room(struct proc *p);
int frame_evictable(uint64_t pa, struct proc **owner, uint64_t *va);
void evict_undo(uint64_t slot, uint64_t va, uint64_t pa);

/* oom.c: each program's share, and who pays when memory runs out */
uint64_t proc_pages(const struct proc *p);
uint64_t proc_limit(const struct proc *p);
int proc_over_limit(const struct proc *p, uint64_t more);
int oom_kill_for(struct proc *p);
#define SWAP_SLOT 1                     /* virtio-mmio slot of the swap disk */
int swap_init(void);
enum swap_where { SWAP_ON_DISK, SWAP_READING, SWAP_READ_FAILED, SWAP_IN_MEMORY };
int swap_write_start(uint64_t pa, uint64_t va, uint64_t *slot);
int swap_read_start(uint64_t slot, uint64_t pa);
int swap_lookup(uint64_t slot, uint64_t *pa);
void swap_join(uint64_t slot);
uint64_t swap_take(uint64_t slot);
void swap_poll(void);
int swap_wait(void);
uint64_t swap_writing(void);
int swap_can_write(void);
int64_t swap_next_fault(struct msg *m);
void swap_resume_waiting(void);
void swap_held(uint64_t *frames, uint64_t *slots);
extern uint64_t swap_finished;          /* requests finished and not yet settled: the main loop calls swap_next_fault */
extern uint64_t swap_notify_bits;       /* the swap disk's interrupt: pager_notified calls swap_poll */
void swap_ref(uint64_t slot);
void swap_unref(uint64_t slot);
uint64_t swap_used(void);
uint64_t swap_total(void);
uint64_t swap_take_pending(void);
void swap_check_begin(void);                /* the checker: forget slot references found */
int swap_check_found(uint64_t slot);        /* one found; -1 if there is no such slot */
void swap_check_end(check_report_fn report);

/* proc.c: the process table */
enum proc_state { PROC_FREE, PROC_RUNNING, PROC_ZOMBIE };
#define MAX_PROCS 64
#define MAX_CHILDREN 32                 /* live and zombie children of one process */
#define RESERVED_SLOTS 4                /* process slots only init may fork into */
#define PROC_NAME_MAX 16
struct proc_stats {
	uint64_t faults, zero_fills, file_fills, cow_copies, cow_reuses, evictions, swap_ins;
	uint64_t writebacks;            /* its pages evicted by a write to swap (the others were dropped) */
	uint64_t waits;                 /* faults that waited for the swap disk while the pager went on */
};
struct proc {
	int pid, parent;
	int pgid;                       /* its process group: ^C and kill(-pgid) end a group */
	enum proc_state state;
	int exit_status;
	char name[PROC_NAME_MAX];
	int64_t tid;                    /* its one thread */
	uint64_t space;
	struct region_map map;
	struct pmap pmap;
	uint64_t heap_start, brk;       /* heap region is [heap_start, PAGE_ROUND_UP(brk)) */
	uint64_t frames;                /* leaf frames mapped (shared ones too) */
	int waiting;                    /* blocked in wait(): reply when a child exits */
	int system;                     /* a server: memory populated up front, never paged */
	struct policy policy;
	struct proc_stats stats;
	uint64_t swapped;               /* pages of it in swap slots */
	int devices, dma_pages;         /* grants so far (servers only) */
	uint64_t wake_tick;             /* blocked in sleep() until this tick; 0 = not */
	uint64_t parked;                /* its fault waits for the swap disk: order number; 0 = not (fault.c) */
	struct msg parked_fault;        /* that fault's message, served again (fault_resume_next) */
	uint64_t park_need, park_slot;  /* it waits until park_need frames are free, or (0) for the read of park_slot */
	uint64_t park_read;             /* ... or, if not 0, for file read number park_read (fileread.c) */
	struct proc *park_prev, *park_next;   /* the list of waiting faults, oldest first */
	uint64_t pff_faults, pff_tick;  /* pff: its fault count and the tick at the last adjustment (limits.c) */
	uint32_t answering;             /* 1: a fault thread's answer to its fault is on its way to the kernel (threads.c) */
};

/* Does p hold so many frames that n more take it past its limit (local:N, pff:N)? */
static inline int proc_at_frame_limit(const struct proc *p, uint64_t n)
{
	return p && p->policy.scope != SCOPE_GLOBAL && p->frames + n > p->policy.limit;
}
struct proc *proc_alloc(const char *name, int parent);
struct proc *proc_at(int slot);
int proc_slot(const struct proc *p);
void proc_note_frame(struct proc *p, struct region *r, uint64_t va, uint64_t pa);
void proc_set_policy_all(const struct policy *pol);
void proc_start(struct proc *p, uint64_t w0);
int proc_install(struct proc *p, uint64_t va, uint64_t e);
void stats_add(struct proc_stats *a, const struct proc_stats *b);
void stats_total(struct proc_stats *out);
struct proc *proc_by_pid(int pid);
struct proc *proc_by_tid(int64_t tid);
void proc_set_tid(struct proc *p, int64_t tid);
void proc_free_memory(struct proc *p);
void proc_exit(struct proc *p, int status);
int proc_fork(struct proc *parent, int64_t parent_tid);
int proc_wait(struct proc *p, int *status);
int proc_has_children(struct proc *p);
void proc_unmap_range(struct proc *p, uint64_t start, uint64_t end);
int proc_map_page(struct proc *p, uint64_t va, uint64_t pa, uint64_t rights);
uint64_t proc_wake_sleepers(uint64_t now);
extern int init_pid;

/* image.c: where program bytes come from */
#define IMAGE_NAME_MAX 32
struct symtab_info {                    /* where an image's .symtab and .strtab lie (symbols.c) */
	int state;                      /* SYMTAB_UNKNOWN, SYMTAB_NONE or SYMTAB_FOUND */
	uint64_t sym_off, sym_count, str_off, str_size;
};
enum { SYMTAB_UNKNOWN, SYMTAB_NONE, SYMTAB_FOUND };
void image_init_archive(const void *data, uint64_t size);
int image_open_archive(const char *name);
int image_in_archive(const char *name);
int image_open_file(const char *path);
int image_open_fd(long fd, int writable);
long image_write(int img, uint64_t off, const void *buf, uint64_t len);
long image_read(int img, uint64_t off, void *buf, uint64_t len);
int image_on_fs(int img);
uint64_t image_size(int img);
long image_file_size(int img, uint64_t *size);
void image_ref(int img);
void image_unref(int img);
void image_set_name(int img, const char *name);
const char *image_name(int img);
uint64_t image_inum(int img);
struct symtab_info *image_symtab(int img);

/* symbols.c: pc to function+offset, from the program's ELF symbol table (slow path only) */
#define SYMBOL_TEXT_MAX 48
int symbolise(struct proc *p, uint64_t pc, char *buf, uint64_t size);

/* loader.c: programs into processes */
int proc_load(struct proc *p, int img, int argc, char *const argv[]);
int proc_fill_page(struct proc *p, struct region *r, uint64_t va, uint64_t *pa);
int proc_fill_answer_page(struct proc *p, struct region *r, uint64_t va, uint64_t *pa);
int proc_populate(struct proc *p, uint64_t start, uint64_t end, int wait);

/* fsclient.c: the pager as a client of the fs server */
extern int64_t fs_tid;
long fs_pager_thread(int64_t tid);
long fs_open_file(const char *path);
long fs_pread(long fd, uint64_t off, void *buf, uint64_t len);
long fs_pwrite(long fd, uint64_t off, const void *buf, uint64_t len);
long fs_reopen(int64_t tid, long fd, int writable);
long fs_file_info(long fd, uint64_t *size, uint64_t *inum);
void fs_close_file(long fd);
void fs_spawn(int64_t tid, int with_console);
void fs_fork(int64_t parent, int64_t child);
void fs_exit(int64_t tid);
int fs_console_events(int *dump);

/* mmap.c: mapped files */
int64_t mmap_map(struct proc *p, uint64_t len, uint64_t prot_flags, long fd, uint64_t off);
int64_t mmap_unmap(struct proc *p, uint64_t va, uint64_t len);
long mmap_write_back(struct proc *p, struct region *r, uint64_t start, uint64_t end);
void mmap_write_back_all(struct proc *p);

/* devices.c: device and DMA grants to servers */
extern const struct bootinfo *bootinfo;
int64_t device_grant(struct proc *p, uint32_t kind, uint32_t n, uint64_t *irq);
int64_t dma_grant(struct proc *p, uint64_t *pa);

/* fault.c */
struct fault_record {
	int pid;
	uint64_t addr, cause, pc;
	int decision;
};
#define RECENT_FAULTS 32   /* fault records kept for PAGER_LAST_FAULT */
/* The latest recorded fault of process pid (0: of any), or NULL. */
const struct fault_record *fault_last(int pid);
/* What runs after each fault decision besides recording it: bits of fault_hooks. */
#define FAULT_HOOK_TRACE 1                  /* a trace line (pager.trace=1, PAGER_TRACE) */
#define FAULT_HOOK_CHECK 2                  /* the state checker (pager.test_hooks=1) */
extern int fault_hooks;
extern int pager_test_hooks;
/* Handle a FAULT from thread tid; fill *reply; return 1 to send it. */
int fault_handle(int64_t tid, const struct msg *m, struct msg *reply);
#define DECIDE_WAIT (-1)                    /* not a decision yet: the fault waits for frames being written out */
#define DECIDE_WAIT_READ (-2)               /* ... or for a read (of p->park_slot) */
/* The faults that wait for the swap disk, served again by the main loop (swap_next_fault). */
void fault_resume_all(void);
int64_t fault_resume_next(struct msg *m);
void fault_unpark(struct proc *p);
int fault_frames_wanted(const struct proc *p);
int exception_handle(int64_t tid, const struct msg *m, struct msg *reply);

/* probe.c: kernel probes for the bounded-time tests (pager.test_hooks=1) */
int probe_request(uint64_t kind, struct msg *m);
long probe_space_destroy(long space);

/* checker.c: the state checker */
int64_t pager_check(void);
void pager_check_after_fault(void);
int64_t pager_check_request(struct proc *p, uint64_t inject);

/* requests.c: the request table, and who may send what */
struct request {
	struct proc *p;                         /* the sender's process (NULL: not a process) */
	int64_t tid;                            /* the sender's thread */
	struct msg *m;                          /* the request; the reply goes here */
	char *buf;                              /* the request's buffer, len bytes */
	uint64_t len;
};
int request_answer(struct request *rq, int64_t result);   /* reply with w0 = result: 1 */
int request_handle(int64_t tid, struct msg *m, void *buf, uint64_t len);
void start_init(void);
void requests_timer(void);
uint64_t pager_ticks(void);
extern uint64_t timebase_hz;

/* record.c: a process's page-reference trace (PAGER_RECORD) */
void record_fault(const struct proc *p, uint64_t va);
uint64_t record_tick(uint64_t now);
int request_record(struct request *rq);

/* control.c: policies, statistics, the trace and the checker; the reply buffer */
extern const void *reply_data;
extern uint64_t reply_len;
int request_policy_get(struct request *rq);
int request_policy_set(struct request *rq);
int request_stats_full(struct request *rq);
int request_stats(struct request *rq);
int request_last_fault(struct request *rq);
int request_trace(struct request *rq);
int request_check(struct request *rq);
int request_my_frames(struct request *rq);
int request_held(struct request *rq);
int request_resident(struct request *rq);
int request_maps(struct request *rq);

/* main.c */
struct stats {
	uint64_t faults, zero_fills, kills, forks;
	uint64_t swap_orphans;          /* swap-ins finished for a fault no longer waiting (its process ended) */
	struct proc_stats gone;         /* of processes that have ended */
};
extern struct stats stats;
extern int64_t pager_tid;
extern uint64_t root_space;
/* Reply now to a thread whose request was deferred. */
void reply_later(int64_t tid, struct msg *m);
/* Notification bits from the kernel: the swap disk, the timer (sleepers), idle time (zeroing), the console. */
void pager_notified(uint64_t bits);
/* Send the reply in *m to client now; the kernel refused a reply with this label to tid (main.c). */
void pager_reply_now(int64_t client, struct msg *m);
void pager_reply_refused(int64_t tid, long err, uint64_t label);

/* threads.c: fault threads on several harts, and the pager lock that keeps the pager's state one thread's at a time. */
extern int fault_threads;
void pager_lock_main(void);
void pager_unlock_threads(void);
/* Does the pager run fault threads (and so take its lock)? */
static inline int pager_threaded(void)
{
	return fault_threads != 0;
}
/* Take the pager lock: free when the pager is one thread. */
static inline void pager_lock(void)
{
	if (fault_threads)
		pager_lock_main();
}
/* Let the pager lock go. */
static inline void pager_unlock(void)
{
	if (fault_threads)
		pager_unlock_threads();
}
void pager_threads_start(uint64_t harts);
long pager_thread_start(void *stack_top, void (*entry)(void));
void pager_thread_enter(void);

/* fileread.c: file pages for faults, read by a reader thread while the pager serves others */
#define NOTIFY_FILE_READ (1UL << 60)        /* the reader tells the main thread: a read finished */
void file_reads_start(void);
void file_reads_tell_fs(void);
int file_reads_on(void);
int file_read_page(struct proc *p, int img, uint64_t off, uint64_t len, uint64_t *pa);
int file_read_finished(uint64_t n);
void file_reads_settle(void);
void file_read_abandon(const struct proc *p, uint64_t n);
uint64_t file_reads_held(void);
void file_reads_check(void);
int fault_waits_for_read(const struct proc *p, uint64_t n);
extern int resumed_after_file_read;
_Noreturn void pager_serve(int me);
long fault_thread_recv(int me, struct msg *m);
long fault_thread_answer(int me, int64_t client, struct msg *m, int replies);
void pager_threads_tell_fs(void);
void proc_answer_wait(struct proc *p);
long pager_space_create(const struct proc *p);

/* Layout of a new process (abi/pager.h). */
#define STACK_TOP    PROC_STACK_TOP
#define STACK_BOTTOM PROC_STACK_BOTTOM
#define GUARD_BOTTOM PROC_GUARD_BOTTOM
#define HEAP_LIMIT   PROC_HEAP_LIMIT
#define PROGRAM_TOP  PROC_HEAP_LIMIT        /* ELF segments lie in [USER_BASE, PROGRAM_TOP) */

#define PAGE_UP(a) (((uint64_t)(a) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define PAGE_DOWN(a) ((uint64_t)(a) & ~(PAGE_SIZE - 1))

/* jobs.c: process groups, the console's ^C and ^P, the process table for ps */
int jobs_kill_group(int pgid, const struct proc *caller);
void jobs_console_events(void);
int request_setpgid(struct request *rq);
int request_kill_group(struct request *rq);
int request_proc_info(struct request *rq);
int proc_ancestor_of(const struct proc *a, const struct proc *t);

/* A process's name from the path it was started by: the last element, as xv6 names it. */
static inline const char *proc_name_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

#endif
