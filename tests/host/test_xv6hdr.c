/*
 * Host test: every value in the xv6 headers (libsys/include/xv6/kernel)
 * against the constant of this system it stands for, so that a change to
 * a server, the ABI, the kernel's link address or the machine shows up
 * here instead of as a wrong value in a user's program. Server-private
 * constants come from the servers' headers, or, for the two that live in
 * a .c file (the fs server's MAX_FILES, mkfs's DEFAULT_BLOCKS), from the
 * source text; the machine's addresses from QEMU virt's device tree
 * (tests/host/virt.dtb, 128 MiB) through the kernel's own parser.
 *
 * What a program can observe (page size, stack, DIRSIZ, MAXPATH, NOFILE,
 * MAXARG, ROOTDEV, NDEV, the unmapped addresses) is checked in QEMU by
 * tests/programs/xv6hdrs.c, which tests/host/test_run.sh runs.
 *
 * Run from the top directory: build/host/test_xv6hdr [tests/host/virt.dtb]
 */
#include <stdlib.h>
#include <string.h>
#include "check.h"

/* The xv6 headers first; names the servers also define are saved and dropped. */
#include "kernel/param.h"
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "kernel/riscv.h"
#include "kernel/memlayout.h"
#include "kernel/vm.h"
enum { XV6_NINODE = NINODE, XV6_NBUF = NBUF };
static const uint64 xv6_pte[] = { PTE_V, PTE_R, PTE_W, PTE_X, PTE_U };
static const uint64 xv6_pa2pte = PA2PTE(0x87654000UL), xv6_pte2pa = PTE2PA(0x21d9503fUL);
#undef NINODE
#undef NBUF
#undef PTE_V
#undef PTE_R
#undef PTE_W
#undef PTE_X
#undef PTE_U

#include "abi/syscall.h"
#include "abi/pager.h"
#include "abi/fs.h"
#include "abi/fs_format.h"
#include "pager.h"                  /* servers/pager: MAX_PROCS */
#include "bio.h"                    /* servers/fs: NBUF */
#include "fs.h"                     /* servers/fs: NINODE */
#include "arch/riscv/riscv.h"       /* the kernel's Sv39 PTE bits */
#include "dtb.h"

#define LINE_MAX_LEN 512
#define DTB_MAX_BYTES (1 << 20)
#define MiB (1024UL * 1024)

/* The number after `prefix` on the first line of path that starts with it, or -1. */
static long long source_value(const char *path, const char *prefix)
{
	char line[LINE_MAX_LEN];
	long long v = -1;
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *s = line + strspn(line, " \t");
		if (strncmp(s, prefix, strlen(prefix)) == 0) {
			char *end;
			v = strtoll(s + strlen(prefix), &end, 0);
			if (*end == 'M')            /* a size in MiB (Makefile) */
				v *= MiB;
			break;
		}
	}
	if (f)
		fclose(f);
	return v;
}

/* param.h: each limit is the one the pager, the fs server or mkfs enforces. */
static void check_param(void)
{
	CHECK("xv6hdr/NPROC_is_MAX_PROCS", NPROC == MAX_PROCS);
	CHECK("xv6hdr/NOFILE_is_FS_MAX_FDS", NOFILE == FS_MAX_FDS);
	CHECK("xv6hdr/NFILE_is_fs_MAX_FILES", NFILE == source_value("servers/fs/files.c", "#define MAX_FILES "));
	CHECK("xv6hdr/NINODE_is_fs_NINODE", XV6_NINODE == NINODE);
	CHECK("xv6hdr/NBUF_is_fs_NBUF", XV6_NBUF == NBUF);
	CHECK("xv6hdr/NDEV_is_console_major_plus_1", NDEV == CONSOLE_MAJOR + 1);
	CHECK("xv6hdr/MAXARG_is_START_MAX_ARGS", MAXARG == START_MAX_ARGS);
	CHECK("xv6hdr/MAXOPBLOCKS_is_OP_MAX_BLOCKS", MAXOPBLOCKS == OP_MAX_BLOCKS);
	CHECK("xv6hdr/LOGSIZE_is_log_data_blocks", LOGSIZE == LOG_MIN_BLOCKS - 1);
	CHECK("xv6hdr/FSSIZE_is_mkfs_default", FSSIZE == source_value("tools/mkfs.c", "#define DEFAULT_BLOCKS "));
	CHECK("xv6hdr/MAXPATH_is_FS_PATH_MAX", MAXPATH == FS_PATH_MAX);
	CHECK("xv6hdr/USERSTACK_is_PROC_STACK_PAGES", USERSTACK == PROC_STACK_PAGES);
}

