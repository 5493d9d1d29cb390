#!/usr/bin/env python3
"""Host side of `make bench`: boot the benchmark programs and report on them.

usage: bench.py --mkfs MKFS --disk DISK --swap SWAP --files "NAME=PATH ..."
                [--out DIR] [--timeout SECS] [--only BOOT ...] -- QEMU_COMMAND...

The benchmark programs (bench/bench_*.c, /bench on the disk) print one line per result,

    @@ BENCH <benchmark> <policy> <parameter> <instructions> <wall_ns>

per operation. This script writes guest scripts that run them (one per
boot, see build_boots), and boots each script twice on a fresh disk image made by
MKFS from the --files list plus the script as /runcmd: once with
`-icount shift=0`, where the cycle counter counts instructions (exact and
repeatable), and once without, where only the wall time means anything.
QEMU_COMMAND is the Makefile's QEMU_CMD; its -drive file=DISK and
file=SWAP are replaced by images of this script's own under --out.

It merges instructions from the first run and wall_ns from the second,
keyed by (benchmark, policy, parameter), into OUT/results.csv, prints a
table with the targets met or missed (also saved as OUT/results.txt), and
draws OUT/ops.png, OUT/fault.png, OUT/fork.png, OUT/sbrk.png and OUT/parallel.png with gnuplot
if it is installed: ours beside the targets and the xv6 and Linux figures of
REFERENCES. Before each @@ BENCH line a program prints the same figure for
people, "instructions" or "cycles (not instructions: ...)"; the latter in
an icount run is reported as a problem. Each boot's console output is kept in OUT/logs/
(BOOT-MODE.log; BOOT-MODE-N.log for the Nth boot of a name booted several
times: the fault_parallel boots, taken in turn, PARALLEL_BOOTS times, whose
result is their median, so that a slow spell of a shared host hits every
number of harts alike). The exit status
is 1 if any expected result is missing (a program printed nothing, was
killed, or a guest timed out), else 0; missed targets do not fail.
"""

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
import time
from collections import namedtuple

import policylab   # the policies boot: tools/policylab.py

DEFAULT_OUT = os.path.join("build", "bench")
DEFAULT_TIMEOUT_S = 90.0       # per boot; the slowest takes about 12 s
ICOUNT_ARGS = ["-icount", "shift=0"]
MODES = (("icount", ICOUNT_ARGS), ("wall", []))
BOOT_ARGS = "run=init init.script=/runcmd"
SCRIPT_NAME = "runcmd"
BENCH_DIR = "/bench"          # where the Makefile puts the benchmark programs on the disk
RESULT_RE = re.compile(r"@@ BENCH (\S+) (\S+) (\d+) (\d+) (\d+)")
KILLED_RE = re.compile(r"pager: killed pid .*")
EXIT_RE = re.compile(r"pager: init exited with status (-?\d+)")
NOT_COUNTED = "(not instructions:"      # bench_report's label when rdcycle does not count them

MIB = 1 << 20
GIB = 1 << 30
DEFAULT_POLICY = "lazy,cow,none"
HEAP_MIBS = (1, 4, 16, 64, 256, 1024)
NOPOOL_MIBS = (16, 1024)              # fault_anon_nopool: the pager zeroes no frames in idle time
FAULT_PAGES = 256                     # the last pages of the heap, touched one after another
IDLE_TICKS = 30                       # idle time before each fault run: the pager refills its zeroed pool
FAULT_POLICIES = ("lazy,cow,none", "around:8,cow,none")
COW_PAGES = 1024
SBRK_MIB = 16
SBRK_BIG_MIB = 1024
SBRK_POLICIES = ("eager,cow,none", "lazy,cow,none", "around:8,cow,none")
SBRK_BIG_POLICY = "lazy,cow,none"
FORK_ROUNDS = ((0, 20), (1, 20), (8, 10), (64, 3))     # (heap MiB, rounds)
FORK_POLICIES = ("lazy,copy,none", "lazy,cow,none")
SWAP_POLICIES = ("lazy,cow,fifo", "lazy,cow,clock")
SWAP_FRAMES = 2000
SWAPMIX_POLICY = "lazy,cow,clock"
SWAPMIX_PAGES, SWAPMIX_ROUNDS = 256, 8     # zero-fill touches per round, rounds (bench_swapmix)
SWAPMIX_LABEL = "fault_during_swap: zero-fill beside a swapper vs alone"
SWAPMIX_LIMIT = 2.0                        # at most twice its cost alone
IPC_SIZES = (0, 4096)
PARALLEL_HARTS = (1, 2, 4)            # fault_parallel: as many processes as harts, wall time only
PARALLEL_PAGES = 2048                 # pages each process touches
PARALLEL_ROUNDS = 11                  # rounds in each boot, the median one reported (a round takes ~30 ms)
PARALLEL_TARGET = 1.7                 # 2 harts' fault throughput at least this many times 1 hart's
PARALLEL_BOOTS = 3                    # boots of each, taken in turn (1, 2, 4, 1, ...): the median boot counts
COW_POLICY = "lazy,cow,none"
SOURCE_DIRS = ("microkernel", "servers", "libsys", "apps", "bench", "include")   # "local changes" to these

