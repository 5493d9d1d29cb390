/*
 * Host unit test for microkernel/dtb.c.
 *
 * Usage: test_dtb tests/host/virt.dtb
 * virt.dtb is QEMU's virt machine tree (-m 128M -smp 2, bootargs
 * "pager.trace=1 run=ktests"). Prints one "@@ PASS host/dtb_<name>" or
 * "@@ FAIL host/dtb_<name> <reason>" line per check; exits 0 iff all pass.
 * Every blob handed to dtb_parse lives in a malloc'd buffer of exactly
 * max_size bytes, so a build with -fsanitize=address catches any overread.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtb.h"

#define FDT_MAGIC        0xd00dfeedu
#define HDR_TOTALSIZE    4
#define HDR_OFF_STRUCT   8
#define HDR_OFF_STRINGS  12
#define HDR_SIZE_STRINGS 32
#define HDR_SIZE_STRUCT  36
#define HDR_SIZE         40
#define TOK_BEGIN_NODE   1
#define TOK_END_NODE     2
#define TOK_PROP         3
#define TOK_END          9

#define MiB              (1024u * 1024u)
#define FUZZ_ROUNDS      2000
#define FUZZ_SEED        0x9e3779b97f4a7c15ull
#define FUZZ_MAX_FLIPS   8

static const char *g_bootargs = "pager.trace=1 run=ktests";
static uint8_t *g_dtb;          /* the real blob */
static size_t g_len;
static int g_failed;
static char g_why[256];         /* reason of the current check's failure */

/* Record a failure reason (first one wins) and return 0. */
static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;
	if (g_why[0]) return 0;
	va_start(ap, fmt);
	vsnprintf(g_why, sizeof g_why, fmt, ap);
	va_end(ap);
	return 0;
}

/* Run one named check and print its result line. */
static void run(const char *name, int (*check)(void))
{
	g_why[0] = '\0';
	int ok = check();
	if (ok && !g_why[0]) {
		printf("@@ PASS host/dtb_%s\n", name);
	} else {
		printf("@@ FAIL host/dtb_%s %s\n", name, g_why[0] ? g_why : "failed");
		g_failed = 1;
	}
}

/* Big-endian 32-bit load / store helpers. */
static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);  p[3] = (uint8_t)v;
}

/* Parse the first len bytes of src from an exactly-sized heap copy. */
static int parse_exact(const uint8_t *src, size_t len, struct dtb_info *out)
{
	uint8_t *buf = malloc(len ? len : 1);
	if (!buf) { perror("malloc"); exit(2); }
	memcpy(buf, src, len);
	int rc = dtb_parse(buf, len, out);
	free(buf);
	return rc;
}

/* Parse a copy of the real blob with the 32-bit header field at off set to v. */
static int parse_patched_hdr(size_t off, uint32_t v)
{
	struct dtb_info info;
	uint8_t *copy = malloc(g_len);
	memcpy(copy, g_dtb, g_len);
	put32(copy + off, v);
	int rc = parse_exact(copy, g_len, &info);
	free(copy);
	return rc;
}

/* Offset of the first PROP token in the real blob's structure block. */
static size_t first_prop(void)
{
	size_t p = get32(g_dtb + HDR_OFF_STRUCT);
	while (p + 4 <= g_len && get32(g_dtb + p) != TOK_PROP) p += 4;
	return p;
}

static struct dtb_info g_info;  /* result of parsing the real blob */
static int g_rc;

/* /memory: 128 MiB at 0x80000000. */
static int check_memory(void)
{
	if (g_rc != 0) return fail("dtb_parse returned %d", g_rc);
	if (g_info.mem_base != 0x80000000u) return fail("mem_base %#llx", (unsigned long long)g_info.mem_base);
	if (g_info.mem_size != 128 * MiB) return fail("mem_size %#llx", (unsigned long long)g_info.mem_size);
	return 1;
}

