/*
 * The subset of ELF-64 that the kernel (loading the pager) and the pager
 * (loading programs) need, with one bounds-checking validator for both.
 * Field layout per the System V ABI / ELF-64 specification.
 */
#ifndef ELF_H
#define ELF_H

#include <stdint.h>
#include "abi/syscall.h"

#define ELF_MAGIC 0x464c457fU        /* "\177ELF" little-endian */
#define ELF_CLASS64 2
#define ELF_DATA_LSB 1
#define ELF_MACHINE_RISCV 243
#define ELF_TYPE_EXEC 2
#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4

struct elf_header {
	uint32_t magic;
	uint8_t class, data, version, osabi;
	uint8_t pad[8];
	uint16_t type, machine;
	uint32_t version2;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* Section headers and symbols: only the pager's symboliser reads them (SHT_SYMTAB, its linked strtab). */
#define SHT_SYMTAB 2
#define STT_FUNC 2
#define ELF_ST_TYPE(info) ((info) & 0xf)

struct elf_shdr {
	uint32_t name, type;
	uint64_t flags, addr, offset, size;
	uint32_t link, info;
	uint64_t addralign, entsize;
};

struct elf_sym {
	uint32_t name;
	uint8_t info, other;
	uint16_t shndx;
	uint64_t value, size;
};

_Static_assert(sizeof(struct elf_header) == 64, "ELF-64 header");
_Static_assert(sizeof(struct elf_shdr) == 64, "ELF-64 section header");
_Static_assert(sizeof(struct elf_sym) == 24, "ELF-64 symbol");
_Static_assert(sizeof(struct elf_phdr) == 56, "ELF-64 program header");

/*
 * Check an ELF image of `size` bytes for loading into [lo, hi): header,
 * program-header table and every PT_LOAD segment in bounds, segments page
 * aligned and inside [lo, hi). Returns the header, or 0 if it is unfit.
 */
static inline const struct elf_header *elf_check(const void *image, uint64_t size,
                                                 uint64_t lo, uint64_t hi, uint64_t page)
{
	const struct elf_header *h = image;
	if (size < sizeof(*h) || h->magic != ELF_MAGIC || h->class != ELF_CLASS64 ||
	    h->data != ELF_DATA_LSB || h->machine != ELF_MACHINE_RISCV ||
	    h->type != ELF_TYPE_EXEC || h->phentsize != sizeof(struct elf_phdr) ||
	    h->phoff > size || (uint64_t)h->phnum * sizeof(struct elf_phdr) > size - h->phoff)
		return 0;
	const struct elf_phdr *ph = (const void *)((const char *)image + h->phoff);
	for (int i = 0; i < h->phnum; i++) {
		if (ph[i].type != PT_LOAD)
			continue;
		if (ph[i].offset > size || ph[i].filesz > size - ph[i].offset ||
		    ph[i].filesz > ph[i].memsz || ph[i].vaddr % page || ph[i].vaddr < lo ||
		    ph[i].vaddr >= hi || ph[i].memsz > hi - ph[i].vaddr)
			return 0;
	}
	return h->entry >= lo && h->entry < hi ? h : 0;
}

/* The i-th program header of a checked image. */
static inline const struct elf_phdr *elf_phdr(const struct elf_header *h, int i)
{
	return (const struct elf_phdr *)((const char *)h + h->phoff) + i;
}

/* The mapping rights (RIGHT_*) for a segment's PF_* flags; writable implies readable. */
static inline uint64_t elf_rights(uint32_t flags)
{
	return ((flags & PF_R) ? RIGHT_R : 0) | ((flags & PF_W) ? RIGHT_W | RIGHT_R : 0) |
	       ((flags & PF_X) ? RIGHT_X : 0);
}

#endif