/* riscv.h and memlayout.h: pages, PTEs, the user address space, the machine. */
static void check_layout(const char *dtb_path)
{
	static const uint64_t kernel_pte[] = { PTE_V, PTE_R, PTE_W, PTE_X, PTE_U };
	CHECK("xv6hdr/PGSIZE_is_PAGE_SIZE", PGSIZE == PAGE_SIZE && 1 << PGSHIFT == PGSIZE);
	CHECK("xv6hdr/PGSHIFT_is_PAGE_SHIFT", PGSHIFT == PAGE_SHIFT);
	CHECK("xv6hdr/PGROUND", PGROUNDUP(4097UL) == 8192 && PGROUNDDOWN(8191UL) == 4096 && PGROUNDUP(4096UL) == 4096);
	CHECK("xv6hdr/PTE_bits_are_the_kernels", memcmp(xv6_pte, kernel_pte, sizeof(kernel_pte)) == 0);
	CHECK("xv6hdr/PA2PTE_PTE2PA_are_the_kernels",
	      xv6_pa2pte == PA_TO_PTE(0x87654000UL) && xv6_pte2pa == PTE_TO_PA(0x21d9503fUL));
	CHECK("xv6hdr/PX_is_VPN", PX(2, 0x3fc0201000UL) == VPN(0x3fc0201000UL, 2) &&
	      PX(1, 0x3fc0201000UL) == VPN(0x3fc0201000UL, 1) && PX(0, 0x3fc0201000UL) == VPN(0x3fc0201000UL, 0));
	CHECK("xv6hdr/MAXVA_is_USER_TOP", MAXVA == USER_TOP);
	CHECK("xv6hdr/TRAMPOLINE_is_top_page", TRAMPOLINE == MAXVA - PGSIZE && TRAPFRAME == TRAMPOLINE - PGSIZE);
	CHECK("xv6hdr/TRAPFRAME_above_all_a_process_maps",
	      TRAPFRAME >= PROC_DMA_VA + PROC_DMA_PAGES * PAGE_SIZE && TRAPFRAME > PROC_STACK_TOP &&
	      TRAPFRAME > PROC_HEAP_LIMIT && PROC_DEVICE_VA < PROC_DMA_VA);
	CHECK("xv6hdr/KERNBASE_is_the_link_address", KERNBASE == source_value("microkernel/kernel.ld", ". = "));
	CHECK("xv6hdr/PHYSTOP_is_for_default_MEM", source_value("Makefile", "MEM     ?= ") == 128 * (long long)MiB);

	static char blob[DTB_MAX_BYTES];
	struct dtb_info dt;
	FILE *f = fopen(dtb_path, "rb");
	size_t n = f ? fread(blob, 1, sizeof(blob), f) : 0;
	if (f)
		fclose(f);
	if (!CHECK("xv6hdr/dtb_parses", n > 0 && dtb_parse(blob, n, &dt) == 0))
		return;
	CHECK("xv6hdr/PHYSTOP_is_end_of_RAM", dt.mem_size == 128 * MiB && PHYSTOP == dt.mem_base + dt.mem_size);
	CHECK("xv6hdr/KERNBASE_is_in_RAM", KERNBASE > dt.mem_base && KERNBASE < PHYSTOP);
	CHECK("xv6hdr/UART0", UART0 == dt.uart_base && UART0_IRQ == dt.uart_irq);
	CHECK("xv6hdr/PLIC", PLIC == dt.plic_base);
	CHECK("xv6hdr/VIRTIO0", dt.nvirtio >= 2 && VIRTIO0 == dt.virtio[0].base && VIRTIO0_IRQ == dt.virtio[0].irq);
	CHECK("xv6hdr/VIRTIO1", dt.nvirtio >= 2 && VIRTIO1 == dt.virtio[1].base && VIRTIO1_IRQ == dt.virtio[1].irq);
}

/* fs.h, fcntl.h, stat.h: the disk format, open flags, mmap flags, file types. */
static void check_files(void)
{
	CHECK("xv6hdr/BSIZE", BSIZE == BLOCK_SIZE && BSIZE == 1024);
	CHECK("xv6hdr/NDIRECT_NINDIRECT", NDIRECT == 11 && NINDIRECT == BSIZE / sizeof(uint));
	CHECK("xv6hdr/MAXFILE", MAXFILE == NDIRECT + NINDIRECT + NINDIRECT * NINDIRECT);
	CHECK("xv6hdr/dirent", sizeof(struct dirent) == 2 + DIRSIZ && DIRSIZ == 14);
	CHECK("xv6hdr/dinode", sizeof(struct dinode) * IPB == BSIZE && BPB == BSIZE * 8);
	CHECK("xv6hdr/ROOTINO", ROOTINO == ROOT_INUM);
	CHECK("xv6hdr/open_flags", O_RDONLY == FS_O_RDONLY && O_WRONLY == FS_O_WRONLY && O_RDWR == FS_O_RDWR &&
	      O_CREATE == FS_O_CREATE && O_TRUNC == FS_O_TRUNC);
	CHECK("xv6hdr/mmap_flags", PROT_READ == MMAP_PROT_READ && PROT_WRITE == MMAP_PROT_WRITE &&
	      MAP_SHARED == MMAP_SHARED && MAP_PRIVATE == MMAP_PRIVATE);
	CHECK("xv6hdr/mmap_flags_fit", (PROT_READ | PROT_WRITE | PROT_EXEC) < 1 << MMAP_FLAGS_SHIFT);
	CHECK("xv6hdr/stat_types", T_DIR == 1 && T_FILE == 2 && T_DEVICE == 3);
	CHECK("xv6hdr/SBRK_modes", SBRK_EAGER != SBRK_LAZY);
}

int main(int argc, char **argv)
{
	check_param();
	check_layout(argc > 1 ? argv[1] : "tests/host/virt.dtb");
	check_files();
	return check_summary();
}
