# Build, boot and test the microkernel, its servers and programs.
# `make help` lists the targets and the variables.

CROSS   := riscv64-unknown-elf-
CC      := $(CROSS)gcc
OBJCOPY := $(CROSS)objcopy
QEMU    := qemu-system-riscv64
PYTHON  := python3
# DEBUG=1 builds for gdb into build-debug/ (see the end of this file); build/ stays as it is.
DEBUG   ?=
B       := $(if $(filter 1,$(DEBUG)),build-debug,build)

MEM     ?= 128M
HARTS   ?= 1
RUN     ?= init
ARGS    ?=
GDB_PORT ?= 1234
TEST_TIMEOUT ?= 60
# make test ONLY=usertests/above_break: only the matching tests (tools/runtests.py --only).
ONLY    ?=

HOST_CC := gcc
# Paths in debug information and __FILE__ relative to the tree, so that two
# clones build byte-identical files (cmp build/kernel.elf).
REPRO   := -ffile-prefix-map=$(CURDIR)=. -Wa,--debug-prefix-map,$(CURDIR)=.
HOST_CFLAGS := -Wall -Wextra -Werror -O1 -g $(REPRO) -Iinclude -Imicrokernel -Iservers/pager -Itests/host
ARCH    := -march=rv64imac -mabi=lp64 -mcmodel=medany
WARN    := -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes
# The kernel is linked with link-time optimization (-flto): the IPC and
# fault paths cross files (syscall.c, ipc.c, fault.c, space.c, thread.c) and
# their small steps inline into one another.
KCFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany $(WARN) -O2 -g -flto -ffreestanding -fno-builtin -nostdlib -fno-common \
           -fno-stack-protector -mno-relax $(REPRO) -Iinclude -Imicrokernel -MMD
KLDFLAGS := -nostdlib -Wl,--build-id=none -Wl,--no-relax -T microkernel/kernel.ld
UCFLAGS := --specs=picolibc.specs $(ARCH) $(WARN) -O2 -g $(REPRO) -Iinclude -Ilibsys/include -Ilibsys/include/xv6 -MMD
# Your programs (make run PROGS=) are compiled as xv6 compiles its user
# programs, so that valid xv6 code builds: -Wall -Werror without this
# project's -Wextra and prototype warnings; printf and the other calls
# xv6's library declares with its own types are not GCC built-ins (no
# format checks: xv6 code prints a uint64 with %p); frame pointers kept
# (r_fp in kernel/riscv.h); C17, where `int f()` is still unprototyped.
# The last -I finds "../kernel/param.h", as xv6's own programs write it.
# tests/xv6/ (the xv6compat suite) is built the same way.
XV6_NO_BUILTIN := $(addprefix -fno-builtin-,printf fprintf vprintf putc strlen strchr strncpy \
                  strncmp memset memmove memcmp memcpy malloc free exit bzero log)
XV6_CFLAGS := --specs=picolibc.specs $(ARCH) -std=gnu17 -Wall -Werror -Wno-main -O2 -g \
              -fno-omit-frame-pointer $(XV6_NO_BUILTIN) $(REPRO) -Iinclude -Ilibsys/include -Ilibsys/include/xv6 \
              -Ilibsys/include/xv6/user
ULDFLAGS := --specs=picolibc.specs $(ARCH) $(REPRO) -nostartfiles -Wl,--build-id=none -T libsys/user.ld

