#!/usr/bin/env python3
"""Where the instructions of one operation go, function by function.

    tools/profile.py [--nth N] [--elf ELF]... MARKER -- COMMAND LINE

Boots the system as `make run CMD='COMMAND LINE'` does, with QEMU logging
the pc of every instruction it executes (`-icount shift=0 -singlestep -d
exec,nochain`). MARKER is a kernel function that runs once per operation
(sys_gettid for bench_null, sys_call for bench_ipc, fault_user for a
fault); the instructions between its Nth and its N+1th start are one
operation. They are printed in order, as runs of one function, and then
summed per function. The kernel is built with link-time optimization, so
a marker must be a function that is not inlined away.

User programs all run at the same addresses, so each stretch of user code
is matched to the ELF (of those given with --elf, plus the pager and the
fs server) whose instructions it follows best; on a tie, an --elf one. Example:

    tools/profile.py --elf build/bench/bench_fault.elf fault_user -- \\
        'sleep 30; /bench/bench_fault lazy,cow,none 16 256'
"""
import argparse
import bisect
import collections
import os
import re
import subprocess
import tempfile
import threading

KERNEL = "build/kernel.elf"
SERVERS = ["build/servers/pager.elf", "build/servers/fs.elf"]
USER_BASE = 1 << 32
TRACE_LINE = re.compile(r"Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/")
INSN_LINE = re.compile(r"\s*([0-9a-f]+):\s+([0-9a-f]+)\s")


class Elf:
    """The functions and instruction addresses of one ELF file."""

    def __init__(self, path):
        self.name = os.path.basename(path).removesuffix(".elf")
        nm = subprocess.run(["riscv64-unknown-elf-nm", "-n", path], capture_output=True,
                            text=True, check=True).stdout
        self.symbols = [(int(a, 16), s) for a, t, s in
                        (line.split() for line in nm.splitlines() if len(line.split()) == 3)
                        if t in "tTwW"]
        self.starts = [a for a, _ in self.symbols]
        dump = subprocess.run(["riscv64-unknown-elf-objdump", "-d", path], capture_output=True,
                              text=True, check=True).stdout
        self.insn_size = {int(m.group(1), 16): len(m.group(2)) // 2
                          for m in map(INSN_LINE.match, dump.splitlines()) if m}

    def function(self, pc):
        """The function holding pc."""
        i = bisect.bisect_right(self.starts, pc) - 1
        return f"{self.name}:{self.symbols[i][1]}" if i >= 0 else f"{self.name}:{pc:#x}"

    def fit(self, pcs):
        """How well a run of pcs follows this ELF's instructions (higher is better)."""
        known = sum(1 for pc in pcs if pc in self.insn_size)
        sequential = sum(1 for a, b in zip(pcs, pcs[1:]) if b == a + self.insn_size.get(a, -a))
        return known + sequential


def symbol_address(elf, name):
    """The address of function `name` in elf."""
    for address, symbol in elf.symbols:
        if symbol == name:
            return address
    raise SystemExit(f"profile: no function {name} in {KERNEL}")


def collect(fifo, marker, nth, out):
    """Read QEMU's log from fifo; keep the pcs from the nth start of marker to the next."""
    hits = 0
    with open(fifo) as log:
        for line in log:
            m = TRACE_LINE.search(line)
            if not m:
                continue
            pc = int(m.group(1), 16)
            hits += pc == marker
            if hits == nth:
                out.append(pc)
            elif hits > nth:
                break
        for _ in log:                 # let QEMU finish writing
            pass


def runs_of(pcs, kernel, users):
    """The pcs as runs of (function, instructions), user stretches matched to their ELF."""
    stretches = []
    for pc in pcs:
        in_kernel = pc < USER_BASE
        if stretches and stretches[-1][0] == in_kernel:
            stretches[-1][1].append(pc)
        else:
            stretches.append((in_kernel, [pc]))
    runs = []
    for in_kernel, stretch in stretches:
        elf = kernel if in_kernel else max(users, key=lambda e: e.fit(stretch))
        for pc in stretch:
            name = elf.function(pc)
            if runs and runs[-1][0] == name:
                runs[-1][1] += 1
            else:
                runs.append([name, 1])
    return runs


def main():
    """Profile one operation and print where its instructions went."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nth", type=int, default=100, help="which operation (default 100)")
    parser.add_argument("--elf", action="append", default=[], help="a user program's ELF")
    parser.add_argument("marker", help="kernel function that starts each operation")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND LINE")
    args = parser.parse_args()
    command = " ".join(args.command[1:] if args.command[:1] == ["--"] else args.command)
    kernel = Elf(KERNEL)
    users = [Elf(path) for path in args.elf + SERVERS]   # a tie goes to the program asked about
    marker = symbol_address(kernel, args.marker)
    pcs = []
    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, "trace")
        os.mkfifo(fifo)
        reader = threading.Thread(target=collect, args=(fifo, marker, args.nth, pcs))
        reader.start()
        extra = f"-icount shift=0 -singlestep -d exec,nochain -D {fifo}"
        subprocess.run(["make", "-s", "run", f"CMD={command}", f"QEMU_EXTRA={extra}"],
                       stdout=subprocess.DEVNULL, check=False)
        reader.join()
    if not pcs:
        raise SystemExit(f"profile: {args.marker} did not run {args.nth} times")
    totals = collections.Counter()
    for name, count in runs_of(pcs, kernel, users):
        print(f"{count:6d} {name}")
        totals[name] += count
    print(f"{len(pcs):6d} in all\n\nper function:")
    for name, count in totals.most_common():
        print(f"{count:6d} {name}")


if __name__ == "__main__":
    main()