/* /cpus: 2 harts, 10 MHz timebase. */
static int check_cpus(void)
{
	if (g_rc != 0) return fail("dtb_parse returned %d", g_rc);
	if (g_info.harts != 2) return fail("harts %u", g_info.harts);
	if (g_info.timebase_hz != 10000000u) return fail("timebase %llu", (unsigned long long)g_info.timebase_hz);
	return 1;
}

/* UART, PLIC and the 8 virtio-mmio slots in ascending order with irqs 1..8. */
static int check_devices(void)
{
	if (g_rc != 0) return fail("dtb_parse returned %d", g_rc);
	if (g_info.uart_base != 0x10000000u) return fail("uart_base %#llx", (unsigned long long)g_info.uart_base);
	if (g_info.uart_irq != 10) return fail("uart_irq %u", g_info.uart_irq);
	if (g_info.plic_base != 0x0c000000u || g_info.plic_size != 0x600000u)
		return fail("plic %#llx+%#llx", (unsigned long long)g_info.plic_base,
			    (unsigned long long)g_info.plic_size);
	if (g_info.nvirtio != 8) return fail("nvirtio %u", g_info.nvirtio);
	for (uint32_t i = 0; i < 8; i++) {
		const struct dtb_virtio *v = &g_info.virtio[i];
		if (v->base != 0x10001000u + i * 0x1000u || v->size != 0x1000 || v->irq != i + 1)
			return fail("virtio[%u] = %#llx+%#llx irq %u", i, (unsigned long long)v->base,
				    (unsigned long long)v->size, v->irq);
	}
	return 1;
}

/* /chosen bootargs is the -append string. */
static int check_bootargs(void)
{
	if (g_rc != 0) return fail("dtb_parse returned %d", g_rc);
	if (strcmp(g_info.bootargs, g_bootargs) != 0) return fail("bootargs \"%s\"", g_info.bootargs);
	return 1;
}

/* A wrong magic number is rejected. */
static int check_bad_magic(void)
{
	int rc = parse_patched_hdr(0, 0xd00dfeeeu);
	if (rc >= 0) return fail("rc %d for bad magic", rc);
	struct dtb_info info;
	rc = dtb_parse(NULL, g_len, &info);
	if (rc >= 0) return fail("rc %d for NULL blob", rc);
	return 1;
}

/* A blob larger than max_size, or a short blob, is rejected without overreading. */
static int check_truncated(void)
{
	struct dtb_info info;
	size_t lens[] = { 0, 4, HDR_SIZE - 1, HDR_SIZE, g_len / 2, g_len - 1 };
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		int rc = parse_exact(g_dtb, lens[i], &info);
		if (rc >= 0) return fail("rc %d for max_size %zu", rc, lens[i]);
	}
	/* Truncated copy whose totalsize agrees: the blocks no longer fit. */
	uint8_t *copy = malloc(g_len);
	memcpy(copy, g_dtb, g_len);
	put32(copy + HDR_TOTALSIZE, (uint32_t)(g_len / 2));
	int rc = parse_exact(copy, g_len / 2, &info);
	free(copy);
	if (rc >= 0) return fail("rc %d for consistent truncation", rc);
	return 1;
}

