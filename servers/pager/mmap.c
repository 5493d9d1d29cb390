/*
 * Mapped files: the fourth use of page faults, after lazy allocation,
 * copy-on-write and demand paging, with the semantics of the xv6 mmap
 * lab. mmap makes a region backed by an image of the file (image.c),
 * placed in the process's mmap area; a fault there reads the page from
 * the file, zero past the end the file had at mmap. The pager pages
 * through a descriptor of its own (FS_REOPEN), and the fs server checks
 * the program's descriptor: every mapping needs it readable, and a
 * shared writable one needs it writable too (a private mapping may be
 * written whatever the mode: its pages never go back).
 *
 * A private mapping's pages are the process's own (fork copies them). A
 * shared mapping's pages are shared by parent and child after fork, and
 * the ones written (the kernel's dirty bit says which) go back to the
 * file at munmap, exec and exit, never past the end the file had at
 * mmap nor past the end it has at write-back: the file never grows, and
 * a file truncated meanwhile stays short. munmap reports a write-back
 * that failed (the pages are unmapped all the same); exec and exit have
 * no one to tell.
 */
#include "pager.h"
#include "sys.h"

#define MMAP_PROT_MASK ((1UL << MMAP_FLAGS_SHIFT) - 1)   /* prot's bits of PAGER_MMAP's w1 */
#define MMAP_LEN_MAX (PROC_MMAP_TOP - PROC_MMAP_BASE)    /* the whole mmap area */

struct write_back {
	struct proc *p;
	struct region *r;
	int have_end;              /* file_end is known (asked at the first written page) */
	uint64_t file_end;         /* the file's size at write-back */
	long err;                  /* the first failure, or 0 */
};

/* The smaller of a and b. */
static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Bytes of the page at `into` of wb's region that go back to the file (0: none); may ask the file's size. */
static uint64_t write_back_bytes(struct write_back *wb, uint64_t into)
{
	struct region *r = wb->r;
	if (into >= r->file_bytes)
		return 0;
	if (!wb->have_end) {
		long err = image_file_size(r->image, &wb->file_end);
		wb->have_end = 1;
		if (err < 0) {
			wb->err = err;
			wb->file_end = 0;
		}
	}
	uint64_t pos = r->file_off + into;   /* < the size at mmap: no overflow */
	if (pos >= wb->file_end)
		return 0;
	return min_u64(PAGE_SIZE, min_u64(r->file_bytes - into, wb->file_end - pos));
}

/* Write one present page of a shared mapping back to its file, if it was written. */
static void write_back_page(uint64_t va, uint64_t *entry, void *ctx)
{
	struct write_back *wb = ctx;
	int64_t bits = sys_page_bits((long)wb->p->space, va, 1);
	if (bits < 0 || !(bits & PAGE_DIRTY))
		return;
	uint64_t into = va - wb->r->start, n = write_back_bytes(wb, into);
	if (n == 0)
		return;
	long done = image_write(wb->r->image, wb->r->file_off + into, frame_ptr(pmap_pa(*entry)), n);
	if (done != (long)n && !wb->err)
		wb->err = done < 0 ? done : -E_NOMEM;   /* a short write: the disk is full */
}

/* Write back the written pages of [start, end) of shared region r of p; 0, or the first error. */
long mmap_write_back(struct proc *p, struct region *r, uint64_t start, uint64_t end)
{
	struct write_back wb = { p, r, 0, 0, 0 };
	if (r->kind == REGION_MMAP && r->shared && p->space)
		pmap_walk(&p->pmap, start, end, write_back_page, &wb);
	return wb.err;
}

/* Write back every shared mapping of p (before exit or exec). */
void mmap_write_back_all(struct proc *p)
{
	for (int i = 0; i < p->map.count; i++)
		mmap_write_back(p, &p->map.r[i], p->map.r[i].start, p->map.r[i].end);
}

/* Rights for mmap protections (write alone maps read-write, as RISC-V needs); 0 if they make no sense. */
static uint64_t prot_rights(uint64_t prot)
{
	if (prot == 0 || (prot & ~(MMAP_PROT_READ | MMAP_PROT_WRITE)))
		return 0;
	return RIGHT_R | ((prot & MMAP_PROT_WRITE) ? RIGHT_W : 0);
}

/* An image of p's open file fd, through a fresh descriptor of the pager's (writable if asked); or an error. */
static int mmap_image(struct proc *p, long fd, int writable)
{
	long mine = fs_reopen(p->tid, fd, writable);
	return mine < 0 ? (int)mine : image_open_fd(mine, writable);
}

/* Make region [start, end) of p map len bytes of image img from off; 0 or an error (img is then released). */
static int mmap_region(struct proc *p, uint64_t start, uint64_t end, uint64_t rights, int img,
                       uint64_t off, uint64_t len, int shared)
{
	uint64_t size = image_size(img);   /* the file's size now */
	if (region_add(&p->map, start, end, rights, REGION_MMAP)) {
		image_unref(img);
		return -E_NOMEM;
	}
	struct region *r = region_find(&p->map, start);
	r->image = img;
	r->file_off = off;
	r->file_bytes = off >= size ? 0 : min_u64(size - off, len);
	r->shared = shared;
	return 0;
}

/* mmap(len, prot, flags, fd, off): the mapping's address, or an error. */
int64_t mmap_map(struct proc *p, uint64_t len, uint64_t prot_flags, long fd, uint64_t off)
{
	uint64_t rights = prot_rights(prot_flags & MMAP_PROT_MASK);
	uint64_t flags = prot_flags >> MMAP_FLAGS_SHIFT;
	if (!rights || len == 0 || off % PAGE_SIZE || (flags != MMAP_SHARED && flags != MMAP_PRIVATE))
		return -E_INVAL;
	if (len > MMAP_LEN_MAX)
		return -E_NOMEM;              /* checked first, so PAGE_UP(len) cannot wrap */
	int shared = flags == MMAP_SHARED;
	uint64_t start = region_gap(&p->map, PROC_MMAP_BASE, PROC_MMAP_TOP, PAGE_UP(len));
	int img = start ? mmap_image(p, fd, shared && (rights & RIGHT_W)) : -E_NOMEM;
	uint64_t end = start + PAGE_UP(len);
	int err = img < 0 ? img : mmap_region(p, start, end, rights, img, off, len, shared);
	if (err < 0)
		return err;
	if (p->system)
		proc_populate(p, start, end, 1);
	return (int64_t)start;
}

/* Take [va, end) off region r of p: all of it, or a piece at its start or its end. */
static void mmap_cut(struct proc *p, struct region *r, uint64_t va, uint64_t end)
{
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
}

/* munmap(va, len): the whole mapping, or a piece at its start or end; 0 or an error (a failed write-back too). */
int64_t mmap_unmap(struct proc *p, uint64_t va, uint64_t len)
{
	struct region *r = region_find(&p->map, va);
	if (!r || r->kind != REGION_MMAP || va % PAGE_SIZE || len == 0 || len > r->end - va)
		return -E_INVAL;
	uint64_t end = va + PAGE_UP(len);      /* <= r->end: len fits, and r->end is page aligned */
	if (va != r->start && end != r->end)
		return -E_INVAL;                   /* no hole in the middle */
	long err = mmap_write_back(p, r, va, end);
	proc_unmap_range(p, va, end);
	mmap_cut(p, r, va, end);
	return err;
}
