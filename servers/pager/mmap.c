/*
 * Mapped files: the fourth use of page faults, after lazy allocation,
 * copy-on-write and demand paging. mmap makes a region backed by an
 * image of the file (the pager borrows the process's open file from the
 * fs server), placed in the process's mmap area; a fault there reads the
 * page from the file, zero past its end. A private mapping's pages are
 * the process's own (fork copies them). A shared mapping's pages are
 * shared by parent and child after fork, and the ones written (the
 * kernel's dirty bit says which) go back to the file at munmap, exec and
 * exit; the file never grows.
 */
#include "pager.h"
#include "sys.h"

struct write_back {
	struct proc *p;
	struct region *r;
};

/* Write one present page of a shared mapping back to its file, if it was written. */
static void write_back_page(uint64_t va, uint64_t *entry, void *ctx)
{
	struct write_back *wb = ctx;
	uint64_t into = va - wb->r->start;
	int64_t bits = sys_page_bits((long)wb->p->space, va, 1);
	if (bits < 0 || !(bits & PAGE_DIRTY) || into >= wb->r->file_bytes)
		return;
	uint64_t n = wb->r->file_bytes - into < PAGE_SIZE ? wb->r->file_bytes - into : PAGE_SIZE;
	image_write(wb->r->image, wb->r->file_off + into, frame_ptr(pmap_pa(*entry)), n);
}

/* Write back the written pages of [start, end) of shared region r of p. */
void mmap_write_back(struct proc *p, struct region *r, uint64_t start, uint64_t end)
{
	struct write_back wb = { p, r };
	if (r->kind == REGION_MMAP && r->shared && p->space)
		pmap_walk(&p->pmap, start, end, write_back_page, &wb);
}

/* Write back every shared mapping of p (before exit or exec). */
void mmap_write_back_all(struct proc *p)
{
	for (int i = 0; i < p->map.count; i++)
		mmap_write_back(p, &p->map.r[i], p->map.r[i].start, p->map.r[i].end);
}

/* Rights for mmap protections; 0 if they make no sense. */
static uint64_t prot_rights(uint64_t prot)
{
	if (!(prot & MMAP_PROT_READ) || (prot & ~(MMAP_PROT_READ | MMAP_PROT_WRITE)))
		return 0;
	return RIGHT_R | ((prot & MMAP_PROT_WRITE) ? RIGHT_W : 0);
}

/* mmap(len, prot, flags, fd, off): the mapping's address, or an error. */
int64_t mmap_map(struct proc *p, uint64_t len, uint64_t prot_flags, long fd, uint64_t off)
{
	uint64_t rights = prot_rights(prot_flags & ((1UL << MMAP_FLAGS_SHIFT) - 1));
	uint64_t flags = prot_flags >> MMAP_FLAGS_SHIFT;
	if (!rights || len == 0 || off % PAGE_SIZE || (flags != MMAP_SHARED && flags != MMAP_PRIVATE))
		return -E_INVAL;
	uint64_t start = region_gap(&p->map, PROC_MMAP_BASE, PROC_MMAP_TOP, PAGE_UP(len));
	long pfd = start ? fs_dup_from(p->tid, fd) : -E_NOMEM;
	int img = pfd < 0 ? (int)pfd : image_open_fd(pfd);
	if (img < 0)
		return img;
	uint64_t size = image_size(img), end = start + PAGE_UP(len);
	if (region_add(&p->map, start, end, rights, REGION_MMAP)) {
		image_unref(img);
		return -E_NOMEM;
	}
	struct region *r = region_find(&p->map, start);
	r->image = img;
	r->file_off = off;
	r->file_bytes = off >= size ? 0 : size - off < len ? size - off : len;
	r->shared = flags == MMAP_SHARED;
	if (p->system)
		proc_populate(p, start, end);
	return (int64_t)start;
}

/* munmap(va, len): the whole mapping, or a piece at its start or end. */
int64_t mmap_unmap(struct proc *p, uint64_t va, uint64_t len)
{
	struct region *r = region_find(&p->map, va);
	uint64_t end = va + PAGE_UP(len);
	if (!r || r->kind != REGION_MMAP || va % PAGE_SIZE || len == 0 || end > r->end ||
	    (va != r->start && end != r->end))
		return -E_INVAL;
	mmap_write_back(p, r, va, end);
	proc_unmap_range(p, va, end);
	if (va == r->start && end == r->end) {
		image_unref(r->image);
		region_remove(&p->map, r);
	} else if (va == r->start) {
		uint64_t cut = end - r->start;
		r->file_off += cut;
		r->file_bytes = r->file_bytes > cut ? r->file_bytes - cut : 0;
		r->start = end;
	} else {
		r->end = va;
	}
	return 0;
}
