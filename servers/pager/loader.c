/*
 * Loading a program: for a new process, or replacing the program of a
 * running one (exec). The ELF comes from an image (image.c: the boot
 * archive or a file on the fs server). Its segments must lie in the
 * program area [USER_BASE, PROGRAM_TOP), below the heap's limit, so the
 * heap that follows them starts inside its own bounds and no segment
 * reaches the mmap area, the stack or the servers' windows. Nothing is
 * copied at load time:
 * each PT_LOAD segment becomes a region backed by the image, so its pages
 * are read in on first touch (demand paging) and the rest of data and bss
 * is zero-filled. The heap starts empty after the image; the stack is
 * lazily filled, with an unmapped guard page under it, and its top page
 * holds the start-up block (argc, argv), whose arguments must fit in that
 * page. Servers (p->system) get every page up front instead, so they
 * never fault.
 *
 * Everything that can fail on a bad file is checked before the old
 * program is touched, so a failed exec returns an error to a caller that
 * goes on running.
 */
#include <string.h>
#include "pager.h"
#include "elf.h"
#include "sys.h"
#include "abi/pager.h"

#define PAGE_RESERVE 4                /* frames one page may need: pmap nodes and the page */
#define ARG_ROOM (PAGE_SIZE - sizeof(struct start_info))   /* bytes for argument strings */

static char header[PAGE_SIZE];      /* ELF header and program headers */

/* How many bytes of the page at offset `into` of region r come from its image (the rest is zero). */
static uint64_t page_file_bytes(const struct region *r, uint64_t into)
{
	return r->file_bytes - into < PAGE_SIZE ? r->file_bytes - into : PAGE_SIZE;
}

/* Read the page at offset `into` of region r from its image into frame *pa (freed on failure). A decision. */
static __attribute__((noinline)) int read_image_page(struct region *r, uint64_t into, uint64_t *pa)
{
	uint64_t n = page_file_bytes(r, into);
	if (image_read(r->image, r->file_off + into, frame_ptr(*pa), n) != (long)n) {
		frame_unref(*pa);
		*pa = 0;
		return DECIDE_KILL;
	}
	return DECIDE_FILE_FILL;
}

/* The page at offset `into` of region r, from a file on the fs server, for p's fault: read by the reader thread. A decision. */
static __attribute__((noinline)) int read_page_later(struct proc *p, struct region *r, uint64_t into, uint64_t *pa)
{
	return file_read_page(p, r->image, r->file_off + into, page_file_bytes(r, into), pa);
}

/*
 * Give va (in region r of p) a frame: read from r's image, or zeroed;
 * for a fault's answer (answer), zeroed perhaps later, and a file page
 * on the fs server read by the reader thread while the fault waits. A
 * decision.
 */
static HOT_PATH int fill_page(struct proc *p, struct region *r, uint64_t va, uint64_t *pa, int answer)
{
	uint64_t into = va - r->start;
	int zero = r->image < 0 || into >= r->file_bytes;
	if (!zero && answer && image_on_fs(r->image) && file_reads_on())
		return read_page_later(p, r, into, pa);
	*pa = zero && answer ? frame_alloc_answer() : frame_alloc();
	if (!*pa)
		return DECIDE_OOM;
	if (zero) {
		frame_set_fresh(*pa, 1);        /* zeroes, as a fill makes them again: clean until written (evict.c) */
		return DECIDE_ZERO_FILL;
	}
	return read_image_page(r, into, pa);
}

/* Give va (in region r of p) a frame: read from r's image, or zeroed. Returns a decision. */
int proc_fill_page(struct proc *p, struct region *r, uint64_t va, uint64_t *pa)
{
	return fill_page(p, r, va, pa, 0);
}

/*
 * The same for the page a fault's answer maps, and nothing else does
 * first: its zeroing may come later (frame_alloc_answer), and a page of a
 * file on the fs server is read by the reader thread while the fault
 * waits (fileread.c).
 */
int proc_fill_answer_page(struct proc *p, struct region *r, uint64_t va, uint64_t *pa)
{
	return fill_page(p, r, va, pa, 1);
}

/*
 * Fill and map every page of [start, end) that is not present yet; with
 * wait, as long as it takes the swap disk to make room, without (fault-
 * around) only while frames can be had now. 0, or -E_NOMEM.
 */
int proc_populate(struct proc *p, uint64_t start, uint64_t end, int wait)
{
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		struct region *r = region_find(&p->map, va);
		uint64_t *slot = pmap_slot(&p->pmap, va, 0), pa;
		if (!r || (slot && *slot))
			continue;
		int room = wait ? ensure_free(p, PAGE_RESERVE) : fault_room(p, PAGE_RESERVE);
		if (room || proc_fill_page(p, r, va, &pa) == DECIDE_OOM || !pa)
			return -E_NOMEM;
		int err = proc_map_page(p, va, pa, r->rights);
		if (err) {
			frame_unref(pa);
			return err;
		}
		proc_note_frame(p, r, va, pa);
	}
	return 0;
}

