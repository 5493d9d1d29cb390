/*
 * Processes: a pid, a parent, a state, an address space with one thread,
 * a region map and the pmap of present pages. Exit frees every frame and
 * page-table page at once (destroying the space frees the kernel's page
 * tables); the process stays a zombie until its parent's wait collects
 * its status. Fork copies the region map and every present page; pages
 * the parent never touched stay untouched in the child.
 */
#include <stdio.h>
#include <string.h>
#include "pager.h"
#include "sys.h"
#include "abi/pager.h"

static struct proc procs[MAX_PROCS];
static HOT_DATA struct proc *by_thread[MAX_THREADS];   /* by tid % MAX_THREADS; checked against p->tid */
static int next_pid = 1;
int init_pid;

/* Take a free slot for a new process (no space yet); NULL if the table is full. */
struct proc *proc_alloc(const char *name, int parent)
{
	for (int i = 0; i < MAX_PROCS; i++) {
		struct proc *p = &procs[i];
		if (p->state != PROC_FREE)
			continue;
		memset(p, 0, sizeof(*p));
		p->pid = next_pid++;
		p->parent = parent;
		p->pgid = p->pid;               /* a group of its own; fork gives the parent's */
		p->state = PROC_RUNNING;
		p->policy = default_policy;
		strncpy(p->name, name, PROC_NAME_MAX - 1);
		return p;
	}
	return NULL;
}

/* The live (or zombie) process with this pid, or NULL. */
struct proc *proc_by_pid(int pid)
{
	for (int i = 0; i < MAX_PROCS; i++)
		if (procs[i].state != PROC_FREE && procs[i].pid == pid)
			return &procs[i];
	return NULL;
}

/* The running process whose thread is tid, or NULL. */
HOT_PATH struct proc *proc_by_tid(int64_t tid)
{
	struct proc *p = tid > 0 ? by_thread[tid % MAX_THREADS] : NULL;
	return p && p->state == PROC_RUNNING && p->tid == tid ? p : NULL;
}

/* p's thread is tid from now on (found by proc_by_tid at once: every fault asks). */
void proc_set_tid(struct proc *p, int64_t tid)
{
	p->tid = tid;
	by_thread[tid % MAX_THREADS] = p;
}

/* The process in table slot `slot` (any state). */
struct proc *proc_at(int slot)
{
	return slot >= 0 && slot < MAX_PROCS ? &procs[slot] : NULL;
}

/* p's slot in the process table. */
int proc_slot(const struct proc *p)
{
	return (int)(p - procs);
}

/* Record present entry e (taking the caller's frame reference) for p at va and map it. */
int proc_install(struct proc *p, uint64_t va, uint64_t e)
{
	uint64_t *slot = pmap_slot(&p->pmap, va, 1);
	if (!slot)
		return -E_NOMEM;
	long err = sys_map((long)p->space, va, pmap_pa(e), pmap_pte_rights(e), 1);
	if (err)
		return (int)err;
	*slot = e;
	p->frames++;
	return 0;
}

/* Record that p maps frame pa at va with rights (taking the caller's reference) and map it. */
int proc_map_page(struct proc *p, uint64_t va, uint64_t pa, uint64_t rights)
{
	return proc_install(p, va, pmap_entry(pa, rights));
}

/* Frame pa now holds p's private page va in r: it may be evicted (not a server's, not shared). */
HOT_PATH void proc_note_frame(struct proc *p, struct region *r, uint64_t va, uint64_t pa)
{
	if (!p->system && r && !r->shared && frame_refs(pa) == 1)
		frame_set_owner(pa, proc_slot(p), va);
	record_fault(p, va);
}

/* Drop one page, present (unmap it, release the frame) or swapped (release the slot). */
static inline void release_one(struct proc *p, uint64_t va, uint64_t *entry)
{
	if (*entry & PMAP_SWAPPED) {
		swap_unref(pmap_slot_of(*entry));
		p->swapped--;
	} else {
		if (p->space)
			sys_unmap((long)p->space, va, 1);
		frame_unref(pmap_pa(*entry));
		p->frames--;
	}
	*entry = 0;
}

/* Drop one page (a pmap_walk step). */
static void release_page(uint64_t va, uint64_t *entry, void *ctx)
{
	release_one(ctx, va, entry);
}

/* Drop every page of one leaf of p's pmap (a pmap_walk_leaves step). */
static void release_leaf(uint64_t base, uint64_t *leaf, void *ctx)
{
	for (uint64_t i = 0; i < PMAP_LEAF_PAGES; i++)
		if (leaf[i])
			release_one(ctx, base + i * PAGE_SIZE, &leaf[i]);
}