# One guest command and the result keys (benchmark, policy, parameter) it prints.
Run = namedtuple("Run", "command expected")
# One boot: a name, extra boot arguments, the commands its script runs,
# how many processes the pager is expected to kill on the way, QEMU
# arguments of its own (the SMP kernel on N harts) and the modes it runs in.
Boot = namedtuple("Boot", "name args runs kills qemu modes", defaults=((), ("icount", "wall")))
# A target: its name, benchmark, parameter (None: any), a word the policy
# must contain (None: any), the most instructions per operation allowed.
Target = namedtuple("Target", "label benchmark parameter policy_word limit")

TARGETS = (
    Target("null_syscall", "null_syscall", None, None, 92),
    Target("ipc_roundtrip empty", "ipc_roundtrip", 0, None, 300),
    Target("fault_anon lazy (zeroed pool)", "fault_anon", None, "lazy", 600),   # around:N maps N pages a fault
    Target("fault_anon_nopool lazy", "fault_anon_nopool", None, "lazy", 1_000),
    Target("sbrk_grow 16 MiB lazy", "sbrk_grow", SBRK_MIB * MIB, "lazy", 1_000),
    Target("sbrk_grow 1 GiB lazy", "sbrk_grow", SBRK_BIG_MIB * MIB, "lazy", 1_000),
    Target("fork_exit_wait 0 MiB", "fork_exit_wait", 0, None, 150_000),
    Target("fork_exit_wait 8 MiB cow", "fork_exit_wait", 8, "cow", 350_000),
    Target("fault_cow", "fault_cow", None, None, 1_500),
)
SCALE_LABEL = "fault_anon 1 GiB vs 1 MiB heap"
SCALE_SMALL_MIB, SCALE_BIG_MIB = 1, 1024
SCALE_TOLERANCE = 0.10          # fault cost, 1 GiB heap vs 1 MiB: within 10%
SCALE_POLICY = "lazy,cow,none"  # around:8 amortizes its faults over the dense 1 MiB heap
PARALLEL_LABEL = "fault_parallel 2 harts vs 1"
# Measured in wall time only: under icount QEMU runs the harts in turn.
# (swap_in, which waits for the disk, takes its idle time off the count.)
WALL_ONLY = ("fault_parallel",)
# Counts per operation that are neither instructions nor time: (benchmark, what is counted).
COUNTS = {"sfence_per_fork": "sfence.vma"}
FORK_PAGE_LABEL = "fork_exit_wait cow, per extra touched page"
FORK_PAGE_LIMIT = 100                 # instructions per page touched before the fork
FORK_PAGE_MIBS = (0, 8)               # measured between these heaps

# How the table shows each benchmark's parameter.
PARAM_UNITS = {"fault_anon": "MiB", "fault_anon_nopool": "MiB", "fork_exit_wait": "MiB", "sfence_per_fork": "MiB", "sbrk_grow": "bytes",
               "sbrk_touch": "bytes", "ipc_roundtrip": "bytes", "fault_cow": "pages",
               "fault_parallel": "harts", "fault_during_swap": "swappers"}
CSV_HEADER = ("benchmark", "policy", "parameter", "instructions", "wall_ns")
TABLE_HEADER = ("benchmark", "policy", "parameter", "instructions", "wall ns", "target", "verdict")
MISSING = "missing"
TIMED_OUT = "timed out"

# Reference figures: the same operation on other systems, instructions per
# operation under the same icount measurement (docs/PERFORMANCE.md, Anchors).
# parameter None: every parameter of the benchmark; low == high for one figure.
Reference = namedtuple("Reference", "system benchmark parameter low high")
XV6, XV6_NO_FILL, LINUX = "xv6-riscv", "xv6-riscv without its page fill", "Linux 6.1"
REFERENCES = (
    Reference(XV6, "null_syscall", 0, 705, 1_130),
    Reference(LINUX, "null_syscall", 0, 169, 169),
    Reference(XV6, "fault_anon", None, 25_610, 25_610),
    Reference(XV6_NO_FILL, "fault_anon", None, 1_030, 1_030),
    Reference(LINUX, "fault_anon", None, 1_851, 1_903),
    Reference(LINUX, "fault_anon_nopool", None, 1_851, 1_903),
    Reference(LINUX, "fault_cow", None, 2_625, 2_625),
    Reference(XV6, "sbrk_grow", SBRK_MIB * MIB, 884, 884),
    Reference(XV6, "fork_exit_wait", 0, 494_000, 494_000),
    Reference(LINUX, "fork_exit_wait", 0, 86_000, 86_000),
    Reference(LINUX, "fork_exit_wait", 1, 150_000, 150_000),
    Reference(XV6, "fork_exit_wait", 8, 94_400_000, 94_400_000),
    Reference(LINUX, "fork_exit_wait", 8, 575_000, 575_000),
)
# The one-figure operations ops.png shows side by side: (label, result key).
OPS_PLOTTED = (
    ("null syscall", ("null_syscall", DEFAULT_POLICY, 0)),
    ("IPC, empty", ("ipc_roundtrip", DEFAULT_POLICY, 0)),
    ("anon fault", ("fault_anon", "lazy,cow,none", SBRK_MIB)),
    ("cow fault", ("fault_cow", COW_POLICY, COW_PAGES)),
    (f"sbrk {SBRK_MIB} MiB", ("sbrk_grow", "lazy,cow,none", SBRK_MIB * MIB)),
    (f"sbrk {SBRK_BIG_MIB // 1024} GiB", ("sbrk_grow", SBRK_BIG_POLICY, SBRK_BIG_MIB * MIB)),
)
FORK_ZERO_AT = 0.25     # where fork.png's log x axis draws 0 MiB
FORK_YMAX = 300_000_000 # room above xv6's 94.4M
FAULT_YMAX = 2_400      # fault.png's y range: xv6's 25,610 is drawn as an arrow off the top

