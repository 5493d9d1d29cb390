"""The policy lab's boot in make bench (docs/POLICIES.md, "Workloads").

bench/bench_policy plays each reference workload of include/workload.h on a
real heap in QEMU, under every replacement policy, with the process held to
a few frame caps (scope local:N). For each it reports instructions per
reference (the cycle count under icount less the time idle waiting for the
swap disk) and the page faults, swap-ins and write-backs the pager counted.
tools/bench.py runs these as the "policies" boot; this module lists the
runs, prints their table beside Belady's OPT on the same reference string
(build/host/replay), and gives the plots: faults against frames, one line
per policy, OPT dashed.
"""
import csv
import subprocess

POLICIES = ("fifo", "clock", "eclock", "aging", "wsclock", "random", "nru")
WORKLOADS = ("scan", "loop", "hotcold", "random")   # include/workload.h; OPT is known for these
FORKMIX = "forkmix"                  # bench_policy's fork-heavy mix: no single reference string
CAPS = (32, 64, 112)                 # frames: a quarter, a half and seven eighths of PAGES
PAGES = 128                          # pages a workload spans (scan: five times as many)
REFS = 4096                          # references a run makes
ALLOC_FORK = "lazy,cow"
PREFIX = "policy_"
COUNTS = ("faults", "swapins", "writebacks")


def spec(policy, cap):
    """The policy spec a run's results are reported under."""
    return f"{ALLOC_FORK},{policy},local:{cap}"


def runs(bench_dir, run_type):
    """The boot's commands, as run_type(command, expected result keys)."""
    out = []
    for w in WORKLOADS + (FORKMIX,):
        for p in POLICIES:
            for cap in CAPS:
                keys = [(f"{PREFIX}{w}", spec(p, cap), cap)] + \
                       [(f"{PREFIX}{w}_{c}", spec(p, cap), cap) for c in COUNTS]
                out.append(run_type(f"{bench_dir}/bench_policy {ALLOC_FORK},{p} {cap} {w} {PAGES} {REFS}", keys))
    return out


def is_lab(name):
    """Is this result the policy lab's (kept out of the main table)?"""
    return name.startswith(PREFIX)


def opt_faults(replay):
    """{(workload, cap): OPT's faults} from the host replay tool, or {} without it."""
    found = {}
    for w in WORKLOADS:
        try:
            out = subprocess.run([replay, "--csv", "--frames", ",".join(map(str, CAPS)), "--workload", w,
                                  str(PAGES), str(REFS)], capture_output=True, text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            return {}
        for r in csv.DictReader(out.splitlines()):
            if r["policy"] == "opt":
                found[(w, int(r["frames"]))] = int(r["faults"])
    return found


def table_text(rows, opt):
    """The lab's table: per workload and policy, faults / swap-ins / write-backs and instructions per reference at each cap."""
    value = {(r[0], r[1], r[2]): r[3] for r in rows if is_lab(r[0])}
    if not value:
        return ""
    head = "workload  policy   " + "  ".join(f"{'frames ' + str(c) + ': faults/in/out, instr':>35}" for c in CAPS)
    out = [f"policy lab: {REFS} references over {PAGES} pages (scan: {PAGES * 5}), the process held to "
           f"N frames (local:N); faults/in/out = page faults, swap-ins, write-backs; instr = instructions",
           "per reference (the cycle count under icount less the time idle waiting for the swap disk);",
           "OPT = Belady's optimum on the same string (build/host/replay)",
           "", head, "-" * len(head)]
    for w in WORKLOADS + (FORKMIX,):
        for p in POLICIES:
            cells = []
            for c in CAPS:
                k = spec(p, c)
                counts = "/".join(str(value.get((f"{PREFIX}{w}_{n}", k, c), "?")) for n in COUNTS)
                cells.append(f"{counts + ', ' + str(value.get((f'{PREFIX}{w}', k, c), '?')):>35}")
            out.append(f"{w:9} {p:8} " + "  ".join(cells))
        if w in WORKLOADS and opt:
            out.append(f"{w:9} {'OPT':8} " + "  ".join(f"{str(opt.get((w, c), '?')) + ' faults (replay)':>35}"
                                                     for c in CAPS))
    return "\n".join(out) + "\n"


def plot_scripts(rows, opt):
    """{name: (data header, data lines, gnuplot commands)}: faults against frames per workload."""
    faults = {(r[0], r[1], r[2]): r[3] for r in rows if is_lab(r[0]) and r[0].endswith("_faults")}
    plots = {}
    for w in WORKLOADS + (FORKMIX,):
        lines = [[c] + [faults.get((f"{PREFIX}{w}_faults", spec(p, c), c)) for p in POLICIES]
                 + [opt.get((w, c))] for c in CAPS]
        clauses = [f"'policies-{w}-guest.dat' using 1:{i + 2} with linespoints lw 2 title '{p}'"
                   for i, p in enumerate(POLICIES)]
        if w in WORKLOADS:
            clauses.append(f"'' using 1:{len(POLICIES) + 2} with lines lw 2 dt 2 lc rgb 'black' title 'OPT'")
        plots[f"policies-{w}-guest"] = (["frames"] + list(POLICIES) + ["opt"], lines,
                                        f"""set title '{w}: page faults in QEMU ({REFS} references, {PAGES} pages)'
set xlabel 'frames the process may hold (local:N)'
set ylabel 'page faults'
set key outside right
plot {', '.join(clauses)}
""")
    return plots
