#!/usr/bin/env python3
"""The fault path's code and data stay on the few pages they were put on.

QEMU empties its software TLB at every satp write (twice per fault), so
each page a fault touches afterwards costs a refill (docs/PERFORMANCE.md,
"Several harts"). The fault path's code is HOT_PATH (section .text.hot,
first in the link maps) and its zeroed data HOT_DATA (.bss.hot, after the
small variables at the start of .bss). This test reads the symbol tables
of the built kernels and pager and checks that:

- the kernel's and the pager's fault-path functions lie in the first two
  pages of their text;
- the kernel's system-call table and hot variables lie on the page where
  its .bss starts (bss_start), with the small variables; the pager's hot
  variables on the first page of its .bss (of an array bigger than a
  page, its start).

A function or variable that loses its attribute, or a link map that loses
its line, moves away and fails here. Prints @@ PASS / @@ FAIL lines for
tools/runtests.py.
"""
import subprocess
import sys

PAGE = 4096
NM = "riscv64-unknown-elf-nm"
HOT_CODE_PAGES = 2

# ELF, the fault path's functions, the hot variables, and what marks their page (a symbol, or a section's start).
CHECKS = [
    ("build/kernel.elf",
     ["trap_entry", "trap_handler", "fault_user", "sys_reply_recv", "schedule", "space_map_checked"],
     ["syscalls", "current", "run_queue", "spaces"], "bss_start"),
    ("build/kernel-smp.elf",
     ["trap_entry", "trap_handler", "fault_user", "sys_reply_recv", "schedule", "kernel_lock",
      "kernel_unlock"],
     ["syscalls", "run_queue", "spaces", "cpus", "kernel_big_lock", "idle_harts"], "bss_start"),
    ("build/servers/pager.elf",
     ["pager_serve", "frame_alloc", "fill_page", "fault_thread_recv", "pager_unlock_threads"],
     ["by_thread", "stats", "pager_mutex", "fault_tids", "to_zero"], ".bss"),
]


def symbols(elf):
    """name -> (address, size) of every symbol of elf (LTO suffixes such as .lto_priv.0 cut off)."""
    out = subprocess.run([NM, "-S", elf], capture_output=True, text=True, check=True).stdout
    table = {}
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 4:
            address, size, name = int(fields[0], 16), int(fields[1], 16), fields[3]
        elif len(fields) == 3:
            address, size, name = int(fields[0], 16), 0, fields[2]
        else:
            continue
        table.setdefault(name.split(".")[0], (address, size))
    return table


def section_start(elf, name):
    """The address of section `name` of elf."""
    out = subprocess.run([NM.replace("nm", "readelf"), "-S", "-W", elf], capture_output=True,
                         text=True, check=True).stdout
    for line in out.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 3 and fields[1] == name:
            return int(fields[3], 16)
    raise SystemExit(f"test_layout: no section {name} in {elf}")


def misplaced(table, names, low, high):
    """Those of names (in table) that do not lie wholly in [low, high), with where they are."""
    bad = []
    for name in names:
        if name not in table:
            bad.append(f"{name} (not found)")
            continue
        address, size = table[name]
        fits = address + max(size, 1) <= high or size > high - low   # a bigger array: its start
        if not (low <= address < high and fits):
            bad.append(f"{name} at {address:#x} size {size}")
    return bad


def report(name, bad, where):
    """Print one result line; 1 if it failed."""
    if bad:
        print(f"@@ FAIL host/{name} not on {where}: {', '.join(bad)}")
        return 1
    print(f"@@ PASS host/{name}")
    return 0


def main():
    """Check every ELF in CHECKS; non-zero if any check failed."""
    failed = 0
    for elf, functions, variables, anchor in CHECKS:
        label = elf.split("/")[-1].replace(".elf", "").replace("-", "_")
        table = symbols(elf)
        text = section_start(elf, ".text")
        failed += report(f"layout_{label}_hot_code",
                         misplaced(table, functions, text, text + HOT_CODE_PAGES * PAGE),
                         f"the first {HOT_CODE_PAGES} pages of .text ({text:#x})")
        start = section_start(elf, anchor) if anchor.startswith(".") else table[anchor][0]
        page = start // PAGE * PAGE
        failed += report(f"layout_{label}_hot_data", misplaced(table, variables, page, page + PAGE),
                         f"the page of {anchor} ({page:#x})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