/* Header sizes/offsets and property name offsets pointing outside the blob. */
static int check_corrupt_offsets(void)
{
	uint32_t total = (uint32_t)g_len;
	struct { size_t off; uint32_t v; const char *what; } cases[] = {
		{ HDR_TOTALSIZE, 0xffffffffu, "huge totalsize" },
		{ HDR_OFF_STRUCT, total + 4, "struct offset past end" },
		{ HDR_OFF_STRUCT, 0xfffffffcu, "struct offset wraps" },
		{ HDR_SIZE_STRUCT, 0xfffffffcu, "huge struct size" },
		{ HDR_OFF_STRINGS, total, "strings offset past end" },
		{ HDR_SIZE_STRINGS, 0xffffffffu, "huge strings size" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = parse_patched_hdr(cases[i].off, cases[i].v);
		if (rc >= 0) return fail("rc %d for %s", rc, cases[i].what);
	}
	/* PROP fields: name offset past the strings block, value length past the end. */
	size_t prop = first_prop();
	uint32_t strs_size = get32(g_dtb + HDR_SIZE_STRINGS);
	uint32_t bad[][2] = { { 8, strs_size }, { 8, 0xffffffffu }, { 4, 0xfffffff0u }, { 4, total } };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = parse_patched_hdr(prop + bad[i][0], bad[i][1]);
		if (rc >= 0) return fail("rc %d for prop field +%u = %#x", rc, bad[i][0], bad[i][1]);
	}
	/* Last string of the strings block left unterminated at the end of the blob. */
	struct dtb_info info;
	uint8_t *copy = malloc(g_len);
	memcpy(copy, g_dtb, g_len);
	copy[get32(g_dtb + HDR_OFF_STRINGS) + strs_size - 1] = 'x';
	int rc = parse_exact(copy, g_len, &info);
	free(copy);
	if (rc >= 0) return fail("rc %d for unterminated string", rc);
	return 1;
}

/* Builder for small synthetic blobs. */
struct builder {
	uint8_t st[8192], strs[2048];
	size_t nst, nstrs;
};

/* Append raw bytes to the structure block, padded to 4 bytes. */
static void b_bytes(struct builder *b, const void *p, size_t len)
{
	if (b->nst + len + 4 > sizeof b->st) { fprintf(stderr, "builder overflow\n"); exit(2); }
	memcpy(b->st + b->nst, p, len);
	b->nst += len;
	while (b->nst % 4) b->st[b->nst++] = 0;
}

/* Append one big-endian token or cell. */
static void b_u32(struct builder *b, uint32_t v)
{
	uint8_t c[4];
	put32(c, v);
	b_bytes(b, c, 4);
}

/* Open a node named name. */
static void b_begin(struct builder *b, const char *name)
{
	b_u32(b, TOK_BEGIN_NODE);
	b_bytes(b, name, strlen(name) + 1);
}

/* Add a property with a raw value. */
static void b_prop(struct builder *b, const char *name, const void *val, size_t len)
{
	size_t nl = strlen(name) + 1;
	if (b->nstrs + nl > sizeof b->strs) { fprintf(stderr, "builder overflow\n"); exit(2); }
	memcpy(b->strs + b->nstrs, name, nl);
	b_u32(b, TOK_PROP);
	b_u32(b, (uint32_t)len);
	b_u32(b, (uint32_t)b->nstrs);
	b->nstrs += nl;
	b_bytes(b, val, len);
}

/* Add a property made of n 32-bit cells. */
static void b_cells(struct builder *b, const char *name, int n, const uint32_t *cells)
{
	uint8_t v[64];
	for (int i = 0; i < n; i++) put32(v + 4 * i, cells[i]);
	b_prop(b, name, v, (size_t)n * 4);
}

/* Add a one-cell property. */
static void b_cell(struct builder *b, const char *name, uint32_t v)
{
	b_cells(b, name, 1, &v);
}

/* Close the structure block and lay out header, rsvmap, struct, strings. */
static size_t b_finish(struct builder *b, uint8_t *out, size_t cap)
{
	size_t rsv = HDR_SIZE, st = rsv + 16, strs = st + b->nst + 4, total = strs + b->nstrs;
	b_u32(b, TOK_END);
	if (total > cap) { fprintf(stderr, "builder overflow\n"); exit(2); }
	memset(out, 0, total);
	put32(out, FDT_MAGIC);
	put32(out + HDR_TOTALSIZE, (uint32_t)total);
	put32(out + HDR_OFF_STRUCT, (uint32_t)st);
	put32(out + HDR_OFF_STRINGS, (uint32_t)strs);
	put32(out + 16, (uint32_t)rsv);   /* off_mem_rsvmap */
	put32(out + 20, 17);              /* version */
	put32(out + 24, 16);              /* last_comp_version */
	put32(out + HDR_SIZE_STRINGS, (uint32_t)b->nstrs);
	put32(out + HDR_SIZE_STRUCT, (uint32_t)b->nst);
	memcpy(out + st, b->st, b->nst);
	memcpy(out + strs, b->strs, b->nstrs);
	return total;
}

