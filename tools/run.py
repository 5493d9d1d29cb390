#!/usr/bin/env python3
"""Boot the system headless, run one shell command line, print its output.

Used by `make run CMD='...'`: the command line is written to /runcmd on a
fresh disk image (built by the Makefile), init runs `sh /runcmd` and exits
with its status, the pager powers the machine off after printing
"pager: init exited with status N", and this script exits with N.
"""
import re
import subprocess
import sys

START_LINE = re.compile(r"^pager: \d+ frames free; started ")
EXIT_LINE = re.compile(r"^pager: init exited with status (-?\d+); powering off")
STATUS_MASK = 0xFF


def main():
    """Run QEMU (the arguments after --), relay the program output, return the status."""
    if "--" not in sys.argv:
        print("usage: run.py [--timeout SECS] -- QEMU_COMMAND...", file=sys.stderr)
        return 2
    split = sys.argv.index("--")
    options, qemu = sys.argv[1:split], sys.argv[split + 1:]
    timeout = float(options[options.index("--timeout") + 1]) if "--timeout" in options else 60
    try:
        out = subprocess.run(qemu, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=timeout).stdout
    except subprocess.TimeoutExpired as e:
        sys.stdout.write((e.stdout or b"").decode(errors="replace"))
        print(f"run: no power-off within {timeout:.0f} s", file=sys.stderr)
        return 124
    return relay(out.decode(errors="replace").replace("\r", "").splitlines())


def relay(lines):
    """Print the lines between init's start and its exit; return the exit status."""
    started = False
    for line in lines:
        done = EXIT_LINE.match(line)
        if done:
            status = int(done.group(1))
            if status:
                print(f"run: the command exited with status {status}", file=sys.stderr)
            return status & STATUS_MASK
        if started:
            print(line)
        started = started or bool(START_LINE.match(line))
    if not started:
        print("\n".join(lines))
    print("run: the machine stopped without init's exit status", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