/* Unmap and free every present page in [start, end). */
void proc_unmap_range(struct proc *p, uint64_t start, uint64_t end)
{
	pmap_walk(&p->pmap, start, end, release_page, p);
}

/* Free p's address space, frames, pmap and image references. */
void proc_free_memory(struct proc *p)
{
	proc_answer_wait(p);                /* a page on its way in (fault threads) is in before its frame goes */
	mmap_write_back_all(p);
	if (p->space)
		probe_space_destroy((long)p->space);
	p->space = 0;
	pmap_walk_leaves(&p->pmap, release_leaf, p);   /* every record, wherever it is */
	pmap_destroy(&p->pmap);
	for (int i = 0; i < p->map.count; i++)
		image_unref(p->map.r[i].image);
	p->map.count = 0;
}

/* Is there any child of p? */
int proc_has_children(struct proc *p)
{
	for (int i = 0; i < MAX_PROCS; i++)
		if (procs[i].state != PROC_FREE && procs[i].parent == p->pid)
			return 1;
	return 0;
}

/* Collect one zombie child of p: its pid and *status, or -1 if none yet. */
int proc_wait(struct proc *p, int *status)
{
	for (int i = 0; i < MAX_PROCS; i++) {
		struct proc *c = &procs[i];
		if (c->state != PROC_ZOMBIE || c->parent != p->pid)
			continue;
		int pid = c->pid;
		*status = c->exit_status;
		c->state = PROC_FREE;
		return pid;
	}
	return -1;
}

/* If parent waits in wait() and has a zombie child, hand it that child's pid and status. */
static void wake_waiting_parent(struct proc *parent)
{
	int status = 0, pid;
	if (!parent || parent->state != PROC_RUNNING || !parent->waiting ||
	    (pid = proc_wait(parent, &status)) < 0)
		return;
	struct msg m = msg_make(0, (uint64_t)pid, (uint64_t)(int64_t)status, 0, 0);
	parent->waiting = 0;
	reply_later(parent->tid, &m);
}

/* Give p's children to init, which reaps the dead ones (or let them go when init itself is gone). */
static void reparent_children(struct proc *p)
{
	for (int i = 0; i < MAX_PROCS; i++) {
		struct proc *c = &procs[i];
		if (c->state == PROC_FREE || c->parent != p->pid)
			continue;
		c->parent = init_pid;
		if (p->pid == init_pid && c->state == PROC_ZOMBIE)
			c->state = PROC_FREE;
	}
	if (p->pid != init_pid)
		wake_waiting_parent(proc_by_pid(init_pid));
}

/* End p with status: free its memory and files, wake a waiting parent, power off after init. */
void proc_exit(struct proc *p, int status)
{
	int64_t tid = p->tid;
	if (p->park_read)
		file_read_abandon(p, p->park_read);   /* its frame comes back with the rest */
	fault_unpark(p);                /* a fault waiting for the swap disk is forgotten (its read finishes unclaimed) */
	proc_free_memory(p);
	stats_add(&stats.gone, &p->stats);
	fs_exit(tid);
	p->state = PROC_ZOMBIE;
	p->exit_status = status;
	p->waiting = 0;
	p->wake_tick = 0;
	reparent_children(p);
	if (p->system && !init_pid) {
		printf("pager: the file-system server ended before it was ready; going on without it\n");
		start_init();
	} else if (p->system && tid == fs_tid) {
		printf("pager: the file-system server died (status %d); stopping the machine\n", status);
		fflush(stdout);
		sys_poweroff(1);
	}
	if (p->pid == init_pid) {
		printf("pager: init exited with status %d; powering off\n", status);
		fflush(stdout);
		sys_poweroff(status != 0);
	}
	wake_waiting_parent(proc_by_pid(p->parent));
}

/* Give the child (record *child_e) a swapped-out page: both refer to the slot until one reads it back. */
static int fork_swapped(struct proc *child, uint64_t *child_e, uint64_t e)
{
	*child_e = e;
	swap_ref(pmap_slot_of(e));
	child->swapped++;
	return 0;
}

/* Share a page with the child as it is (e, its record, already marked if it is to be): FORK_SHARED. */
static int fork_shared(struct proc *child, uint64_t *child_e, uint64_t e)
{
	frame_ref(pmap_pa(e));
	*child_e = e;
	child->frames++;
	return FORK_SHARED;
}

#define FORK_RESERVE 4                  /* frames one page of fork may need */

/* The fork walk, with a run of consecutive pages the kernel is to map into the child at once. */
struct fork_walk {
	struct proc *parent, *child;
	struct region *region;              /* the child's region of the last page, or NULL */
	int err;
	uint64_t run_start, run_pages, run_drop;
};