/* 1-cell addresses, 64-bit timebase, over-long unterminated bootargs,
 * more than DTB_MAX_VIRTIO devices out of order (one without "interrupts"),
 * and too-deep nesting. */
#define NO_IRQ_BASE 0x20100u
static int check_synthetic(void)
{
	static struct builder b;
	static uint8_t blob[16384];
	struct dtb_info info;
	char args[400];
	memset(args, 'a', sizeof args);

	memset(&b, 0, sizeof b);
	b_begin(&b, "");
	b_cell(&b, "#address-cells", 1);
	b_cell(&b, "#size-cells", 1);
	b_begin(&b, "chosen");
	b_prop(&b, "bootargs", args, sizeof args);   /* no NUL terminator */
	b_u32(&b, TOK_END_NODE);
	b_begin(&b, "memory@4000");
	b_cells(&b, "reg", 4, (const uint32_t[]){ 0x4000, 0x2000, 0x9000, 0x1000 });
	b_u32(&b, TOK_END_NODE);
	b_begin(&b, "cpus");
	b_cell(&b, "#address-cells", 1);
	b_cell(&b, "#size-cells", 0);
	b_cells(&b, "timebase-frequency", 2, (const uint32_t[]){ 1, 2 });
	for (int i = 0; i < 3; i++) {
		char name[16];
		snprintf(name, sizeof name, "cpu@%d", i);
		b_begin(&b, name);
		b_cell(&b, "reg", (uint32_t)i);
		b_u32(&b, TOK_END_NODE);
	}
	b_begin(&b, "cpu-map");
	b_u32(&b, TOK_END_NODE);
	b_u32(&b, TOK_END_NODE);
	b_begin(&b, "soc");
	b_cell(&b, "#address-cells", 1);
	b_cell(&b, "#size-cells", 1);
	b_begin(&b, "serial@3000");
	b_prop(&b, "compatible", "foo,uart\0ns16550a", 18);
	b_cells(&b, "reg", 2, (const uint32_t[]){ 0x3000, 0x100 });
	b_u32(&b, TOK_END_NODE);
	for (int i = 0; i < 10; i++) {
		uint32_t base = 0x20000 + (uint32_t)((i * 7) % 10) * 0x100;
		b_begin(&b, "virtio_mmio");
		b_cells(&b, "reg", 2, (const uint32_t[]){ base, 0x100 });
		if (base != NO_IRQ_BASE) b_cell(&b, "interrupts", base >> 8);
		b_prop(&b, "compatible", "virtio,mmio", 12);
		b_u32(&b, TOK_END_NODE);
	}
	b_u32(&b, TOK_END_NODE);
	b_u32(&b, TOK_END_NODE);
	size_t len = b_finish(&b, blob, sizeof blob);

	int rc = parse_exact(blob, len, &info);
	if (rc != 0) return fail("synthetic rc %d", rc);
	if (info.mem_base != 0x4000 || info.mem_size != 0x2000)
		return fail("1-cell memory %#llx+%#llx", (unsigned long long)info.mem_base,
			    (unsigned long long)info.mem_size);
	if (info.harts != 3 || info.timebase_hz != 0x100000002ull)
		return fail("harts %u timebase %#llx", info.harts, (unsigned long long)info.timebase_hz);
	if (info.uart_base != 0x3000) return fail("uart %#llx", (unsigned long long)info.uart_base);
	if (strlen(info.bootargs) != DTB_ARGS_MAX - 1) return fail("bootargs len %zu", strlen(info.bootargs));
	if (info.nvirtio != DTB_MAX_VIRTIO) return fail("nvirtio %u", info.nvirtio);
	for (uint32_t i = 0; i < info.nvirtio; i++) {
		const struct dtb_virtio *v = &info.virtio[i];
		uint32_t irq = v->base == NO_IRQ_BASE ? 0 : (uint32_t)(v->base >> 8);
		if ((i && v->base <= info.virtio[i - 1].base) || v->irq != irq || v->size != 0x100)
			return fail("virtio[%u] %#llx irq %u", i, (unsigned long long)v->base, v->irq);
	}

	memset(&b, 0, sizeof b);
	for (int i = 0; i < 40; i++) b_begin(&b, i ? "n" : "");
	for (int i = 0; i < 40; i++) b_u32(&b, TOK_END_NODE);
	len = b_finish(&b, blob, sizeof blob);
	rc = parse_exact(blob, len, &info);
	if (rc >= 0) return fail("rc %d for 40-deep nesting", rc);
	return 1;
}