PLOT_SIZE = "900,540"
PLOT_TERMINALS = ("pngcairo", "png")      # the first one gnuplot has
GNUPLOT_MISSING = "?"


def build_boots(smp_kernel):
    """The boots to make, in order, each with its guest commands and expected results."""
    def fault(pol, mib):
        """One bench_fault run."""
        return Run(f"sleep {IDLE_TICKS}; {BENCH_DIR}/bench_fault {pol} {mib} {FAULT_PAGES}",
                   [("fault_anon", pol, mib)])

    def sbrk(pol, mib, touch=True):
        """One bench_sbrk run (sbrk_touch too unless the heap cannot be filled)."""
        names = ("sbrk_grow", "sbrk_touch") if touch else ("sbrk_grow",)
        return Run(f"{BENCH_DIR}/bench_sbrk {pol} {mib}", [(n, pol, mib * MIB) for n in names])

    def fork(pol, mib, rounds):
        """One bench_fork run."""
        return Run(f"{BENCH_DIR}/bench_fork {pol} {mib} {rounds}",
                   [("fork_exit_wait", pol, mib), ("sfence_per_fork", pol, mib)])

    basic = [Run(f"{BENCH_DIR}/bench_null", [("null_syscall", DEFAULT_POLICY, 0), ("getpid", DEFAULT_POLICY, 0)]),
             Run(f"{BENCH_DIR}/bench_ipc", [("ipc_roundtrip", DEFAULT_POLICY, n) for n in IPC_SIZES]),
             Run(f"{BENCH_DIR}/bench_cow {COW_POLICY} {COW_PAGES}", [("fault_cow", COW_POLICY, COW_PAGES)])]
    faults = [fault(p, m) for p in FAULT_POLICIES for m in HEAP_MIBS]
    nopool = [Run(f"{BENCH_DIR}/bench_fault {DEFAULT_POLICY} {m} {FAULT_PAGES} fault_anon_nopool",
                  [("fault_anon_nopool", DEFAULT_POLICY, m)]) for m in NOPOOL_MIBS]
    # The 1 GiB heap cannot be touched in 128 MiB of RAM: bench_sbrk is killed
    # after printing sbrk_grow, so it goes last.
    sbrks = [sbrk(p, SBRK_MIB) for p in SBRK_POLICIES] + [sbrk(SBRK_BIG_POLICY, SBRK_BIG_MIB, False)]
    forks = [fork(p, m, r) for p in FORK_POLICIES for m, r in FORK_ROUNDS]
    swaps = [Run(f"{BENCH_DIR}/bench_swap {p}", [("swap_in", p, 0)]) for p in SWAP_POLICIES]
    swapmix = [Run(f"{BENCH_DIR}/bench_swapmix {SWAPMIX_POLICY} {SWAPMIX_PAGES} {SWAPMIX_ROUNDS}",
                   [("fault_during_swap", SWAPMIX_POLICY, n) for n in (0, 1)])]
    default = f"pager.policy={DEFAULT_POLICY}"

    def parallel(harts):
        """fault_parallel on `harts` harts: the SMP kernel when more than one, in wall time only."""
        run = Run(f"{BENCH_DIR}/bench_parallel {DEFAULT_POLICY} {harts} {PARALLEL_PAGES} {PARALLEL_ROUNDS}",
                  [("fault_parallel", DEFAULT_POLICY, harts)])
        smp = ("-smp", str(harts), "-kernel", smp_kernel) if harts > 1 else ()
        return Boot(f"parallel{harts}", f"{default} pager.zero_pool=0", [run], 0, smp, ("wall",))

    return [Boot("basic", default, basic, 0), Boot("fault", default, faults, 0),
            Boot("nopool", f"{default} pager.zero_pool=0", nopool, 0),
            Boot("sbrk", default, sbrks, 1), Boot("fork", default, forks, 0),
            Boot("swap", f"{default} pager.frames={SWAP_FRAMES}", swaps, 0),
            Boot("swapmix", f"{default} pager.frames={SWAP_FRAMES}", swapmix, 0)] + \
        [parallel(h) for _ in range(PARALLEL_BOOTS) for h in PARALLEL_HARTS] + \
        [Boot("policies", default, policylab.runs(BENCH_DIR, Run), 0, (), ("icount",))]


def say(text=""):
    """Print a line to the terminal right away."""
    print(text, flush=True)


def qemu_command(qemu, disk, swap, own_disk, own_swap, extra):
    """QEMU's argv with the extra arguments and this script's disk images in place of the Makefile's."""
    swaps = {f"file={disk},": f"file={own_disk},", f"file={swap},": f"file={own_swap},"}
    found, args = set(), []
    for arg in qemu[1:]:
        for old, new in swaps.items():
            if old in arg:
                arg = arg.replace(old, new)
                found.add(old)
        args.append(arg)
    for old in swaps:
        if old not in found:
            raise SystemExit(f"bench: the QEMU command has no -drive {old[:-1]}")
    return [qemu[0]] + extra + args


