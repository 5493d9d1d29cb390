#!/usr/bin/env python3
"""The policy lab's reference workloads (docs/POLICIES.md, "Workloads").

Each workload is a reference string that tools/replay.c builds (scan,
loop, hotcold, random) over PAGES pages; every replacement policy and OPT
runs it in the simulated pager (tools/policysim.c, the policy files
unchanged) at three frame caps. Prints one table (faults and write-backs
per policy and cap), writes OUT/policies.csv and, with gnuplot, one plot
per workload (faults against frames, a line per policy, OPT the floor),
and FIFO's faults on Belady's string at 3 and 4 frames.

usage: policybench.py REPLAY OUT
"""
import csv
import os
import shutil
import subprocess
import sys

PAGES = 200                          # pages each workload touches
REFS = 20000                         # references in each
CAPS = (50, 100, 180)                # frames: a quarter, half, nine tenths
PLOT_CAPS = (25, 50, 75, 100, 125, 150, 175, 190)
WORKLOADS = {
    "scan": "a sequential scan of 5 x 200 pages, far more than memory",
    "loop": "a loop over 200 pages, slightly more than the largest cap (where LRU fails)",
    "hotcold": "90% of references to 10% of the pages",
    "random": "uniformly random references",
}
BELADY = "1 2 3 4 1 2 5 1 2 3 4 5"


def replay(tool, workload, caps):
    """Rows (policy, frames, faults, writebacks) of one workload."""
    out = subprocess.run([tool, "--csv", "--frames", ",".join(map(str, caps)), "--workload",
                          workload, str(PAGES), str(REFS)], check=True, capture_output=True, text=True)
    return [(r["policy"], int(r["frames"]), int(r["faults"]), int(r["writebacks"]))
            for r in csv.DictReader(out.stdout.splitlines())]


def plot(out, workload, rows):
    """One PNG: faults against frames, a line per policy."""
    policies = sorted({r[0] for r in rows}, key=lambda p: (p == "opt", p))
    data = os.path.join(out, f"policies-{workload}.dat")
    with open(data, "w") as f:
        for p in policies:
            f.write(f"# {p}\n")
            for r in rows:
                if r[0] == p:
                    f.write(f"{r[1]} {r[2]}\n")
            f.write("\n\n")
    lines = ", ".join(f"'{data}' index {i} with linespoints title '{p}'" for i, p in enumerate(policies))
    script = (f"set terminal png size 800,500; set output '{out}/policies-{workload}.png';"
              f"set title '{workload}: {WORKLOADS[workload]}'; set xlabel 'frames';"
              f"set ylabel 'page faults'; plot {lines}")
    subprocess.run(["gnuplot", "-e", script], check=True)


def belady(tool, out):
    """FIFO and OPT on Belady's string at 3 and 4 frames: the anomaly."""
    path = os.path.join(out, "belady.trace")
    with open(path, "w") as f:
        for page in BELADY.split():
            f.write(f"F {int(page) * 4096:x} 0\n")
    res = subprocess.run([tool, "--csv", "--frames", "3,4", path], check=True, capture_output=True, text=True)
    rows = [r for r in csv.DictReader(res.stdout.splitlines()) if r["policy"] in ("fifo", "opt")]
    print(f"Belady's string {BELADY}: " +
          ", ".join(f"{r['policy']} {r['frames']} frames {r['faults']} faults" for r in rows))


def main():
    tool, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    table = []
    for w in WORKLOADS:
        rows = replay(tool, w, CAPS)
        table += [(w,) + r for r in rows]
        if shutil.which("gnuplot"):
            plot(out, w, replay(tool, w, PLOT_CAPS))
    with open(os.path.join(out, "policies.csv"), "w") as f:
        f.write("workload,policy,frames,faults,writebacks\n")
        for r in table:
            f.write(",".join(map(str, r)) + "\n")
    print(f"{'workload':9} {'policy':8} " + " ".join(f"{'faults@' + str(c):>11} {'wb@' + str(c):>7}" for c in CAPS))
    for w in WORKLOADS:
        for p in sorted({r[1] for r in table if r[0] == w}, key=lambda p: (p == "opt", p)):
            cells = {r[2]: r for r in table if r[0] == w and r[1] == p}
            print(f"{w:9} {p:8} " + " ".join(f"{cells[c][3]:>11} {cells[c][4]:>7}" for c in CAPS))
    belady(tool, out)
    print(f"policybench: {out}/policies.csv" + (", plots policies-*.png" if shutil.which("gnuplot") else ""))


if __name__ == "__main__":
    main()
