/*
 * Flattened device tree parser. An FDT blob starts with a 40-byte header of
 * big-endian 32-bit fields: magic 0xd00dfeed, total size, and the offsets and
 * sizes of the memory reservation map (unused here), the structure block and
 * the strings block. The structure block is a pre-order walk of the tree as
 * big-endian 32-bit tokens: BEGIN_NODE plus the node's NUL-terminated name,
 * PROP plus value length, name offset into the strings block and the value
 * bytes, END_NODE, NOP (ignored) and a final END. Names and values are padded
 * to 4 bytes; a node's properties precede its children. A "reg" value is a
 * list of (address, size) pairs of #address-cells and #size-cells 32-bit
 * cells, counts taken from the parent node. Every read is checked against
 * the block bounds, which are checked against totalsize and max_size.
 */
#include <stddef.h>
#include <stdint.h>
#include "dtb.h"

#define FDT_MAGIC       0xd00dfeedu
#define FDT_HEADER_SIZE 40u
#define FDT_VERSION_MIN 17u  /* first version with size_dt_struct */
#define FDT_CELL        4u   /* bytes per token, header field or cell */
#define FDT_MAX_DEPTH   16   /* deepest node nesting accepted */
#define FDT_ROOT_CELLS  2u   /* default #address-cells and #size-cells */
#define FDT_MAX_CELLS   2u   /* widest number decoded: 64 bits */

/* Structure block tokens. */
enum { FDT_BEGIN_NODE = 1, FDT_END_NODE = 2, FDT_PROP = 3, FDT_NOP = 4, FDT_END = 9 };

/* Header fields, as indices of 32-bit words; hdr() reads one. */
enum { HDR_MAGIC, HDR_TOTALSIZE, HDR_OFF_STRUCT, HDR_OFF_STRINGS, HDR_OFF_RSVMAP,
	HDR_VERSION, HDR_LAST_COMP_VERSION, HDR_BOOT_CPUID, HDR_SIZE_STRINGS, HDR_SIZE_STRUCT };
#define hdr(h, field) be32((h) + (unsigned)(field) * FDT_CELL)

/* Errors: bad header or block bounds, bad token stream, nesting too deep. */
enum { DTB_EHEADER = -1, DTB_ESTRUCT = -2, DTB_EDEPTH = -3 };

enum node_kind { NODE_OTHER, NODE_MEMORY, NODE_CPUS, NODE_CHOSEN, NODE_UART, NODE_PLIC, NODE_VIRTIO };

struct node {
	uint32_t acells, scells;  /* this node's cells, used by its children */
	enum node_kind kind;
	int has_reg;
	uint64_t base, size;      /* first reg range */
	uint32_t irq;             /* first "interrupts" cell */
};

struct walk {
	const uint8_t *blob;
	uint32_t pos, end;        /* cursor and limit in the structure block */
	uint32_t strs, strs_size; /* strings block */
	int depth;                /* open nodes; stack[depth - 1] is current */
	int root_done, memory_done;
	struct node stack[FDT_MAX_DEPTH];
	struct dtb_info *out;
};

/* Read a big-endian 32-bit value from possibly unaligned memory. */
static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Read a number made of n (0..2) big-endian cells. */
static uint64_t be_cells(const uint8_t *p, uint32_t n)
{
	uint64_t v = 0;
	for (uint32_t i = 0; i < n; i++)
		v = v << 32 | be32(p + i * FDT_CELL);
	return v;
}

/* Compare two NUL-terminated strings for equality. */
static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) { a++; b++; }
	return *a == *b;
}

/* True if node name is base, or base followed by "@unit-address". */
static int name_is(const char *name, const char *base)
{
	while (*base && *name == *base) { name++; base++; }
	return *base == '\0' && (*name == '\0' || *name == '@');
}

/* True if the NUL-separated string list of len bytes contains want. */
static int strlist_has(const uint8_t *list, uint32_t len, const char *want)
{
	for (uint32_t i = 0; i < len; i++) {
		uint32_t j = 0;
		while (i + j < len && list[i + j] && want[j] == (char)list[i + j]) j++;
		if (want[j] == '\0' && (i + j == len || list[i + j] == '\0')) return 1;
		while (i < len && list[i]) i++;
	}
	return 0;
}

/* Length of the NUL-terminated string at p, or -1 if none within max bytes. */
static int64_t bounded_len(const uint8_t *p, uint32_t max)
{
	for (uint32_t i = 0; i < max; i++)
		if (p[i] == '\0') return i;
	return -1;
}

/* Take the next 32-bit token or field from the structure block. */
static int next_u32(struct walk *w, uint32_t *v)
{
	if (w->end - w->pos < FDT_CELL) return DTB_ESTRUCT;
	*v = be32(w->blob + w->pos);
	w->pos += FDT_CELL;
	return 0;
}