def make_images(opts, work, script_text):
    """Write the guest script, a fresh disk image with it and an empty swap image; their paths."""
    os.makedirs(work, exist_ok=True)
    script = os.path.join(work, SCRIPT_NAME)
    disk, swap = os.path.join(work, "disk.img"), os.path.join(work, "swap.img")
    with open(script, "w") as f:
        f.write(script_text)
    for path in (disk, swap):
        if os.path.exists(path):
            os.remove(path)
    made = subprocess.run([opts.mkfs, disk] + opts.files.split() + [f"{SCRIPT_NAME}={script}"],
                          stdout=subprocess.DEVNULL)
    if made.returncode:
        raise SystemExit(f"bench: {opts.mkfs} failed (status {made.returncode})")
    with open(swap, "wb") as f:
        f.truncate(os.path.getsize(opts.swap))
    return disk, swap


def boot_once(opts, boot, mode, extra, attempt):
    """Boot one script in one mode, the attempt-th boot of that name; return (results
    {key: (instructions, ns)}, notes, seconds)."""
    work = os.path.join(opts.out, "work")
    script_text = "".join(run.command + "\n" for run in boot.runs)
    disk, swap = make_images(opts, work, script_text)
    argv = qemu_command(opts.qemu, opts.disk, opts.swap, disk, swap, extra)
    argv += list(boot.qemu) + ["-append", f"{BOOT_ARGS} {boot.args}"]   # last: overrides -smp, -kernel
    start, notes = time.monotonic(), []
    try:
        out = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=opts.timeout).stdout
    except subprocess.TimeoutExpired as e:
        out = e.stdout or b""
        notes.append(f"{TIMED_OUT} after {opts.timeout:g} s")
    seconds = time.monotonic() - start
    text = out.decode(errors="replace").replace("\r", "")
    log = os.path.join(opts.out, "logs", f"{boot.name}-{mode}" + (f"-{attempt}" if attempt > 1 else "") + ".log")
    with open(log, "w") as f:
        f.write(" ".join(argv) + "\n" + text)
    results, status, kills, uncounted = {}, None, 0, False
    for line in text.splitlines():
        m = RESULT_RE.search(line)
        if m:
            name, policy, param, instr, ns = m.groups()
            results[(name, policy, int(param))] = (int(instr), int(ns))
        elif KILLED_RE.search(line):
            kills += 1
            expected = " (expected)" if kills <= boot.kills else ""
            notes.append(KILLED_RE.search(line).group(0) + expected)
        elif EXIT_RE.search(line):
            status = int(EXIT_RE.search(line).group(1))
        if NOT_COUNTED in line and extra == ICOUNT_ARGS and not uncounted:
            uncounted = True
            notes.append("the cycle counter did not count instructions under icount: " + line)
    if status is None and not any(n.startswith(TIMED_OUT) for n in notes):
        notes.append("the machine stopped without init's exit status")
    return results, notes, seconds


def run_all(opts, boots):
    """Boot every script in every mode; return {mode: {key: [(instructions, ns) of each boot]}} and the problems seen."""
    os.makedirs(os.path.join(opts.out, "logs"), exist_ok=True)
    found, problems = {mode: {} for mode, _ in MODES}, []
    total, n, attempts = sum(len(boot.modes) for boot in boots), 0, {}
    for boot in boots:
        attempts[boot.name] = attempts.get(boot.name, 0) + 1
        for mode, extra in [(m, e) for m, e in MODES if m in boot.modes]:
            n += 1
            results, notes, seconds = boot_once(opts, boot, mode, extra, attempts[boot.name])
            for key, value in results.items():
                found[mode].setdefault(key, []).append(value)
            expected = [key for run in boot.runs for key in run.expected]
            lost = [key for key in expected if key not in results]
            say(f"bench: [{n}/{total}] {boot.name:6} {mode:6} {len(results):3} results "
                f"in {seconds:5.1f} s" + (f", {len(lost)} missing" if lost else ""))
            for note in notes:
                say(f"bench:     {note}")
                if not note.endswith("(expected)"):
                    problems.append(f"{boot.name} ({mode}): {note}")
            if lost:
                problems.append(f"{boot.name} ({mode}): {MISSING}: "
                                + "; ".join(" ".join(map(str, key)) for key in lost))
    return found, problems