/* Deterministic xorshift64 generator for the fuzz test. */
static uint64_t g_rng = FUZZ_SEED;
static uint64_t rnd(void)
{
	g_rng ^= g_rng << 13;
	g_rng ^= g_rng >> 7;
	g_rng ^= g_rng << 17;
	return g_rng;
}

/* Check invariants dtb_parse must keep even for odd-but-valid input. */
static int sane(const struct dtb_info *info)
{
	if (info->nvirtio > DTB_MAX_VIRTIO) return 0;
	if (!memchr(info->bootargs, '\0', DTB_ARGS_MAX)) return 0;
	for (uint32_t i = 1; i < info->nvirtio; i++)
		if (info->virtio[i].base < info->virtio[i - 1].base) return 0;
	return 1;
}

/* Randomly corrupted copies (and random truncations) never crash the parser. */
static int check_fuzz(void)
{
	uint8_t *copy = malloc(g_len);
	struct dtb_info info;
	for (int round = 0; round < FUZZ_ROUNDS; round++) {
		memcpy(copy, g_dtb, g_len);
		int flips = 1 + (int)(rnd() % FUZZ_MAX_FLIPS);
		for (int i = 0; i < flips; i++) {
			size_t at = rnd() % 4 == 0 ? rnd() % HDR_SIZE : rnd() % g_len;
			copy[at] ^= (uint8_t)(1 + rnd() % 255);
		}
		size_t len = rnd() % 10 == 0 ? rnd() % g_len : g_len;
		int rc = parse_exact(copy, len, &info);
		if (rc > 0 || (rc == 0 && !sane(&info)))
			return fail("round %d: rc %d, inconsistent result", round, rc);
	}
	free(copy);
	return 1;
}

/* Read the whole file at path into a malloc'd buffer. */
static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *buf = n > 0 ? malloc((size_t)n) : NULL;
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
	fclose(f);
	*len = buf ? (size_t)n : 0;
	return buf;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "tests/host/virt.dtb";
	g_dtb = read_file(path, &g_len);
	if (!g_dtb || g_len < HDR_SIZE) {
		printf("@@ FAIL host/dtb_load cannot read %s\n", path);
		return 1;
	}
	g_rc = parse_exact(g_dtb, g_len, &g_info);
	run("memory", check_memory);
	run("cpus", check_cpus);
	run("devices", check_devices);
	run("bootargs", check_bootargs);
	run("bad_magic", check_bad_magic);
	run("truncated", check_truncated);
	run("corrupt_offsets", check_corrupt_offsets);
	run("synthetic", check_synthetic);
	run("fuzz", check_fuzz);
	free(g_dtb);
	return g_failed;
}
