#!/usr/bin/env python3
"""Boot the system headless, run one shell command line, print its output.

Used by `make run CMD='...'`: the command line is written to /runcmd on a
fresh disk image (built by the Makefile), init runs `sh /runcmd` and exits
with its status, the pager powers the machine off after printing
"pager: init exited with status N", and this script exits with N.

The command's output is printed as it comes, line by line. The boot's own
lines (firmware, kernel, servers) are not, but for the SMP kernel's
"N of M harts online" line, unless the boot goes wrong:
- the pager refuses a boot argument (an unknown POLICY, a bad FRAMES) and
  goes on with its default: that is not the run asked for, so its message
  is printed and the run stops with status 2;
- the machine stops, or the timeout passes, before init starts: the last
  lines of the boot are printed, and why, when it is known (too few frames);
- the timeout passes while the command runs: says so (its output is above).
Ctrl-C stops QEMU and exits with 130.
"""
import collections
import os
import re
import selectors
import signal
import subprocess
import sys
import time

START_LINE = re.compile(r"^pager: (\d+) frames free; started ")
HARTS_LINE = re.compile(r"^microkernel: \d+ of \d+ harts online")
EXIT_LINE = re.compile(r"^pager: init exited with status (-?\d+); powering off")
# The pager's messages for a boot argument it ignored (servers/pager/main.c).
REFUSED_LINES = (re.compile(r"^pager: unknown policy "),
                 re.compile(r"^pager: pager\.(frames|zero_pool)=.* ignored"))
# init's and the shell's lines when they could not start a process: with
# too few frames (FRAMES= just above the pager's minimum) exec or fork fails.
NO_PROCESS = re.compile(r"^(init: cannot run sh|sh: fork failed)$")
STATUS_MASK = 0xFF
TAIL_LINES = 15          # boot lines shown when the boot fails
READ_SIZE = 4096
INTERRUPTED = 130        # a shell's status for a command ended by SIGINT
REFUSED = 2


class Run:
    """One QEMU: its console read line by line, relayed once init has started."""

    def __init__(self, argv):
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.partial = b""
        self.started = False
        self.boot_tail = collections.deque(maxlen=TAIL_LINES)
        self.status = None          # init's exit status, once the pager prints it
        self.refused = None         # the pager's line refusing a boot argument
        self.free = None            # frames free when init started
        self.no_process = None      # init's or the shell's line: it could not start a process

    def stop(self):
        """Kill QEMU if it still runs and reap it."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()

    def take(self, data):
        """Handle a chunk of console output; True once the run has its outcome."""
        self.partial += data
        *lines, self.partial = self.partial.split(b"\n")
        for raw in lines:
            if self.line(raw.decode(errors="replace").replace("\r", "")):
                return True
        return False

    def line(self, text):
        """Handle one console line; True once the run has its outcome."""
        done = EXIT_LINE.match(text)
        if done:
            self.status = int(done.group(1))
            return True
        if self.started:
            print(text, flush=True)
            if NO_PROCESS.match(text) and not self.no_process:
                self.no_process = text
            return False
        if any(p.match(text) for p in REFUSED_LINES):
            self.refused = text
            return True
        self.boot_tail.append(text)
        if HARTS_LINE.match(text):
            print(text, flush=True)       # more than one hart: how many came up, and which booted
        start = START_LINE.match(text)
        if start:
            self.started, self.free = True, int(start.group(1))
        return False

    def pump(self, deadline):
        """Relay output until an outcome, end of output or the deadline; False on timeout."""
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        fd = self.proc.stdout.fileno()
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                if not sel.select(left):
                    continue
                data = os.read(fd, READ_SIZE)
                if not data:
                    if self.partial:
                        self.line(self.partial.decode(errors="replace").replace("\r", ""))
                    return True
                if self.take(data):
                    return True
        finally:
            sel.close()

    def show_boot(self):
        """Print the last lines of the boot, and why init did not start if they say."""
        print("run: the last lines of the boot:", file=sys.stderr)
        for text in self.boot_tail:
            print(f"| {text}", file=sys.stderr)


def outcome(run, finished, timeout):
    """The exit status for a run that has stopped relaying, with a message when it failed."""
    if run.refused:
        print(run.refused, file=sys.stderr)
        print("run: the pager refused a boot argument (POLICY=, FRAMES= or pager.zero_pool=); not running",
              file=sys.stderr)
        return REFUSED
    if run.status is not None:
        if run.status and run.no_process:
            print(f"run: \"{run.no_process}\": too few frames to start the shell and the command "
                  f"({run.free} were free when init started); give more with FRAMES= or MEM=",
                  file=sys.stderr)
        if run.status:
            print(f"run: the command exited with status {run.status}", file=sys.stderr)
        return run.status & STATUS_MASK
    if not run.started:
        run.show_boot()
    if not finished:
        what = "the command was still running" if run.started else "init had not started"
        print(f"run: no power-off within {timeout:.0f} s ({what}; TEST_TIMEOUT= gives more)",
              file=sys.stderr)
        return 124
    print("run: the machine stopped without init's exit status", file=sys.stderr)
    return 1


def interrupt(signum, frame):
    """SIGTERM as Ctrl-C: stop QEMU and leave."""
    raise KeyboardInterrupt


def main():
    """Run QEMU (the arguments after --), relay the program output, return the status."""
    if "--" not in sys.argv:
        print("usage: run.py [--timeout SECS] -- QEMU_COMMAND...", file=sys.stderr)
        return 2
    split = sys.argv.index("--")
    options, qemu = sys.argv[1:split], sys.argv[split + 1:]
    timeout = float(options[options.index("--timeout") + 1]) if "--timeout" in options else 60
    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, interrupt)     # even when started with SIGINT ignored (sh's &)
    run = None
    try:
        run = Run(qemu)
        finished = run.pump(time.monotonic() + timeout)
        run.stop()
        return outcome(run, finished, timeout)
    except KeyboardInterrupt:
        if run:
            run.stop()
        print("\nrun: interrupted", file=sys.stderr)
        return INTERRUPTED
    except OSError as e:
        print(f"run: cannot run {qemu[0]}: {e.strerror}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