/* Map the pending run into the child (and take `drop` rights from the parent). */
static void fork_flush(struct fork_walk *f)
{
	if (f->run_pages && !f->err) {
		long r = sys_map_copy((long)f->child->space, (long)f->parent->space, f->run_start,
		                      f->run_pages, f->run_drop);
		f->err = r < 0 ? (int)r : 0;
	}
	f->run_pages = 0;
}

/* Add n pages from va (dropping `drop` rights) to the run, flushing it first where they do not extend it. */
static void fork_batch(struct fork_walk *f, uint64_t va, uint64_t n, uint64_t drop)
{
	while (n) {
		if (f->run_pages && (va != f->run_start + f->run_pages * PAGE_SIZE ||
		                     drop != f->run_drop || f->run_pages == MAP_COPY_MAX_PAGES))
			fork_flush(f);
		if (!f->run_pages) {
			f->run_start = va;
			f->run_drop = drop;
		}
		uint64_t take = MAP_COPY_MAX_PAGES - f->run_pages < n ? MAP_COPY_MAX_PAGES - f->run_pages : n;
		f->run_pages += take;
		va += take * PAGE_SIZE;
		n -= take;
	}
}

/* Is e a present page that a fork shares copy-on-write (private and writable) in region r? */
static int cow_candidate(uint64_t e, const struct region *r)
{
	return pmap_present(e) && (pmap_rights(e) & RIGHT_W) && !r->shared;
}

/*
 * The common case of a fork under a policy with a share_flag, in one
 * tight loop: share leaf[i] and the pages after it in region r that are
 * candidates too (child_leaf holds the child's records). Returns the index
 * of the first page not shared.
 */
static uint64_t fork_share_run(struct fork_walk *f, const struct region *r, uint64_t base,
                               uint64_t *leaf, uint64_t *child_leaf, uint64_t i)
{
	uint64_t flag = f->parent->policy.fork->share_flag, first = i;
	uint64_t stop = (r->end - base) / PAGE_SIZE < PMAP_LEAF_PAGES ? (r->end - base) / PAGE_SIZE : PMAP_LEAF_PAGES;
	for (; i < stop && cow_candidate(leaf[i], r); i++) {
		child_leaf[i] = leaf[i] |= flag;     /* still evictable: evict.c finds every holder */
		frame_ref(pmap_pa(leaf[i]));
	}
	f->child->frames += i - first;
	fork_batch(f, base + first * PAGE_SIZE, i - first, RIGHT_W);
	return i;
}

/*
 * Give the child (record *child_e) one page of the parent (in region r):
 * swapped, shared as it is (read-only, a shared mapping, or under a fork
 * policy with a share_flag, which marks it), or as the fork policy says.
 */
static void fork_page(struct fork_walk *f, struct region *r, uint64_t va, uint64_t *entry, uint64_t *child_e)
{
	const struct fork_ops *ops = f->parent->policy.fork;
	int result, writable = cow_candidate(*entry, r);
	if (*entry & PMAP_SWAPPED)
		result = fork_swapped(f->child, child_e, *entry);
	else if (!writable || ops->share_flag) {
		if (writable)
			*entry |= ops->share_flag;   /* still evictable: evict.c finds every holder */
		result = fork_shared(f->child, child_e, *entry);
	} else
		result = ops->fork_page(f->parent, f->child, r, va, entry, child_e);
	if (result == FORK_SHARED)
		fork_batch(f, va, 1, writable ? RIGHT_W : 0);
	else
		f->err = result;
}

/* Frames free that let a whole leaf of pages fork without making room page by page. */
#define FORK_LEAF_ROOM (PMAP_LEAF_PAGES * FORK_RESERVE + SWAP_LOW)

/* Give the child the parent's pages of one leaf of its pmap (leaf[i] is page base + i pages). */
static void fork_leaf(uint64_t base, uint64_t *leaf, void *ctx)
{
	struct fork_walk *f = ctx;
	uint64_t *child_leaf = NULL;        /* the child's leaf for the same pages, made at the first page */
	int plenty = frames_free() >= FORK_LEAF_ROOM;   /* usually: no room to make below */
	int sharing = plenty && f->parent->policy.fork->share_flag;
	for (uint64_t i = 0; i < PMAP_LEAF_PAGES && !f->err; i++) {
		uint64_t va = base + i * PAGE_SIZE;
		struct region *r = f->region;
		if (!leaf[i])
			continue;
		if (!r || va < r->start || va >= r->end)
			r = f->region = region_find(&f->child->map, va);   /* pages come in order: rarely */
		if (!r)
			continue;                   /* not the child's */
		if (!plenty)
			ensure_free(f->parent, FORK_RESERVE);   /* room for a copy; may evict this very page */
		if (!child_leaf && (child_leaf = pmap_slot(&f->child->pmap, va, 1)))
			child_leaf -= i;
		if (!child_leaf)
			f->err = -E_NOMEM;
		else if (sharing && cow_candidate(leaf[i], r))
			i = fork_share_run(f, r, base, leaf, child_leaf, i) - 1;
		else if (leaf[i])               /* not dropped (a file page) to make that room */
			fork_page(f, r, va, &leaf[i], &child_leaf[i]);
	}
}