/* Advance past len bytes plus padding to the next cell boundary. */
static int skip_padded(struct walk *w, uint32_t len)
{
	uint64_t padded = ((uint64_t)len + FDT_CELL - 1) & ~(uint64_t)(FDT_CELL - 1);
	if (padded > w->end - w->pos) return DTB_ESTRUCT;
	w->pos += (uint32_t)padded;
	return 0;
}

/* Fill one virtio entry field by field (a struct copy may call memcpy). */
static void set_virtio(struct dtb_virtio *d, uint64_t base, uint64_t size, uint32_t irq)
{
	d->base = base;
	d->size = size;
	d->irq = irq;
}

/* Insert a virtio device, keeping the list sorted by base address. */
static void add_virtio(struct dtb_info *out, const struct node *n)
{
	uint32_t i = out->nvirtio;
	if (i >= DTB_MAX_VIRTIO) return;
	for (; i > 0 && out->virtio[i - 1].base > n->base; i--)
		set_virtio(&out->virtio[i], out->virtio[i - 1].base, out->virtio[i - 1].size,
			   out->virtio[i - 1].irq);
	set_virtio(&out->virtio[i], n->base, n->size, n->irq);
	out->nvirtio++;
}

/* Record what a just-closed node told us, according to its kind. */
static void finish_node(struct walk *w, const struct node *n)
{
	struct dtb_info *out = w->out;
	if (!n->has_reg) return;
	if (n->kind == NODE_MEMORY && !w->memory_done) {
		out->mem_base = n->base;
		out->mem_size = n->size;
		w->memory_done = 1;
	} else if (n->kind == NODE_UART && !out->uart_base) {
		out->uart_base = n->base;
		out->uart_irq = n->irq;
	}
	else if (n->kind == NODE_PLIC && !out->plic_base) {
		out->plic_base = n->base;
		out->plic_size = n->size;
	} else if (n->kind == NODE_VIRTIO) add_virtio(out, n);
}

/* Handle BEGIN_NODE: push a node and classify it by name and position. */
static int begin_node(struct walk *w)
{
	const char *name = (const char *)w->blob + w->pos;
	int64_t len = bounded_len(w->blob + w->pos, w->end - w->pos);
	if (len < 0 || w->root_done) return DTB_ESTRUCT;
	if (w->depth >= FDT_MAX_DEPTH) return DTB_EDEPTH;
	struct node *n = &w->stack[w->depth++];
	n->acells = n->scells = FDT_ROOT_CELLS;
	n->kind = NODE_OTHER;
	n->has_reg = 0;
	n->base = n->size = 0;
	n->irq = 0;
	if (w->depth == 2 && name_is(name, "memory")) n->kind = NODE_MEMORY;
	if (w->depth == 2 && str_eq(name, "cpus")) n->kind = NODE_CPUS;
	if (w->depth == 2 && str_eq(name, "chosen")) n->kind = NODE_CHOSEN;
	if (w->depth == 3 && w->stack[1].kind == NODE_CPUS && name_is(name, "cpu"))
		w->out->harts++;
	return skip_padded(w, (uint32_t)len + 1);
}

/* Handle END_NODE: pop the current node and record its data. */
static int end_node(struct walk *w)
{
	if (w->depth == 0) return DTB_ESTRUCT;
	finish_node(w, &w->stack[--w->depth]);
	w->root_done = w->depth == 0;
	return 0;
}

/* Decode the first (address, size) pair of node n's reg, using the parent's cells. */
static void take_reg(struct walk *w, struct node *n, const uint8_t *v, uint32_t len)
{
	if (w->depth < 2) return;  /* the root has no parent and no useful reg */
	uint32_t ac = w->stack[w->depth - 2].acells, sc = w->stack[w->depth - 2].scells;
	if (ac == 0 || ac > FDT_MAX_CELLS || sc > FDT_MAX_CELLS) return;
	if (len < (ac + sc) * FDT_CELL) return;
	n->base = be_cells(v, ac);
	n->size = be_cells(v + ac * FDT_CELL, sc);
	n->has_reg = 1;
}

/* Copy a bootargs value into out, stopping at NUL, len or the buffer end. */
static void take_bootargs(struct dtb_info *out, const uint8_t *v, uint32_t len)
{
	uint32_t i;
	for (i = 0; i < len && i < DTB_ARGS_MAX - 1 && v[i]; i++)
		out->bootargs[i] = (char)v[i];
	out->bootargs[i] = '\0';
}

/* Classify node n by its compatible string list. */
static void take_compatible(struct node *n, const uint8_t *v, uint32_t len)
{
	if (strlist_has(v, len, "ns16550a"))
		n->kind = NODE_UART;
	else if (strlist_has(v, len, "riscv,plic0") || strlist_has(v, len, "sifive,plic-1.0.0"))
		n->kind = NODE_PLIC;
	else if (strlist_has(v, len, "virtio,mmio"))
		n->kind = NODE_VIRTIO;
}

