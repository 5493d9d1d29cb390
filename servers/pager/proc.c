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
		p->state = PROC_RUNNING;
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
struct proc *proc_by_tid(int64_t tid)
{
	for (int i = 0; i < MAX_PROCS; i++)
		if (procs[i].state == PROC_RUNNING && procs[i].tid == tid)
			return &procs[i];
	return NULL;
}

/* Record that p maps frame pa at va (taking the caller's reference) and map it. */
int proc_map_page(struct proc *p, uint64_t va, uint64_t pa, uint64_t rights)
{
	uint64_t *slot = pmap_slot(&p->pmap, va, 1);
	if (!slot)
		return -E_NOMEM;
	long err = sys_map((long)p->space, va, pa, rights, 1);
	if (err)
		return (int)err;
	*slot = pmap_entry(pa, rights);
	p->frames++;
	return 0;
}

/* Drop one present page: unmap it (if asked) and release the frame. */
static void release_page(uint64_t va, uint64_t *entry, void *ctx)
{
	struct proc *p = ctx;
	if (p->space)
		sys_unmap((long)p->space, va, 1);
	frame_unref(pmap_pa(*entry));
	*entry = 0;
	p->frames--;
}

/* Unmap and free every present page in [start, end). */
void proc_unmap_range(struct proc *p, uint64_t start, uint64_t end)
{
	pmap_walk(&p->pmap, start, end, release_page, p);
}

/* Free p's address space, frames, pmap and image references. */
void proc_free_memory(struct proc *p)
{
	mmap_write_back_all(p);
	if (p->space)
		sys_space_destroy((long)p->space);
	p->space = 0;
	pmap_walk(&p->pmap, 0, USER_TOP, release_page, p);
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

/* Give p's children to init (or let zombies go when init itself is gone). */
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
}

/* End p with status: free its memory and files, wake a waiting parent, power off after init. */
void proc_exit(struct proc *p, int status)
{
	int64_t tid = p->tid;
	proc_free_memory(p);
	fs_exit(tid);
	p->state = PROC_ZOMBIE;
	p->exit_status = status;
	p->waiting = 0;
	p->wake_tick = 0;
	reparent_children(p);
	if (p->pid == init_pid) {
		printf("pager: init exited with status %d; powering off\n", status);
		fflush(stdout);
		sys_poweroff(status != 0);
	}
	struct proc *parent = proc_by_pid(p->parent);
	if (parent && parent->state == PROC_RUNNING && parent->waiting) {
		int st = 0;
		struct msg m = msg_make(0, 0, 0, 0, 0);
		m.w[0] = (uint64_t)proc_wait(parent, &st);
		m.w[1] = (uint64_t)(int64_t)st;
		parent->waiting = 0;
		reply_later(parent->tid, &m);
	}
}

/* Copy one present page of the parent into the child (read-only and shared pages are shared). */
static void fork_page(uint64_t va, uint64_t *entry, void *ctx)
{
	struct proc *child = ctx;
	uint64_t pa = pmap_pa(*entry), rights = pmap_rights(*entry);
	if (child->state != PROC_RUNNING)
		return;                         /* an earlier page failed */
	uint64_t copy = pa;
	struct region *r = region_find(&child->map, va);
	if ((rights & RIGHT_W) && !(r && r->shared)) {
		copy = frame_alloc_dirty();
		if (copy)
			memcpy(frame_ptr(copy), frame_ptr(pa), PAGE_SIZE);
	} else {
		frame_ref(pa);
	}
	if (!copy || proc_map_page(child, va, copy, rights)) {
		if (copy)
			frame_unref(copy);
		child->state = PROC_ZOMBIE;     /* marks failure for proc_fork */
	}
}

/* Fork parent (whose thread is parent_tid); return the child's pid or a negative error. */
int proc_fork(struct proc *parent, int64_t parent_tid)
{
	struct proc *c = proc_alloc(parent->name, parent->pid);
	if (!c)
		return -E_NOMEM;
	long space = sys_space_create();
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
	pmap_walk(&parent->pmap, 0, USER_TOP, fork_page, c);
	long tid = c->state == PROC_RUNNING ? sys_thread_copy(space, parent_tid) : -E_NOMEM;
	if (tid < 0) {
		c->state = PROC_RUNNING;
		proc_free_memory(c);
		c->state = PROC_FREE;
		return (int)tid;
	}
	c->tid = tid;
	fs_fork(parent_tid, tid);
	stats.forks++;
	return c->pid;
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
