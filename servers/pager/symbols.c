/*
 * Symbols: turn a program counter into "function+0xoffset" for the fault
 * trace and the kill line, from the ELF symbol table (.symtab, with the
 * string table its section header links) of the image the pc's region was
 * loaded from. Programs are linked with their symbols, not stripped.
 *
 * Only the slow paths call this (a trace line, a kill), never the fault
 * fast path. The first lookup in an image finds its symbol table from the
 * section headers and caches where it lies (struct symtab_info, one per
 * image); each lookup then reads the symbols a buffer at a time (FS_PREAD
 * for a program on disk, as a file-fill fault does) and keeps the function
 * with the highest start at or below the pc that contains it. Everything
 * read from the file is bounds-checked against the image's size: a
 * malformed or stripped image just gives no symbol.
 */
#include <stdio.h>
#include <string.h>
#include "pager.h"
#include "elf.h"

#define SHDR_BUF_MAX (PAGE_SIZE / sizeof(struct elf_shdr))   /* section headers read at once */
#define SYM_BUF_MAX (PAGE_SIZE / sizeof(struct elf_sym))     /* symbols read at once */
#define SYMBOL_NAME_MAX 32                                    /* bytes of a name printed */

static union {
	struct elf_header h;
	struct elf_shdr sh[SHDR_BUF_MAX];
	struct elf_sym sym[SYM_BUF_MAX];
} buf;

/* Does [off, off + len) lie inside image img? */
static int in_image(int img, uint64_t off, uint64_t len)
{
	uint64_t size = image_size(img);
	return off <= size && len <= size - off;
}

/* Find img's .symtab and its string table from the section headers into *t; SYMTAB_FOUND or SYMTAB_NONE. */
static int find_symtab(int img, struct symtab_info *t)
{
	if (image_read(img, 0, &buf.h, sizeof(buf.h)) != (long)sizeof(buf.h) || buf.h.magic != ELF_MAGIC ||
	    buf.h.shentsize != sizeof(struct elf_shdr) || buf.h.shnum == 0 || buf.h.shnum > SHDR_BUF_MAX)
		return SYMTAB_NONE;
	uint64_t shoff = buf.h.shoff, shnum = buf.h.shnum, bytes = shnum * sizeof(struct elf_shdr);
	if (!in_image(img, shoff, bytes) || image_read(img, shoff, buf.sh, bytes) != (long)bytes)
		return SYMTAB_NONE;
	for (uint64_t i = 0; i < shnum; i++) {
		const struct elf_shdr *s = &buf.sh[i];
		if (s->type != SHT_SYMTAB || s->link >= shnum || s->entsize != sizeof(struct elf_sym))
			continue;
		const struct elf_shdr *str = &buf.sh[s->link];
		if (!in_image(img, s->offset, s->size) || !in_image(img, str->offset, str->size))
			return SYMTAB_NONE;
		*t = (struct symtab_info){ SYMTAB_FOUND, s->offset, s->size / sizeof(struct elf_sym),
		                           str->offset, str->size };
		return SYMTAB_FOUND;
	}
	return SYMTAB_NONE;
}

/* The function symbol of img that contains pc, with the highest start; 0 if none (*best untouched). */
static int best_function(int img, const struct symtab_info *t, uint64_t pc, struct elf_sym *best)
{
	int found = 0;
	for (uint64_t i = 0; i < t->sym_count; i += SYM_BUF_MAX) {
		uint64_t n = t->sym_count - i < SYM_BUF_MAX ? t->sym_count - i : SYM_BUF_MAX;
		uint64_t bytes = n * sizeof(struct elf_sym);
		if (image_read(img, t->sym_off + i * sizeof(struct elf_sym), buf.sym, bytes) != (long)bytes)
			return found;
		for (uint64_t j = 0; j < n; j++) {
			const struct elf_sym *s = &buf.sym[j];
			int inside = s->value <= pc && (s->size == 0 || pc - s->value < s->size);
			if (ELF_ST_TYPE(s->info) == STT_FUNC && s->name && inside &&
			    (!found || s->value > best->value)) {
				*best = *s;
				found = 1;
			}
		}
	}
	return found;
}

/* Read symbol s's name from img's string table into name (NUL-terminated, cut short); 0 or -1. */
static int symbol_name(int img, const struct symtab_info *t, const struct elf_sym *s, char *name)
{
	if (s->name >= t->str_size)
		return -1;
	uint64_t n = t->str_size - s->name < SYMBOL_NAME_MAX - 1 ? t->str_size - s->name : SYMBOL_NAME_MAX - 1;
	long got = image_read(img, t->str_off + s->name, name, n);
	if (got <= 0)
		return -1;
	name[got] = '\0';
	return name[0] ? 0 : -1;
}

/*
 * Write "function+0xoffset" for pc in process p into buf (size bytes);
 * 1 if a symbol was found, else 0 with buf "". Slow: reads the image.
 */
int symbolise(struct proc *p, uint64_t pc, char *out, uint64_t size)
{
	const struct region *r = region_find(&p->map, pc);
	struct elf_sym best;
	char name[SYMBOL_NAME_MAX];
	out[0] = '\0';
	if (!r || r->image < 0)
		return 0;
	struct symtab_info *t = image_symtab(r->image);
	if (t->state == SYMTAB_UNKNOWN)
		t->state = find_symtab(r->image, t);
	if (t->state != SYMTAB_FOUND || !best_function(r->image, t, pc, &best) ||
	    symbol_name(r->image, t, &best, name))
		return 0;
	snprintf(out, size, "%s+0x%lx", name, (unsigned long)(pc - best.value));
	return 1;
}