/* Fork parent (whose thread is parent_tid); return the child's pid or a negative error. */
/* Processes whose parent is p (zombies too: they hold a slot). */
static int children_of(struct proc *p)
{
	int n = 0;
	for (int i = 0; i < MAX_PROCS; i++)
		n += procs[i].state != PROC_FREE && procs[i].parent == p->pid;
	return n;
}

/* Free slots in the process table. */
static int free_slots(void)
{
	int n = 0;
	for (int i = 0; i < MAX_PROCS; i++)
		n += procs[i].state == PROC_FREE;
	return n;
}

/*
 * May p fork? Each process has MAX_CHILDREN; the last slots are init's
 * (to restart the shell), and init, which inherits every orphan, has no
 * limit of its own.
 */
static int fork_allowed(struct proc *p)
{
	if (p->pid == init_pid)
		return 1;
	return children_of(p) < MAX_CHILDREN && free_slots() > RESERVED_SLOTS;
}

int proc_fork(struct proc *parent, int64_t parent_tid)
{
	if (!fork_allowed(parent))
		return -E_NOMEM;
	struct proc *c = proc_alloc(parent->name, parent->pid);
	if (!c)
		return -E_NOMEM;
	long space = pager_space_create(c);
	if (space < 0) {
		c->state = PROC_FREE;
		return (int)space;
	}
	c->space = (uint64_t)space;
	c->map = parent->map;
	for (int i = 0; i < c->map.count; i++)
		if (c->map.r[i].image >= 0)
			image_ref(c->map.r[i].image);
	c->heap_start = parent->heap_start;
	c->brk = parent->brk;
	c->policy = parent->policy;
	c->pgid = parent->pgid;
	ensure_free(parent, parent->pmap.nodes + FORK_RESERVE);   /* the child's records, up front */
	struct fork_walk walk = { parent, c, NULL, 0, 0, 0, 0 };
	pmap_walk_leaves(&parent->pmap, fork_leaf, &walk);
	fork_flush(&walk);
	long tid = walk.err ? walk.err : sys_thread_copy(space, parent_tid);
	if (tid < 0) {
		proc_free_memory(c);
		c->state = PROC_FREE;
		return (int)tid;
	}
	proc_set_tid(c, tid);
	fs_fork(parent_tid, tid);       /* before the child runs: its files first */
	proc_start(c, 0);
	stats.forks++;
	return c->pid;
}

/* Let p's new thread run (it waits for our reply); w0 is what its call returns. */
void proc_start(struct proc *p, uint64_t w0)
{
	struct msg m = msg_make(0, w0, (uint64_t)p->pid, 0, 0);   /* w1: its pid (libsys caches it) */
	ipc_reply(p->tid, &m, NULL);
}

/* Give every running program (not the servers) policy pol. */
void proc_set_policy_all(const struct policy *pol)
{
	for (int i = 0; i < MAX_PROCS; i++)
		if (procs[i].state == PROC_RUNNING && !procs[i].system)
			procs[i].policy = *pol;
}

/* Add the counters of b to a. */
void stats_add(struct proc_stats *a, const struct proc_stats *b)
{
	a->faults += b->faults;
	a->zero_fills += b->zero_fills;
	a->file_fills += b->file_fills;
	a->cow_copies += b->cow_copies;
	a->cow_reuses += b->cow_reuses;
	a->evictions += b->evictions;
	a->writebacks += b->writebacks;
	a->swap_ins += b->swap_ins;
	a->waits += b->waits;
}

/* The counters of all processes, live and ended, added up. */
void stats_total(struct proc_stats *out)
{
	*out = stats.gone;
	for (int i = 0; i < MAX_PROCS; i++)
		if (procs[i].state == PROC_RUNNING)
			stats_add(out, &procs[i].stats);
}

/* Reply to sleepers whose wake tick has passed; return the next wake tick, or 0. */
uint64_t proc_wake_sleepers(uint64_t now)
{
	uint64_t next = 0;
	for (int i = 0; i < MAX_PROCS; i++) {
		struct proc *p = &procs[i];
		if (p->state != PROC_RUNNING || !p->wake_tick)
			continue;
		if (p->wake_tick <= now) {
			struct msg m = msg_make(0, 0, 0, 0, 0);
			p->wake_tick = 0;
			reply_later(p->tid, &m);
		} else if (!next || p->wake_tick < next) {
			next = p->wake_tick;
		}
	}
	return next;
}