/* Apply one property (name, value) to the current node. */
static void apply_prop(struct walk *w, const char *name, const uint8_t *v, uint32_t len)
{
	struct node *n = &w->stack[w->depth - 1];
	int one_cell = len >= FDT_CELL;
	if (str_eq(name, "#address-cells") && one_cell) n->acells = be32(v);
	else if (str_eq(name, "#size-cells") && one_cell) n->scells = be32(v);
	else if (str_eq(name, "interrupts") && one_cell) n->irq = be32(v);
	else if (str_eq(name, "reg")) take_reg(w, n, v, len);
	else if (str_eq(name, "compatible")) take_compatible(n, v, len);
	else if (str_eq(name, "bootargs") && n->kind == NODE_CHOSEN) take_bootargs(w->out, v, len);
	else if (str_eq(name, "timebase-frequency") && n->kind == NODE_CPUS &&
		 (len == FDT_CELL || len == 2 * FDT_CELL))
		w->out->timebase_hz = be_cells(v, len / FDT_CELL);
}

/* Handle PROP: bounds-check its header, name and value, then apply it. */
static int prop(struct walk *w)
{
	uint32_t len, nameoff;
	if (w->depth == 0 || next_u32(w, &len) || next_u32(w, &nameoff)) return DTB_ESTRUCT;
	if (nameoff >= w->strs_size) return DTB_ESTRUCT;
	const uint8_t *name = w->blob + w->strs + nameoff;
	if (bounded_len(name, w->strs_size - nameoff) < 0) return DTB_ESTRUCT;
	const uint8_t *value = w->blob + w->pos;
	if (skip_padded(w, len)) return DTB_ESTRUCT;
	apply_prop(w, (const char *)name, value, len);
	return 0;
}

/* Walk the token stream until END; the tree must be complete by then. */
static int walk_struct(struct walk *w)
{
	for (;;) {
		uint32_t tok;
		int rc = next_u32(w, &tok);
		if (rc) return rc;
		if (tok == FDT_BEGIN_NODE) rc = begin_node(w);
		else if (tok == FDT_END_NODE) rc = end_node(w);
		else if (tok == FDT_PROP) rc = prop(w);
		else if (tok == FDT_END) return w->root_done ? 0 : DTB_ESTRUCT;
		else if (tok != FDT_NOP) rc = DTB_ESTRUCT;
		if (rc) return rc;
	}
}

/* True if the block [off, off + size) lies after the header, within total. */
static int block_ok(uint32_t off, uint32_t size, uint32_t total)
{
	return off >= FDT_HEADER_SIZE && (uint64_t)off + size <= total;
}

/* Validate the header and set up the walk's block bounds. */
static int check_header(struct walk *w, uint64_t max_size)
{
	const uint8_t *h = w->blob;
	if (max_size < FDT_HEADER_SIZE || hdr(h, HDR_MAGIC) != FDT_MAGIC) return DTB_EHEADER;
	uint32_t total = hdr(h, HDR_TOTALSIZE);
	uint32_t soff = hdr(h, HDR_OFF_STRUCT), ssize = hdr(h, HDR_SIZE_STRUCT);
	w->strs = hdr(h, HDR_OFF_STRINGS);
	w->strs_size = hdr(h, HDR_SIZE_STRINGS);
	if (total < FDT_HEADER_SIZE || total > max_size) return DTB_EHEADER;
	if (hdr(h, HDR_VERSION) < FDT_VERSION_MIN) return DTB_EHEADER;
	if (!block_ok(soff, ssize, total) || soff % FDT_CELL || ssize % FDT_CELL) return DTB_EHEADER;
	if (!block_ok(w->strs, w->strs_size, total)) return DTB_EHEADER;
	if (!block_ok(hdr(h, HDR_OFF_RSVMAP), 0, total)) return DTB_EHEADER;
	w->pos = soff;
	w->end = soff + ssize;
	return 0;
}

/* Reset every field of *out to zero / empty. */
static void clear_info(struct dtb_info *out)
{
	out->mem_base = out->mem_size = out->timebase_hz = 0;
	out->uart_base = out->plic_base = out->plic_size = 0;
	out->uart_irq = 0;
	out->harts = out->nvirtio = 0;
	for (int i = 0; i < DTB_MAX_VIRTIO; i++) set_virtio(&out->virtio[i], 0, 0, 0);
	out->bootargs[0] = '\0';
}

/* Parse the FDT at fdt (at most max_size bytes readable) into *out. */
int dtb_parse(const void *fdt, uint64_t max_size, struct dtb_info *out)
{
	struct walk w;
	clear_info(out);
	if (!fdt) return DTB_EHEADER;
	w.blob = fdt;
	w.out = out;
	w.depth = w.root_done = w.memory_done = 0;
	int rc = check_header(&w, max_size);
	return rc ? rc : walk_struct(&w);
}