def median_of(values):
    """The median of a list of figures (of several boots: the lower middle one when even)."""
    return sorted(values)[(len(values) - 1) // 2]


def merge(boots, found):
    """Rows [benchmark, policy, parameter, instructions or None, wall_ns or None], expected ones first;
    a result of several boots is their median."""
    keys = []
    for key in [key for boot in boots for run in boot.runs for key in run.expected]:
        keys += [key] if key not in keys else []
    for mode, _ in MODES:
        keys += [key for key in found[mode] if key not in keys]
    icount, wall = found["icount"], found["wall"]
    return [list(key) + [median_of([v[0] for v in icount[key]]) if key in icount else None,
                         median_of([v[1] for v in wall[key]]) if key in wall else None] for key in keys]


def write_csv(path, rows):
    """Write the merged rows to path as CSV (missing values as empty fields)."""
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(CSV_HEADER)
        for row in rows:
            out.writerow(["" if v is None else v for v in row])


def target_for(row):
    """The target that applies to a row, or None."""
    name, policy, param = row[:3]
    for t in TARGETS:
        if (t.benchmark == name and (t.parameter is None or t.parameter == param)
                and (t.policy_word is None or t.policy_word in policy.split(","))):
            return t
    return None


def verdict(value, limit):
    """MET, MISSED with the factor by which value exceeds limit, or missing."""
    if value is None:
        return MISSING
    return "MET" if value <= limit else f"MISSED x{value / limit:.1f}"


def format_param(name, param):
    """A parameter as the table shows it, in its benchmark's unit."""
    unit = PARAM_UNITS.get(name)
    if unit == "bytes" and name == "ipc_roundtrip" and param == 0:
        return "empty"
    if unit == "bytes" and param and param % GIB == 0:
        return f"{param // GIB} GiB"
    if unit == "bytes" and param and param % MIB == 0:
        return f"{param // MIB} MiB"
    if unit == "bytes":
        return f"{param} B"
    return f"{param} {unit}" if unit else str(param)


def format_number(value):
    """An integer with thousands separators, or 'missing'."""
    return MISSING if value is None else f"{value:,}"


def scale_lines(rows):
    """Lines comparing fault_anon's cost on the largest and smallest heaps, per policy, and the verdict."""
    cost = {(r[1], r[2]): r[3] for r in rows if r[0] == "fault_anon"}
    if not cost:
        return [], None
    lines, result = [], MISSING
    for policy in FAULT_POLICIES:
        small, big = cost.get((policy, SCALE_SMALL_MIB)), cost.get((policy, SCALE_BIG_MIB))
        label = f"fault_anon {SCALE_BIG_MIB} MiB / {SCALE_SMALL_MIB} MiB heap, {policy}:"
        if not small or big is None:
            lines.append(f"{label} {MISSING}")
            continue
        ratio = big / small
        if policy != SCALE_POLICY:
            lines.append(f"{label} {ratio:.2f}x (no target: the 1 MiB heap is touched densely)")
            continue
        off = max(ratio, 1 / ratio)
        result = "MET" if off <= 1 + SCALE_TOLERANCE else f"MISSED x{off / (1 + SCALE_TOLERANCE):.2f}"
        lines.append(f"{label} {ratio:.2f}x  target within {SCALE_TOLERANCE:.0%}  {result}")
    return lines, result


def parallel_lines(rows):
    """Lines giving fault_parallel's throughput on N harts as a multiple of 1 hart's, and the verdict."""
    ns = {r[2]: r[4] for r in rows if r[0] == "fault_parallel"}
    if not ns:
        return [], None
    lines, result = [], MISSING
    for harts in PARALLEL_HARTS[1:]:
        label = f"fault_parallel, {harts} harts' fault throughput (wall time) vs 1 hart's:"
        if not ns.get(1) or not ns.get(harts):
            lines.append(f"{label} {MISSING}")
            continue
        ratio = ns[1] / ns[harts]
        if harts != 2:
            lines.append(f"{label} {ratio:.2f}x (no target)")
            continue
        result = "MET" if ratio >= PARALLEL_TARGET else f"MISSED x{PARALLEL_TARGET / ratio:.1f}"
        lines.append(f"{label} {ratio:.2f}x  target >= {PARALLEL_TARGET}x  {result}")
    return lines, result


def swapmix_lines(rows):
    """The line comparing a zero-fill fault's cost beside a swapper with its cost alone, and the verdict."""
    cost = {r[2]: r[3] for r in rows if r[0] == "fault_during_swap" and r[1] == SWAPMIX_POLICY}
    if not cost:
        return [], None
    alone, during = cost.get(0), cost.get(1)
    if not alone or during is None:
        return [f"{SWAPMIX_LABEL}, {SWAPMIX_POLICY}: {MISSING}"], MISSING
    ratio = during / alone
    result = "MET" if ratio <= SWAPMIX_LIMIT else f"MISSED x{ratio / SWAPMIX_LIMIT:.2f}"
    return [f"{SWAPMIX_LABEL}, {SWAPMIX_POLICY}: {ratio:.2f}x  target within {SWAPMIX_LIMIT:g}x  {result}"], result


def fork_page_lines(rows):
    """The line giving a cow fork's cost per page touched before it (0 to 8 MiB), and the verdict."""
    cost = {r[2]: r[3] for r in rows if r[0] == "fork_exit_wait" and "cow" in r[1].split(",")}
    small, big = (cost.get(m) for m in FORK_PAGE_MIBS)
    if small is None and big is None:
        return [], None
    if small is None or big is None:
        return [f"{FORK_PAGE_LABEL}: {MISSING}"], MISSING
    per_page = (big - small) / ((FORK_PAGE_MIBS[1] - FORK_PAGE_MIBS[0]) * MIB // 4096)
    result = "MET" if per_page <= FORK_PAGE_LIMIT else f"MISSED x{per_page / FORK_PAGE_LIMIT:.1f}"
    return [f"{FORK_PAGE_LABEL} ({FORK_PAGE_MIBS[0]} to {FORK_PAGE_MIBS[1]} MiB): {per_page:.0f} instructions"
            f"  target <= {FORK_PAGE_LIMIT}  {result}"], result


def table_text(rows, heading, opt=None):
    """The results table (with targets and verdicts), the scale comparison and a summary."""
    cells, outcome = [], {t.label: [] for t in TARGETS}
    for name, policy, param, instr, ns in rows:
        if policylab.is_lab(name):
            continue                        # the policy lab's own table follows
        t = target_for((name, policy, param))
        v = verdict(instr, t.limit) if t else ""
        if t:
            outcome[t.label].append(v)
        shown, ns_shown = "(wall only)" if name in WALL_ONLY else format_number(instr), format_number(ns)
        if name in COUNTS:                  # a count, not instructions; no time
            shown, ns_shown = f"{format_number(instr)} {COUNTS[name]}", ""
        cells.append((name, policy, format_param(name, param), shown,
                      ns_shown, f"<= {t.limit:,}" if t else "", v))
    widths = [max(len(str(c[i])) for c in cells + [TABLE_HEADER]) for i in range(len(TABLE_HEADER))]
    right = {2, 3, 4, 5}

    def line(c):
        """One table line, numbers aligned right."""
        return "  ".join(str(x).rjust(w) if i in right else str(x).ljust(w)
                         for i, (x, w) in enumerate(zip(c, widths))).rstrip()

    out = [heading, "", line(TABLE_HEADER), "  ".join("-" * w for w in widths)]
    out += [line(c) for c in cells]
    scale, scale_verdict = scale_lines(rows)
    outcome[SCALE_LABEL] = [scale_verdict] if scale_verdict else []
    parallel, parallel_verdict = parallel_lines(rows)
    scale += parallel
    outcome[PARALLEL_LABEL] = [parallel_verdict] if parallel_verdict else []
    fork_page, fork_page_verdict = fork_page_lines(rows)
    scale += fork_page
    outcome[FORK_PAGE_LABEL] = [fork_page_verdict] if fork_page_verdict else []
    swapmix, swapmix_verdict = swapmix_lines(rows)
    scale += swapmix
    outcome[SWAPMIX_LABEL] = [swapmix_verdict] if swapmix_verdict else []
    outcome = {k: vs for k, vs in outcome.items() if vs}    # targets of the benchmarks that ran
    met = [k for k, vs in outcome.items() if all(v == "MET" for v in vs)]
    unmet = [k for k in outcome if k not in met]
    out += ([""] + scale if scale else []) + ["", f"targets met: {len(met)} of {len(outcome)}"
                           + (f"; not met: {', '.join(unmet)}" if unmet else ""),
                           "(instructions per operation from the icount run; wall ns from the run without)"]
    lab = policylab.table_text(rows, opt or {})
    return "\n".join(out) + "\n" + ("\n" + lab if lab else "")


def heading_text():
    """When and from what the table was made: date and git commit."""
    stamp = time.strftime("%Y-%m-%d %H:%M %Z")
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--"] + list(SOURCE_DIRS),
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return f"make bench on {stamp}"
    return f"make bench on {stamp}, commit {commit}" + (" with uncommitted changes" if dirty else "")


def write_data(path, header, lines):
    """Write a whitespace-separated gnuplot data file (strings quoted, missing values as '?')."""
    def cell(v):
        """One value as gnuplot reads it."""
        return GNUPLOT_MISSING if v is None else f'"{v}"' if isinstance(v, str) else str(v)
    with open(path, "w") as f:
        f.write("# " + " ".join(header) + "\n")
        for values in lines:
            f.write(" ".join(cell(v) for v in values) + "\n")


def reference(system, name, param):
    """(low, high) of a reference figure of system for a result, or (None, None)."""
    for r in REFERENCES:
        if r.system == system and r.benchmark == name and r.parameter in (None, param):
            return r.low, r.high
    return None, None


def limit_of(name, policy, param):
    """The most instructions a result's target allows, or None."""
    t = target_for((name, policy, param))
    return t.limit if t else None


def short(n):
    """A count as a plot label: 150,000 -> 150k, 1,500,000 -> 1.5M; None stays None."""
    if n is None:
        return None
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= size:
            return f"{n / size:.3g}{suffix}"
    return str(n)


def reference_styles(x_offset=0.0):
    """Plot clauses for the xv6 and Linux columns (low, high) of a data file: labelled points
    with a bar over a range. x_offset moves them off the measured bar or point."""
    return ", ".join(
        f"'' using ($1{x_offset * side:+}):((${low}+${high})/2):{low}:{high} with yerrorbars "
        f"pt {pt} ps 1.6 lw 2 lc rgb '{colour}' title '{title}'"
        for (title, low, high, pt, colour), side in zip(
            ((XV6, 5, 6, 9, "#b8860b"), (LINUX, 7, 8, 7, "#228b22")), (-1, 1)))


def plot_scripts(rows):
    """{name: (data header, data lines, gnuplot commands)} for every plot."""
    instr = {tuple(r[:3]): r[3] for r in rows}
    wall = {r[2]: r[4] for r in rows if r[0] == "fault_parallel"}
    ref_header = ["xv6_low", "xv6_high", "linux_low", "linux_high"]

    def refs(name, param):
        """The four reference columns for one result."""
        return [*reference(XV6, name, param), *reference(LINUX, name, param)]

    def lines(name, pols, x="1"):
        """The plot clauses drawing one line per policy, columns 2.. of name.dat against x."""
        return ", ".join(f"'{name}.dat' using {x}:{i + 2} with linespoints lw 2 pt 7 title '{p}'"
                         for i, p in enumerate(pols))

    ops = [(i, label, instr.get(key), limit_of(*key), *refs(key[0], key[2]))
           for i, (label, key) in enumerate(OPS_PLOTTED)]
    fault_limit = limit_of("fault_anon", "lazy,cow,none", HEAP_MIBS[0])
    fault_ref = {sys_: reference(sys_, "fault_anon", None) for sys_ in (XV6, XV6_NO_FILL, LINUX)}
    fork_limits = [max(filter(None, (limit_of("fork_exit_wait", p, m) for p in FORK_POLICIES)), default=None)
                   for m, _ in FORK_ROUNDS]
    biggest, tcol = FORK_ROUNDS[-1][0], len(FORK_POLICIES) + 2     # tcol: fork.dat's target column
    return {
        "ops": (["x", "operation", "instructions", "target"] + ref_header, ops,
                f"""set title 'instructions per operation (log scale), this system under {DEFAULT_POLICY}; anon fault: {SBRK_MIB} MiB heap'
set logscale y
set yrange [10:*]
set xrange [-0.6:{len(OPS_PLOTTED) - 0.4}]
set style fill solid 0.5 border -1
set boxwidth 0.5
set key top left
plot 'ops.dat' using 1:3:xtic(2) with boxes lc rgb '#4169e1' title 'this system', \
     '' using 1:(16):(sprintf("%d", $3)) with labels notitle, \
     '' using ($1-0.35):4:(0.7):(0) with vectors nohead lw 3 dt 2 lc rgb 'red' title 'target', \
     {reference_styles(0.15)}
"""),
        "fault": (["mib"] + list(FAULT_POLICIES),
                  [[m] + [instr.get(("fault_anon", p, m)) for p in FAULT_POLICIES] for m in HEAP_MIBS],
                  f"""set title 'first touch of a heap page (fault_anon), instructions per touch'
set xlabel 'heap (MiB, log scale; its last {FAULT_PAGES} pages touched)'
set logscale x 2
set xtics ({", ".join(str(m) for m in HEAP_MIBS)})
set xrange [{HEAP_MIBS[0] / 1.5}:{HEAP_MIBS[-1] * 1.5}]
set yrange [0:{FAULT_YMAX}]
set key at graph 0.98, graph 0.73 right top box opaque
set arrow from {HEAP_MIBS[-2]},{FAULT_YMAX * 0.86} to {HEAP_MIBS[-2]},{FAULT_YMAX} lw 2 lc rgb '#b8860b'
set label "{XV6}: {fault_ref[XV6][0]:,} (fills the page a byte at a time), off the scale " \
    at {HEAP_MIBS[-2]},{FAULT_YMAX * 0.93} right tc rgb '#b8860b'
plot {lines('fault', FAULT_POLICIES)}, \
     {fault_limit} with lines lw 2 dt 2 lc rgb 'red' title 'target (lazy) {fault_limit:,}', \
     {fault_ref[XV6_NO_FILL][0]} with lines lw 2 dt 4 lc rgb '#b8860b' title '{XV6_NO_FILL}: ~{fault_ref[XV6_NO_FILL][0]:,}', \
     {fault_ref[LINUX][0]} with lines lw 2 dt 3 lc rgb '#228b22' title '{LINUX}: {fault_ref[LINUX][0]:,} - {fault_ref[LINUX][1]:,}', \
     {fault_ref[LINUX][1]} with lines lw 2 dt 3 lc rgb '#228b22' notitle
"""),
        "fork": (["mib"] + list(FORK_POLICIES) + ["target"] + ref_header
                 + ["target_label", "xv6_label", "linux_label"],
                 [[m] + [instr.get(("fork_exit_wait", p, m)) for p in FORK_POLICIES] + [lim]
                  + refs("fork_exit_wait", m) + [short(lim), short(refs("fork_exit_wait", m)[0]),
                                                 short(refs("fork_exit_wait", m)[2])]
                  for (m, _), lim in zip(FORK_ROUNDS, fork_limits)],
                 f"""set title 'fork + exit + wait, instructions per round (log scale)'
set xlabel 'touched heap (MiB, log scale; 0 MiB placed left of 1)'
set logscale xy
set yrange [*:{FORK_YMAX}]
x(mib) = mib > 0 ? mib : {FORK_ZERO_AT}
set xrange [{FORK_ZERO_AT / 1.5}:{biggest * 1.5}]
set xtics ({", ".join(f'"{m}" {m or FORK_ZERO_AT}' for m, _ in FORK_ROUNDS)})
set format y '%.0s%c'
set key top left
plot {lines('fork', FORK_POLICIES, '(x($1))')}, \\
     '' using (x($1)/1.4):{tcol}:(x($1)*1.4-x($1)/1.4):(0) with vectors nohead lw 3 lc rgb 'red' title 'target (8 MiB: cow only)', \\
     '' using (x($1)):{tcol}:{tcol + 5} with labels offset 0,0.8 tc rgb 'red' notitle, \\
     '' using (x($1)):{tcol + 1} with points pt 9 ps 1.8 lc rgb '#b8860b' title '{XV6} (copies)', \\
     '' using (x($1)):{tcol + 1}:{tcol + 6} with labels left offset 1.5,0 tc rgb '#b8860b' notitle, \\
     '' using (x($1)):{tcol + 3} with points pt 7 ps 1.8 lc rgb '#228b22' title '{LINUX}', \\
     '' using (x($1)):{tcol + 3}:{tcol + 7} with labels left offset 1.5,0 tc rgb '#228b22' notitle
"""),
        "parallel": (["harts", "faults_per_ms", "linear"],
                     [[h, 1e6 / wall[h] if wall.get(h) else None,
                       h * 1e6 / wall[1] if wall.get(1) else None] for h in PARALLEL_HARTS],
                     f"""set title 'fault_parallel: as many processes as harts, each touching {PARALLEL_PAGES} fresh pages; wall time'
set xlabel 'harts (processes)'
set ylabel 'faults per millisecond, all processes'
set xtics ({", ".join(str(h) for h in PARALLEL_HARTS)})
set xrange [0.5:{PARALLEL_HARTS[-1] + 0.5}]
set yrange [0:*]
set key top left
plot 'parallel.dat' using 1:2 with linespoints lw 2 pt 7 title 'this system ({DEFAULT_POLICY})', \\
     '' using 1:3 with lines lw 1 dt 2 lc rgb 'gray' title 'linear scaling from 1 hart', \\
     '' using 1:($1 == 2 ? {PARALLEL_TARGET} * $3 / 2 : 1/0) with points pt 9 ps 2 lc rgb 'red' title 'target at 2 harts ({PARALLEL_TARGET}x)'
"""),
        "sbrk": (["policy", "instructions_per_page"],
                 [[p.split(",")[0], instr.get(("sbrk_touch", p, SBRK_MIB * MIB))] for p in SBRK_POLICIES],
                 f"""set title 'sbrk {SBRK_MIB} MiB and touch every page (sbrk_touch), instructions per page (no target)'
set xlabel 'allocation policy (fork cow, evict none)'
set style data histograms
set style fill solid 0.6 border -1
set boxwidth 0.6
unset key
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0
plot 'sbrk.dat' using 2:xtic(1), '' using 0:2:2 with labels offset 0,1
"""),
    }


def plot(out, rows, opt=None):
    """Draw the plots that have data with gnuplot; the PNGs drawn (none if gnuplot is missing)."""
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        say("bench: gnuplot not found, no plots (tools/install-deps.sh gnuplot installs it)")
        return []
    terminal = next((t for t in PLOT_TERMINALS if subprocess.run(
        [gnuplot, "-e", f"set terminal {t}"], capture_output=True).returncode == 0), PLOT_TERMINALS[-1])
    drawn = []
    scripts = {**plot_scripts(rows), **policylab.plot_scripts(rows, opt or {})}
    for name, (header, data, commands) in scripts.items():
        for old in (f"{name}.png", f"{name}.dat", f"{name}.gp"):
            if os.path.exists(os.path.join(out, old)):
                os.remove(os.path.join(out, old))
        if all(v is None for line in data for v in line[1:]):
            continue
        write_data(os.path.join(out, f"{name}.dat"), header, data)
        script = os.path.join(out, f"{name}.gp")
        with open(script, "w") as f:
            f.write(f"set terminal {terminal} size {PLOT_SIZE} noenhanced\n"
                    f"set output '{name}.png'\nset datafile missing '{GNUPLOT_MISSING}'\n"
                    "set grid\nset key top left\nset ylabel 'instructions'\n" + commands)
        done = subprocess.run([gnuplot, f"{name}.gp"], cwd=out, capture_output=True, text=True)
        if done.returncode:
            say(f"bench: gnuplot failed on {script}: {done.stderr.strip()}")
        else:
            drawn.append(os.path.join(out, f"{name}.png"))
    return drawn


def parse_args(argv):
    """The options and the QEMU command (after --)."""
    if "--" not in argv:
        raise SystemExit(__doc__.split("\n\n")[1])
    split = argv.index("--")
    p = argparse.ArgumentParser(description="Run the benchmark programs in QEMU.")
    p.add_argument("--mkfs", required=True, help="the host mkfs program")
    p.add_argument("--disk", required=True, help="the disk image QEMU_COMMAND names")
    p.add_argument("--swap", required=True, help="the swap image QEMU_COMMAND names (its size is used)")
    p.add_argument("--files", required=True, help="NAME=PATH ... for mkfs, one string")
    p.add_argument("--out", default=DEFAULT_OUT, help="output directory")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds per boot")
    p.add_argument("--only", nargs="+", metavar="BOOT", help="run only these boots")
    p.add_argument("--replay", help="the host replay tool, for OPT beside the policy lab's results")
    p.add_argument("--smp-kernel", default=os.path.join("build", "kernel-smp.elf"),
                   help="the SMP kernel, for the fault_parallel boots on more than one hart")
    opts = p.parse_args(argv[:split])
    opts.qemu = argv[split + 1:]
    if not opts.qemu:
        p.error("no QEMU command after --")
    return opts


def main():
    """Run the benchmarks, write the CSV, table and plots; 1 if results are missing."""
    opts = parse_args(sys.argv[1:])
    boots = build_boots(opts.smp_kernel)
    if opts.only:
        boots = [b for b in boots if b.name in opts.only]
        if not boots:
            raise SystemExit(f"bench: no boot named {' '.join(opts.only)}")
    for path in (opts.mkfs, opts.swap):
        if not os.path.exists(path):
            raise SystemExit(f"bench: {path} is missing (make all builds it)")
    os.makedirs(opts.out, exist_ok=True)
    start = time.monotonic()
    found, problems = run_all(opts, boots)
    rows = merge(boots, found)
    csv_path = os.path.join(opts.out, "results.csv")
    write_csv(csv_path, rows)
    opt = policylab.opt_faults(opts.replay) if opts.replay else {}
    text = table_text(rows, heading_text(), opt)
    with open(os.path.join(opts.out, "results.txt"), "w") as f:
        f.write(text)
    say()
    say(text.rstrip("\n"))
    say()
    plots = plot(opts.out, rows, opt)
    say(f"bench: wrote {csv_path}" + "".join(f", {p}" for p in plots)
        + f" in {time.monotonic() - start:.0f} s")
    if problems:
        say(f"bench: {len(problems)} problem(s), see {os.path.join(opts.out, 'logs')}:")
        for p in problems:
            say(f"bench:     {p}")
    return 1 if any(f": {MISSING}: " in p for p in problems) else 0


if __name__ == "__main__":
    sys.exit(main())
