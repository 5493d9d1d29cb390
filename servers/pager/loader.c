/*
 * Loading a program into a new process. The ELF comes from an image: the
 * boot archive today, a file from the file-system server later; only
 * image_from_* knows where the bytes live. The loader copies every
 * PT_LOAD segment into fresh frames, records text and data regions, an
 * empty heap after the image, a lazily filled stack with a guard page
 * under it, and writes the start-up block (argc, argv) on the stack.
 */
#include <string.h>
#include "pager.h"
#include "elf.h"
#include "sys.h"
#include "abi/bootinfo.h"
#include "abi/pager.h"

static const struct archive_header *archive;
static uint64_t archive_size;

/* Remember where the boot archive is. */
void loader_init(const void *data, uint64_t size)
{
	archive = data;
	archive_size = size;
}

/* Find program `name` in the boot archive; 0 or -E_NOENT. */
int image_from_archive(const char *name, struct image *img)
{
	if (!archive || archive->magic != ARCHIVE_MAGIC ||
	    archive->count > (archive_size - sizeof(*archive)) / sizeof(struct archive_entry))
		return -E_NOENT;
	for (uint64_t i = 0; i < archive->count; i++) {
		const struct archive_entry *e = &archive->entries[i];
		if (strncmp(e->name, name, ARCHIVE_NAME_MAX) == 0 && e->offset <= archive_size &&
		    e->size <= archive_size - e->offset) {
			img->data = (const char *)archive + e->offset;
			img->size = e->size;
			return 0;
		}
	}
	return -E_NOENT;
}

/* Copy one segment into new frames, map it, and record its region. */
static int load_segment(struct proc *p, const struct image *img, const struct elf_phdr *ph)
{
	uint64_t rights = elf_rights(ph->flags);
	uint64_t end = PAGE_UP(ph->vaddr + ph->memsz);
	int err = region_add(&p->map, ph->vaddr, end, rights,
	                     (rights & RIGHT_W) ? REGION_DATA : REGION_TEXT);
	for (uint64_t off = 0; !err && ph->vaddr + off < end; off += PAGE_SIZE) {
		uint64_t pa = frame_alloc();
		if (!pa)
			return -E_NOMEM;
		if (off < ph->filesz) {
			uint64_t n = ph->filesz - off < PAGE_SIZE ? ph->filesz - off : PAGE_SIZE;
			memcpy(frame_ptr(pa), (const char *)img->data + ph->offset + off, n);
		}
		err = proc_map_page(p, ph->vaddr + off, pa, rights);
		if (err)
			frame_unref(pa);
	}
	if (end > p->heap_start)
		p->heap_start = p->brk = end;
	return err;
}

/* Write the start-up block into the top stack page; return its address. */
static int write_start_block(struct proc *p, int argc, char *const argv[], uint64_t *sp)
{
	uint64_t pa = frame_alloc();
	uint64_t page_va = STACK_TOP - PAGE_SIZE;
	if (!pa)
		return -E_NOMEM;
	struct start_info *si = frame_ptr(pa);
	char *strings = (char *)(si + 1), *limit = (char *)si + PAGE_SIZE;
	si->magic = START_MAGIC;
	si->pager_tid = pager_tid;
	si->argc = argc < START_MAX_ARGS ? argc : START_MAX_ARGS;
	for (int i = 0; i < si->argc; i++) {
		size_t n = strlen(argv[i]) + 1;
		if (n > (size_t)(limit - strings))
			n = 0;
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

/* Load img into p (which has no space yet) and start its thread. */
int proc_load(struct proc *p, const struct image *img, int argc, char *const argv[])
{
	const struct elf_header *h = elf_check(img->data, img->size, USER_BASE, GUARD_BOTTOM, PAGE_SIZE);
	if (!h)
		return -E_INVAL;
	long space = sys_space_create();
	if (space < 0)
		return (int)space;
	p->space = (uint64_t)space;
	int err = 0;
	for (int i = 0; !err && i < h->phnum; i++)
		if (elf_phdr(h, i)->type == PT_LOAD)
			err = load_segment(p, img, elf_phdr(h, i));
	uint64_t sp = 0;
	if (!err)
		err = region_add(&p->map, p->heap_start, p->heap_start, RIGHT_R | RIGHT_W, REGION_HEAP);
	if (!err)
		err = region_add(&p->map, STACK_BOTTOM, STACK_TOP, RIGHT_R | RIGHT_W, REGION_STACK);
	if (!err)
		err = write_start_block(p, argc, argv, &sp);
	long tid = err ? err : sys_thread_create(space, h->entry, sp, sp);
	if (tid < 0) {
		proc_free_memory(p);
		return (int)tid;
	}
	p->tid = tid;
	return 0;
}