/* Read and check the ELF header of img; the header, or NULL. */
static const struct elf_header *read_header(int img)
{
	long n = image_read(img, 0, header, sizeof(header));
	const struct elf_header *h = (const void *)header;
	if (n < (long)sizeof(*h) || h->phoff > (uint64_t)n ||
	    (uint64_t)h->phnum * sizeof(struct elf_phdr) > (uint64_t)n - h->phoff)
		return NULL;
	return elf_check(header, image_size(img), USER_BASE, PROGRAM_TOP, PAGE_SIZE);
}

/* Build the region map of img's program into m; the entry point, or 0 on a bad file. */
static uint64_t build_map(int img, struct region_map *m, uint64_t *heap_start)
{
	const struct elf_header *h = read_header(img);
	memset(m, 0, sizeof(*m));
	*heap_start = USER_BASE;
	for (int i = 0; h && i < h->phnum; i++) {
		const struct elf_phdr *ph = elf_phdr(h, i);
		uint64_t rights = elf_rights(ph->flags), end = PAGE_UP(ph->vaddr + ph->memsz);
		if (ph->type != PT_LOAD)
			continue;
		if (region_add(m, ph->vaddr, end, rights, (rights & RIGHT_W) ? REGION_DATA : REGION_TEXT))
			return 0;
		struct region *r = region_find(m, ph->vaddr);
		if (r) {
			r->image = img;
			r->file_off = ph->offset;
			r->file_bytes = ph->filesz;
		}
		*heap_start = end > *heap_start ? end : *heap_start;
	}
	if (!h || region_add(m, *heap_start, *heap_start, RIGHT_R | RIGHT_W, REGION_HEAP) ||
	    region_add(m, STACK_BOTTOM, STACK_TOP, RIGHT_R | RIGHT_W, REGION_STACK))
		return 0;
	return h->entry;
}

/* Give up p's pages and image references, keeping its address space. */
static void release_program(struct proc *p)
{
	mmap_write_back_all(p);
	proc_unmap_range(p, 0, PMAP_TOP);      /* every record, wherever it is */
	pmap_destroy(&p->pmap);
	for (int i = 0; i < p->map.count; i++)
		image_unref(p->map.r[i].image);
	p->map.count = 0;
}

/* Do argc arguments, each with its NUL, fit after the start-up block in its page? */
static int args_fit(int argc, char *const argv[])
{
	uint64_t used = 0;
	if (argc < 0 || argc > START_MAX_ARGS)
		return 0;
	for (int i = 0; i < argc; i++) {
		uint64_t n = strlen(argv[i]) + 1;
		if (n > ARG_ROOM - used)
			return 0;
		used += n;
	}
	return 1;
}

/* Write the start-up block into the top stack page (args_fit said yes); return its address in *sp. */
static int write_start_block(struct proc *p, int argc, char *const argv[], uint64_t *sp)
{
	uint64_t pa = frame_alloc();
	uint64_t page_va = STACK_TOP - PAGE_SIZE;
	if (!pa)
		return -E_NOMEM;
	struct start_info *si = frame_ptr(pa);
	char *strings = (char *)(si + 1);
	si->magic = START_MAGIC;
	si->pager_tid = pager_tid;
	si->fs_tid = fs_tid;
	si->argc = argc;
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;
		memcpy(strings, argv[i], n);
		si->argv[i] = (char *)(page_va + (uint64_t)(strings - (char *)si));
		strings += n;
	}
	*sp = page_va;
	int err = proc_map_page(p, page_va, pa, RIGHT_R | RIGHT_W);
	if (err)
		frame_unref(pa);
	return err;
}

/*
 * Load image img (whose reference the caller hands over) into p: a new
 * process if p has no thread yet, else exec, which restarts p's thread.
 * A bad file, or arguments that do not fit the start-up page, fail with
 * -E_INVAL before the old program is touched.
 */
int proc_load(struct proc *p, int img, int argc, char *const argv[])
{
	struct region_map map;
	uint64_t heap_start, sp = 0;
	uint64_t entry = args_fit(argc, argv) ? build_map(img, &map, &heap_start) : 0;
	for (int i = 0; entry && i < map.count; i++)
		if (map.r[i].image >= 0)
			image_ref(map.r[i].image);
	image_unref(img);               /* the regions hold their own references now */
	if (!entry)
		return -E_INVAL;
	if (!p->space) {
		long space = pager_space_create(p);
		if (space < 0)
			return (int)space;
		p->space = (uint64_t)space;
	}
	release_program(p);
	p->map = map;
	p->heap_start = p->brk = heap_start;
	int err = write_start_block(p, argc, argv, &sp);
	if (!err && p->system)
		for (int i = 0; !err && i < p->map.count; i++)
			err = proc_populate(p, p->map.r[i].start, p->map.r[i].end, 1);
	if (err)
		return err;
	if (p->tid)
		return (int)sys_thread_restart(p->tid, entry, sp, sp);
	long tid = sys_thread_create((long)p->space, entry, sp);      /* runs at proc_start */
	if (tid < 0)
		return (int)tid;
	proc_set_tid(p, tid);
	return 0;
}