KERNEL_SRC := $(wildcard microkernel/*.c microkernel/arch/riscv/*.c) microkernel/arch/riscv/entry.S
KERNEL_OBJ := $(patsubst %,$(B)/%.o,$(basename $(KERNEL_SRC)))
KERNEL_SMP_OBJ := $(patsubst %,$(B)/smp/%.o,$(basename $(KERNEL_SRC)))
# One hart boots the one-hart kernel (the benchmark configuration); more, the SMP kernel.
KERNEL  = $(if $(filter 1,$(HARTS)),$(B)/kernel.elf,$(B)/kernel-smp.elf)
LIBSYS_SRC := $(wildcard libsys/*.c libsys/*.S)
LIBSYS_OBJ := $(patsubst %,$(B)/%.o,$(basename $(LIBSYS_SRC)))
PAGER_OBJ  := $(patsubst %.c,$(B)/%.o,$(wildcard servers/pager/*.c) servers/drivers/virtio_blk.c)
FS_CORE    := $(addprefix servers/fs/,fs.c fsops.c inode.c dir.c balloc.c log.c bio.c)
FS_OBJ     := $(patsubst %.c,$(B)/%.o,$(wildcard servers/fs/*.c) servers/drivers/virtio_blk.c)
# The programs: apps/ holds the tools a user runs (/NAME on the disk),
# tests/guest/ the test suites and their helpers (/tests/NAME, beside
# tests/xv6/'s programs), linked with the harness in tests/guest/lib/,
# bench/ the benchmarks (/bench/NAME), linked with bench/lib/.
# The boot archive holds init and the suites that must run without the
# disk, or with a broken one; tools/runtests.py boots the others from /tests.
ARCHIVE_APPS  := init
ARCHIVE_TESTS := ktests usertests nofs policytests sysfuzz protofuzz limits fscorrupt
APPS       := $(basename $(notdir $(wildcard apps/*.c)))
APP_ELFS   := $(APPS:%=$(B)/apps/%.elf)
GUEST_TESTS := $(basename $(notdir $(wildcard tests/guest/*.c)))
GUEST_ELFS := $(GUEST_TESTS:%=$(B)/guest/%.elf)
HARNESS_OBJ := $(patsubst tests/guest/%.c,$(B)/guest/%.o,$(wildcard tests/guest/lib/*.c))
BENCHES    := $(basename $(notdir $(wildcard bench/*.c)))
BENCH_ELFS := $(BENCHES:%=$(B)/bench/%.elf)
BENCHLIB_OBJ := $(patsubst %.c,$(B)/%.o,$(wildcard bench/lib/*.c))

# The disks. build/fs.img holds every program, fresh from each build; nothing
# boots from it directly. `make qemu` boots DISK, the user's own disk, made
# from fs.img when missing and kept across builds: after a build, the next
# `make qemu` puts the new programs on it (mkfs --update) and keeps every other
# file, and refuses while a QEMU runs on it. `make clean-disk` deletes it.
# `make run` boots a disk of its own (build/run.XXXXXX/, deleted afterwards),
# `make test` build/test.img and its own swap: neither touches DISK or SWAP,
# so they work while `make qemu` runs in another terminal.
FS_IMG  := $(B)/fs.img
DISK    ?= $(B)/user.img
DISK_STAMP = $(DISK).programs
SWAP    ?= $(B)/swap.img
SWAP_SIZE ?= 64M
TEST_DISK := $(B)/test.img
TEST_SWAP := $(B)/test-swap.img
POLICY  ?=
FRAMES  ?=
BOOT_POLICY = $(if $(POLICY),pager.policy=$(POLICY)) $(if $(FRAMES),pager.frames=$(FRAMES))
# QEMU on a file-system disk $(1) and a swap disk $(2), the console as $(3).
qemu_on = $(QEMU) $(QEMU_EXTRA) -machine virt -bios default -m $(MEM) -smp $(HARTS) $(3) \
          -global virtio-mmio.force-legacy=false \
          -drive file=$(1),if=none,format=raw,id=fs \
          -device virtio-blk-device,drive=fs,bus=virtio-mmio-bus.0 \
          -drive file=$(2),if=none,format=raw,id=swap \
          -device virtio-blk-device,drive=swap,bus=virtio-mmio-bus.1 -kernel $(KERNEL)
# On a terminal: QEMU's monitor multiplexed with the serial line on stdio
# (mon:stdio), as xv6 has it, so Ctrl-A x quits, Ctrl-A c switches to the
# monitor and back, Ctrl-A h lists the keys; Ctrl-C goes to the guest.
CONSOLE_TTY := -nographic -serial mon:stdio
# Headless (make run, the tests, make bench): no monitor, the serial line on stdio.
CONSOLE_HEADLESS := -nographic -monitor none -serial stdio
QEMU_TTY = $(call qemu_on,$(DISK),$(SWAP),$(CONSOLE_TTY))
# The headless command the test scripts and make bench are given; each boots
# its own copy of the disk it names (fs.img) and replaces or shares only TEST_SWAP.
QEMU_CMD = $(call qemu_on,$(FS_IMG),$(TEST_SWAP),$(CONSOLE_HEADLESS))

# Keep object files make would otherwise delete as intermediates.
.SECONDARY:

.PHONY: bench-policies all qemu qemu-gdb run test host-tests deps clean clean-disk lines bench help FORCE
all: deps $(B)/kernel.elf $(B)/kernel-smp.elf $(FS_IMG)

# Install the cross compiler, picolibc and QEMU if any is missing.
deps:
	@tools/install-deps.sh

# --- kernel -----------------------------------------------------------------
$(B)/microkernel/%.o: microkernel/%.c
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c -o $@ $<
$(B)/microkernel/%.o: microkernel/%.S
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c -o $@ $<
$(B)/microkernel/archive.o: microkernel/archive.S $(B)/archive.bin
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -DARCHIVE_PATH='"$(B)/archive.bin"' -c -o $@ $<
$(B)/kernel.elf: $(KERNEL_OBJ) $(B)/microkernel/archive.o microkernel/kernel.ld
	$(CC) $(KCFLAGS) $(KLDFLAGS) -o $@ $(KERNEL_OBJ) $(B)/microkernel/archive.o
# The SMP kernel (HARTS > 1): the same sources with -DSMP (microkernel/smp.c).
$(B)/smp/microkernel/%.o: microkernel/%.c
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -DSMP -c -o $@ $<
$(B)/smp/microkernel/%.o: microkernel/%.S
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -DSMP -c -o $@ $<
$(B)/kernel-smp.elf: $(KERNEL_SMP_OBJ) $(B)/microkernel/archive.o microkernel/kernel.ld
	$(CC) $(KCFLAGS) $(KLDFLAGS) -o $@ $(KERNEL_SMP_OBJ) $(B)/microkernel/archive.o

# --- user space -------------------------------------------------------------
$(B)/libsys/%.o: libsys/%.c
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -c -o $@ $<
$(B)/libsys/%.o: libsys/%.S
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -c -o $@ $<
$(B)/libsys.a: $(LIBSYS_OBJ)
	rm -f $@ && $(CROSS)ar rcs $@ $^
# The servers are built with link-time optimization: small helpers in one
# file (frame_ptr, frames_free, ...) inline into the fault path of another.
# Without GCC's ipa-reference and ipa-modref: on several harts the pager's
# threads share static variables under the pager lock, and those analyses
# let a caller keep such a variable in a register across the lock calls
# (they do not count an atomic as touching other memory). The pager's
# free-frame count was kept across an unlock and a lock, and went wrong.
SERVER_LTO := -flto -fno-ipa-reference -fno-ipa-modref
$(B)/servers/%.o: servers/%.c
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) $(SERVER_LTO) -Iservers/fs -Iservers/drivers -c -o $@ $<
$(B)/apps/%.o: apps/%.c
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -c -o $@ $<
USER_LINK = $(CC) $(ULDFLAGS) -o $@ $(1) -Wl,--start-group $(B)/libsys.a -lc -lgcc -Wl,--end-group
$(B)/servers/pager.elf: $(PAGER_OBJ) $(B)/libsys.a libsys/user.ld
	$(call USER_LINK,$(SERVER_LTO) -O2 $(PAGER_OBJ))
$(B)/servers/fs.elf: $(FS_OBJ) $(B)/libsys.a libsys/user.ld
	$(call USER_LINK,$(SERVER_LTO) -O2 $(FS_OBJ))
$(B)/apps/%.elf: $(B)/apps/%.o $(B)/libsys.a libsys/user.ld
	$(call USER_LINK,$<)
# The test suites (and the harness in tests/guest/lib/).
$(B)/guest/%.o: tests/guest/%.c
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -Itests/guest/lib -c -o $@ $<
$(B)/guest/%.elf: $(B)/guest/%.o $(HARNESS_OBJ) $(B)/libsys.a libsys/user.ld
	$(call USER_LINK,$< $(HARNESS_OBJ))
# The benchmarks (and their helpers in bench/lib/).
$(B)/bench/%.o: bench/%.c
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -Ibench/lib -c -o $@ $<
$(B)/bench/%.elf: $(B)/bench/%.o $(BENCHLIB_OBJ) $(B)/libsys.a libsys/user.ld
	$(call USER_LINK,$< $(BENCHLIB_OBJ))
# The xv6 compatibility suite's programs, built as a user's program would be.
XV6_TESTS := $(basename $(notdir $(wildcard tests/xv6/*.c)))
$(B)/xv6/%.o: tests/xv6/%.c
	@mkdir -p $(dir $@)
	$(CC) $(XV6_CFLAGS) -MMD -c -o $@ $<
$(B)/xv6/%.elf: $(B)/xv6/%.o $(B)/libsys.a libsys/user.ld
	$(call USER_LINK,$<)
ARCHIVE_FILES := $(foreach a,$(ARCHIVE_APPS),$(a)=$(B)/apps/$(a).elf) \
                 $(foreach t,$(ARCHIVE_TESTS),$(t)=$(B)/guest/$(t).elf)
$(B)/archive.bin: $(B)/servers/pager.elf $(B)/servers/fs.elf $(APP_ELFS) $(GUEST_ELFS) tools/mkarchive.py
	$(PYTHON) tools/mkarchive.py $@ pager=$(B)/servers/pager.elf fs=$(B)/servers/fs.elf $(ARCHIVE_FILES)

# --- the disk: every program, built by mkfs with the fs server's own code ---
$(B)/host/mkfs: tools/mkfs.c $(FS_CORE) $(wildcard servers/fs/*.h) include/abi/fs_format.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -Iservers/fs -o $@ tools/mkfs.c $(FS_CORE)
DISK_FILES = $(foreach a,$(APPS),$(a)=$(B)/apps/$(a).elf) \
             $(foreach t,$(GUEST_TESTS),tests/$(t)=$(B)/guest/$(t).elf) tests/fspersist=$(B)/guest/fstests.elf \
             $(foreach t,$(XV6_TESTS),tests/$(t)=$(B)/xv6/$(t).elf) \
             $(foreach b,$(BENCHES),bench/$(b)=$(B)/bench/$(b).elf)
$(B)/fs.img: $(B)/host/mkfs $(APP_ELFS) $(GUEST_ELFS) $(XV6_TESTS:%=$(B)/xv6/%.elf) $(BENCH_ELFS)
	$(B)/host/mkfs $@ $(DISK_FILES)

# A swap disk: its contents do not matter across boots.
$(SWAP) $(TEST_SWAP):
	@mkdir -p $(dir $@)
	truncate -s $(SWAP_SIZE) $@

# The user's disk, from fs.img when missing; after a build, the new programs
# put on it over the old ones, every other file kept (DISK_STAMP records
# that it holds this build's programs). Refused while a QEMU has it open.
$(DISK_STAMP): $(FS_IMG) $(B)/host/mkfs tools/diskbusy.py $(if $(wildcard $(DISK)),,FORCE)
	@if [ ! -f $(DISK) ]; then \
		echo "disk: making $(DISK), your disk for make qemu, from $(FS_IMG) (make clean-disk starts it afresh)"; \
		cp $(FS_IMG) $(DISK).tmp && mv $(DISK).tmp $(DISK); \
	else \
		$(PYTHON) tools/diskbusy.py $(DISK) "cannot put the new programs on it; quit that QEMU (Ctrl-A x) and make qemu again" && \
		echo "disk: putting the new programs on $(DISK) (your other files stay)" && \
		$(B)/host/mkfs --update $(DISK) $(DISK_FILES) > /dev/null; \
	fi
	@touch $@
FORCE:

# Delete the user's disk and its swap: the next make qemu starts from a fresh copy of fs.img.
clean-disk:
	@if [ -f $(DISK) ]; then $(PYTHON) tools/diskbusy.py $(DISK) "not deleting it"; fi
	rm -f $(DISK) $(DISK_STAMP) $(SWAP)

# --- running ----------------------------------------------------------------
qemu: all $(DISK_STAMP) $(SWAP)
	$(QEMU_TTY) -append "run=$(RUN) $(BOOT_POLICY) $(ARGS)"

qemu-gdb: all $(DISK_STAMP) $(SWAP)
	@echo "*** waiting for gdb: gdb-multiarch -x tools/gdbinit (port $(GDB_PORT)); Ctrl-A x quits"
	$(QEMU_TTY) -append "run=$(RUN) $(BOOT_POLICY) $(ARGS)" -S -gdb tcp::$(GDB_PORT)

# Run one command line headless: make run CMD='ls | wc' [PROGS='my/a.c my/b.c']
# Your programs go at /NAME, except that one named like a built-in one
# (PROGS=my/usertests.c) takes its place on this run's disk (at
# /tests/usertests), with a note. Replacing init replaces /init
# only: the boot starts init from the boot archive. Each run builds its
# disk and swap in a directory of its own, deleted when it ends, so runs
# may overlap each other, make test and make qemu. CMD reaches the guest's
# shell as written: quotes and $ are its business (make's $(value), passed
# through the environment, never through the host's shell).
RUN_NAMES = $(basename $(notdir $(PROGS)))
DISK_NAMES = $(foreach f,$(DISK_FILES),$(firstword $(subst =, ,$(f))))
# Where your program NAME goes: where the built-in NAME is (NAME, tests/NAME, ...), else NAME.
run_dest = $(or $(firstword $(filter $(1) %/$(1),$(DISK_NAMES))),$(1))
RUN_DISK_FILES = $(filter-out $(foreach n,$(RUN_NAMES),$(call run_dest,$(n))=%),$(DISK_FILES))
run: export RUN_CMDLINE = $(value CMD)
run: all
	@dir=$$(mktemp -d $(B)/run.XXXXXX) || exit 1; \
	trap 'rm -rf "$$dir"' EXIT; trap 'exit 130' INT TERM; \
	for pair in $(foreach src,$(PROGS),$(call run_dest,$(basename $(notdir $(src))))=$(src)); do \
		dest=$${pair%%=*}; src=$${pair#*=}; name=$$(basename $$src .c); \
		case " $(DISK_NAMES) " in *" $$dest "*) \
			note=; test $$dest != init || note=" on the disk (the boot still starts the archive's init)"; \
			echo "run: $$src replaces the built-in $$dest$$note" >&2;; \
		esac; \
		$(CC) $(XV6_CFLAGS) -c -o $$dir/$$name.o $$src && \
		$(CC) $(ULDFLAGS) -o $$dir/$$name.elf $$dir/$$name.o \
			-Wl,--start-group $(B)/libsys.a -lc -lgcc -Wl,--end-group || exit 1; \
	done; \
	printf '%s\n' "$$RUN_CMDLINE" > $$dir/runcmd && \
	$(B)/host/mkfs $$dir/disk.img $(RUN_DISK_FILES) \
		$(foreach n,$(RUN_NAMES),$(call run_dest,$(n))=$$dir/$(n).elf) runcmd=$$dir/runcmd > /dev/null && \
	truncate -s $(SWAP_SIZE) $$dir/swap.img && \
	$(PYTHON) tools/run.py --timeout $(TEST_TIMEOUT) -- \
		$(call qemu_on,$$dir/disk.img,$$dir/swap.img,$(CONSOLE_HEADLESS)) \
		-append "run=init init.script=/runcmd $(BOOT_POLICY) $(ARGS)"

# --- tests ------------------------------------------------------------------
HOST_TESTS := $(B)/host/test_dtb $(B)/host/test_pager $(B)/host/test_fs $(B)/host/test_sh $(B)/host/test_xv6hdr \
              $(B)/host/test_policy $(B)/host/replay
# The replacement policies as the pager builds them, run on the host in a simulated pager (tools/policysim.c).
EVICT_SRCS := servers/pager/policy_table.c servers/pager/frame_list.c \
              $(foreach e,$(shell sed -n 's/^\tX(\([a-z0-9_]*\)).*/\1/p' servers/pager/policy_table.c),servers/pager/policy_$(e).c)
POLICY_SIM := tools/policysim.c $(EVICT_SRCS)

$(B)/host/test_dtb: tests/host/test_dtb.c microkernel/dtb.c microkernel/dtb.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ tests/host/test_dtb.c microkernel/dtb.c
PAGER_TEST_SRC := tests/host/test_pager.c tests/host/test_pager_maps.c tests/host/test_pager_model.c
$(B)/host/test_pager: $(PAGER_TEST_SRC) tests/host/pager_test.h servers/pager/regions.c servers/pager/frames.c \
		servers/pager/pmap.c servers/pager/pager.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $(PAGER_TEST_SRC) servers/pager/regions.c \
		servers/pager/frames.c servers/pager/pmap.c

$(B)/host/test_policy: tests/host/test_policy.c $(POLICY_SIM) tools/policysim.h servers/pager/pager.h include/workload.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -Itools -o $@ tests/host/test_policy.c $(POLICY_SIM)
$(B)/host/replay: tools/replay.c $(POLICY_SIM) tools/policysim.h servers/pager/pager.h include/workload.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -Itools -o $@ tools/replay.c $(POLICY_SIM)

FS_TEST_SRC := tests/host/test_fs.c tests/host/test_fs_crash.c tests/host/test_fs_corrupt.c
$(B)/host/test_fs: $(FS_TEST_SRC) tests/host/fs_test.h $(FS_CORE) $(wildcard servers/fs/*.h) include/abi/fs_format.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -Iservers/fs -o $@ $(FS_TEST_SRC) $(FS_CORE)
$(B)/host/test_sh: tests/host/test_sh.c apps/sh.c libsys/include/xv6/user/user.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -Ilibsys/include/xv6 -o $@ tests/host/test_sh.c
# The xv6 headers' values against the servers', the ABI's and the machine's.
$(B)/host/test_xv6hdr: tests/host/test_xv6hdr.c microkernel/dtb.c $(wildcard libsys/include/xv6/kernel/*.h) \
		$(wildcard include/abi/*.h) servers/pager/pager.h servers/fs/fs.h servers/fs/bio.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -Iservers/fs -Ilibsys/include/xv6 -o $@ tests/host/test_xv6hdr.c microkernel/dtb.c

# The in-QEMU suites run on a fresh copy of the disk, each booted from the
# boot archive (ARCHIVE_TESTS) or else from /tests; fspersist boots again
# on what fstests left there.
# nofs boots with the fs server pointed at a corrupt image (slot 2) and at
# an empty slot (3).
# usertests also runs under every combination of the paging policies.
ALLOCS := eager lazy around:4
FORKS := copy cow
EVICTS := none fifo clock
# The policy lab's replacement policies and scopes (docs/POLICIES.md) run under lazy,cow only.
LAB_EVICTS := eclock aging wsclock random nru clock,local:2000 aging,pff:2000
MATRIX := $(foreach a,$(ALLOCS),$(foreach f,$(FORKS),$(foreach e,$(EVICTS),usertests:pager.policy=$(a),$(f),$(e)))) \
          $(foreach e,$(LAB_EVICTS),usertests:pager.policy=lazy,cow,$(e))
POLICY_EVICTS := fifo clock eclock aging wsclock random nru clock,local:1200 wsclock,pff:600
POLICY_SUITES := $(foreach e,$(POLICY_EVICTS),policytests:pager.policy=lazy,cow,$(e)+pager.frames=1500)
# swaptests: swapping while others fault, fork, shrink and get killed (the pager's asynchronous swap).
SWAP_SUITES := $(foreach e,fifo clock,swaptests:pager.policy=lazy,cow,$(e)+pager.frames=1500)
# fscorrupt boots on damaged copies of a disk with nested directories
# (tools/corrupt_fs.py, fixed seeds): its superblock (slot 4), its inodes
# (slot 5), its directory entries (slot 6).
# stress runs under three policies, two of them swapping within 1,500 frames.
CORRUPT_BASE := $(B)/corrupt-base.img
CORRUPT_SUITES := fscorrupt:fs.slot=4+fscorrupt.image=superblock \
                  fscorrupt:fs.slot=5+fscorrupt.image=inodes fscorrupt:fs.slot=6+fscorrupt.image=dirs
STRESS_SUITES := stress:pager.policy=lazy,cow,clock+pager.frames=1500 \
                 stress:pager.policy=eager,copy,fifo+pager.frames=1500 stress:pager.policy=around:4,cow,none
# xv6compat: xv6-style programs (tests/xv6/); its churn runs 3 x 20 s under
# the default policy, 3 x 5 s under two more.
XV6_SUITES := xv6compat:seconds=20 xv6compat:pager.policy=eager,copy,none+seconds=5 \
              xv6compat:pager.policy=lazy,cow,clock+pager.frames=1500+seconds=5
# kbounds (the bounded-time tests) boots with pager.test_hooks=1: it asks
# the pager to build the worst cases that need frames (PAGER_PROBE).
# pagercheck boots with pager.test_hooks=1 and pager.check_faults=1: the
# pager's state checker runs after every fault.
SUITES := ktests kbounds:pager.test_hooks=1 sysfuzz limits jobtests pagercheck:pager.test_hooks=1+pager.check_faults=1 usertests fstests mmaptests protofuzz fspersist nofs:fs.slot=2 nofs:fs.slot=3 \
          $(CORRUPT_SUITES) $(MATRIX) $(POLICY_SUITES) $(SWAP_SUITES) $(STRESS_SUITES) $(XV6_SUITES)
# kbounds once more under -icount shift=0 (runtests.py --icount), where
# rdinstret counts instructions: each long kernel call is held to its exact
# budget of 100,000 instructions (docs/abi.md §13).
ICOUNT_SUITES := kbounds:pager.test_hooks=1+kbounds.icount=1
# The SMP kernel on 4 harts (runtests.py --smp; tests named smp4/...): the
# main suites, the policy matrix's main cells, the swapping policies, stress.
SMP_QEMU := -smp 4 -kernel $(B)/kernel-smp.elf
SMP_SUITES := $(addsuffix :harness.prefix=smp4,ktests sysfuzz usertests) \
              usertests:harness.prefix=smp4+pager.policy=eager,copy,none \
              usertests:harness.prefix=smp4+pager.policy=lazy,cow,clock+pager.frames=1500 \
              $(foreach e,fifo clock,policytests:harness.prefix=smp4+pager.policy=lazy,cow,$(e)+pager.frames=1500) \
              swaptests:harness.prefix=smp4+pager.policy=lazy,cow,clock+pager.frames=1500 \
              stress:harness.prefix=smp4+pager.policy=lazy,cow,clock+pager.frames=1500 \
              stress:harness.prefix=smp4+pager.policy=around:4,cow,none
TEST_DISK := $(B)/test.img
CORRUPT_DISK := $(B)/corrupt.img
TEST_QEMU = $(call qemu_on,$(TEST_DISK),$(TEST_SWAP),$(CONSOLE_HEADLESS)) \
           -drive file=$(CORRUPT_DISK),if=none,format=raw,id=bad \
           -device virtio-blk-device,drive=bad,bus=virtio-mmio-bus.2 \
           -drive file=$(B)/corrupt-superblock.img,if=none,format=raw,id=csuper \
           -device virtio-blk-device,drive=csuper,bus=virtio-mmio-bus.4 \
           -drive file=$(B)/corrupt-inodes.img,if=none,format=raw,id=cinodes \
           -device virtio-blk-device,drive=cinodes,bus=virtio-mmio-bus.5 \
           -drive file=$(B)/corrupt-dirs.img,if=none,format=raw,id=cdirs \
           -device virtio-blk-device,drive=cdirs,bus=virtio-mmio-bus.6
test: all $(HOST_TESTS) $(TEST_SWAP)
	cp $(FS_IMG) $(TEST_DISK)
	yes "not a file system" | head -c 1048576 > $(CORRUPT_DISK)
	$(B)/host/mkfs $(CORRUPT_BASE) $(DISK_FILES) d/echo=$(B)/apps/echo.elf \
		d/e/cat=$(B)/apps/cat.elf d/e/f/wc=$(B)/apps/wc.elf > /dev/null
	$(PYTHON) tools/corrupt_fs.py $(CORRUPT_BASE) $(B)/corrupt-superblock.img superblock 1
	$(PYTHON) tools/corrupt_fs.py $(CORRUPT_BASE) $(B)/corrupt-inodes.img inodes 1
	$(PYTHON) tools/corrupt_fs.py $(CORRUPT_BASE) $(B)/corrupt-dirs.img dirs 4
	$(PYTHON) tools/runtests.py --timeout $(TEST_TIMEOUT) $(if $(ONLY),--only '$(ONLY)') --archive $(ARCHIVE_TESTS) \
		--host "$(B)/host/test_dtb tests/host/virt.dtb" "$(B)/host/test_pager" \
		       "$(B)/host/test_fs" "$(B)/host/test_sh" "$(B)/host/test_xv6hdr tests/host/virt.dtb" \
		       "$(B)/host/test_policy" "sh tests/host/test_mkarchive.sh" \
		       "sh tests/host/test_run.sh" "sh tests/host/test_late_policy.sh" "sh tests/host/test_mkfs_get.sh" "sh tests/host/test_console.sh" "sh tests/host/test_pagerctl.sh" "sh tests/host/test_smp.sh" "$(PYTHON) tests/host/test_docs.py" "$(PYTHON) tests/host/test_layout.py" "sh tests/host/test_profile.sh" "sh tests/host/test_bench.sh" "$(PYTHON) tests/host/test_crash.py -- $(QEMU_CMD)" \
		--qemu $(SUITES) --icount $(ICOUNT_SUITES) --smp $(SMP_SUITES) --smp-qemu '$(SMP_QEMU)' -- $(TEST_QEMU)

# --- benchmarks (docs/PERFORMANCE.md) ----------------------------------------
# Boots the benchmarks (/bench/bench_*) with and without -icount shift=0; writes
# build/bench/results.csv, prints the table with the targets, draws plots.
# BENCH_ARGS: more options for bench.py, e.g. "--only basic --out DIR".
BENCH_ARGS ?=
bench: all $(TEST_SWAP) bench-policies
	-@tools/install-deps.sh gnuplot
	$(PYTHON) tools/bench.py --mkfs $(B)/host/mkfs --disk $(FS_IMG) --swap $(TEST_SWAP) --smp-kernel $(B)/kernel-smp.elf --replay $(B)/host/replay \
		--files "$(DISK_FILES)" --out $(B)/bench $(BENCH_ARGS) -- $(QEMU_CMD)

# The policy lab's reference workloads, every policy and OPT at three frame caps, in the simulated pager.
bench-policies: $(B)/host/replay
	-@tools/install-deps.sh gnuplot
	$(PYTHON) tools/policybench.py $(B)/host/replay $(B)/bench

# For editors (clangd, ...): every source with the flags the build uses, read
# from `make -n` (tools/compdb.py). clangd needs to be let ask the cross
# compiler for its headers: clangd --query-driver=/usr/bin/riscv64-unknown-elf-gcc
compile_commands.json: Makefile tools/compdb.py $(wildcard */*.c */*/*.c */*/*/*.c)
	$(MAKE) -nB --no-print-directory all $(B)/host/mkfs $(HOST_TESTS) | $(PYTHON) tools/compdb.py $(CURDIR) > $@.tmp
	mv $@.tmp $@

help:
	@echo 'Targets:'
	@echo '  make                 build everything: build/kernel.elf (with its boot archive), build/fs.img'
	@echo '  make qemu            boot on this terminal from DISK, your disk; Ctrl-A x quits, Ctrl-A c monitor'
	@echo '  make qemu-gdb        the same, stopped, waiting for gdb on GDB_PORT (gdb-multiarch -x tools/gdbinit)'
	@echo '  make run CMD=...     boot headless on a disk of its own, run one shell command line, print its'
	@echo '                       output; exits with its status (e.g. make run CMD='"'"'ls | wc'"'"')'
	@echo '  make test            host tests and the in-QEMU suites; ends "N passed, N failed"'
	@echo '  make bench           the benchmarks (docs/PERFORMANCE.md)'
	@echo '  make lines           the kernel'"'"'s size in lines of code'
	@echo '  make clean-disk      delete DISK (and its swap): the next make qemu starts from a fresh copy'
	@echo '  make clean           delete what make built, not DISK'
	@echo '  make compile_commands.json   the compiler flags for editors (clangd)'
	@echo '  make deps            install the compilers, picolibc and QEMU if missing'
	@echo 'Variables (VAR=value on the command line):'
	@echo '  MEM=$(MEM) HARTS=$(HARTS)   RAM size and hart count (HARTS=2..8 boots the SMP kernel, build/kernel-smp.elf)'
	@echo '  POLICY=alloc,fork,evict   paging policy, e.g. lazy,cow,clock (default lazy,cow,none)'
	@echo '  FRAMES=N             cap on the frames the pager uses (at least 100)'
	@echo '  RUN=$(RUN)             the program make qemu starts first (from the boot archive, else the'
	@echo '                       disk: RUN=tests/fstests)'
	@echo '  ARGS=...             more boot arguments, e.g. ARGS=pager.trace=1'
	@echo '  CMD=...              make run: the shell command line, passed as written'
	@echo '  PROGS="a.c b.c"      make run: your programs, compiled as xv6 compiles its own, put on its disk'
	@echo '  DISK=$(DISK)    make qemu'"'"'s disk (kept across builds; made from build/fs.img)'
	@echo '  SWAP=$(SWAP) SWAP_SIZE=$(SWAP_SIZE)   make qemu'"'"'s swap disk'
	@echo '  TEST_TIMEOUT=$(TEST_TIMEOUT)      seconds for each test, and for make run'
	@echo '  GDB_PORT=$(GDB_PORT)        make qemu-gdb'"'"'s gdb port'
	@echo '  QEMU_EXTRA=...       more QEMU options;  BENCH_ARGS=...   more options for make bench'

# The kernel's size (the README reports it; the rule: at most 3,000 lines of code).
lines:
	@$(PYTHON) tools/lines.py microkernel

# Everything built, but not your disk (make clean-disk deletes that).
clean:
	@if [ -f $(DISK) ]; then echo "clean: keeping $(DISK), your disk (make clean-disk deletes it)"; fi
	@if [ -d $(B) ]; then find $(B) -mindepth 1 -maxdepth 1 ! -path $(DISK) -exec rm -rf {} +; fi

# DEBUG=1 (make qemu-gdb DEBUG=1): no link-time optimization, the kernel at -Og
# and user space (the pager) at -O0, so that
# gdb stops in the kernel's and the pager's functions (fault_handle, fault_user)
# and shows their locals; everything goes to build-debug/, never mixed with
# the optimized build the benchmarks measure.
ifeq ($(DEBUG),1)
KCFLAGS := $(filter-out -O2 -flto,$(KCFLAGS)) -Og
UCFLAGS := $(filter-out -O2,$(UCFLAGS)) -O0
SERVER_LTO :=
endif

-include $(shell find $(B) -name '*.d' 2>/dev/null)
