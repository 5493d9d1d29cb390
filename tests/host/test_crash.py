#!/usr/bin/env python3
"""Crash consistency of the file system: kill QEMU in the middle of a workload,
boot the same disk again, and check that it holds what a prefix of the
completed requests made.

usage: test_crash.py [--timeout SECS] -- QEMU_COMMAND ...

QEMU_COMMAND is the Makefile's QEMU_CMD (an -append in it is dropped). Its
-drive with id=fs (else its first -drive) is the file-system image; every run
boots a fresh copy of that image in a temporary directory, the rest of the
command unchanged.

For each kill point (K, D), `run=tests/crashwork` (tests/guest/crashwork.c) performs a
fixed sequence of requests under /crash, each one transaction of the log,
printing `@@ ACK i` once request i is on the disk. D seconds after the line
`@@ ACK K` arrives, QEMU's process group gets SIGKILL. What it had printed by
then is read to the end: its last complete ACK, L, is the last request known
done (L >= K; the guest goes on during D and while the kill is on its way).
crashwork sends no request after an ACK before that ACK has gone out of the
polled UART, so at most request L+1 was in flight. The same image then boots
`run=tests/crashcheck crash.ack=L crash.tag=TAG` (tests/guest/crashcheck.c): the fs server
replays the log at mount, and crashcheck checks that /crash is what requests
0..L, or 0..L+1, made. A last run lets crashwork finish, then checks the whole
workload's result.

Each run prints one result in tools/runtests.py's protocol,
`@@ PASS host/crash_TAG` or `@@ FAIL host/crash_TAG REASON`, with the end of
the console output after a failure, and notes (when it killed QEMU, how far
the workload had gone) as plain lines. The exit status is 1 if any failed.
"""

import argparse
import collections
import ctypes
import os
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

# (ACK, delay in seconds): QEMU is killed that long after the ACK arrives. The
# request after each ACK is of another kind (tests/guest/crashmodel.h): a short write,
# 8 KiB written, a truncate, 7.5 KiB overwritten, a create, 7 KiB written, an
# unlink. A request takes from about 1 ms (create, truncate, unlink) to 4 ms
# (8 KiB) here; the delays aim the kills at its steps (log writes, commit,
# install), where killing at once mostly finds the next request not yet begun.
# Where a kill lands still depends on the host's speed; the check does not.
KILL_POINTS = ((17, 0.0), (54, 0.0025), (107, 0.0007), (151, 0.002),
               (263, 0.0005), (426, 0.003), (691, 0.001))
BOOT_TIMEOUT_S = 60.0                 # per boot
DRAIN_TIMEOUT_S = 10.0                # reading what a killed QEMU left in the pipe
READ_CHUNK = 64 * 1024
CONTEXT_LINES = 12                    # console lines shown with a failure
EXIT_FAILED = 1
EXIT_USAGE = 2
PR_SET_PDEATHSIG = 1                  # prctl: a signal for the child when its parent dies

ACK_RE = re.compile(r"@@ ACK (\d+)$")
DONE_RE = re.compile(r"crashwork: done (\d+) requests$")
EXIT_RE = re.compile(r"pager: init exited with status (-?\d+)")
RESULT_RE = re.compile(r"@@ (PASS|FAIL) crash/(\S+)(?: +(.*))?$")
CHECK_NOTE_RE = re.compile(r"crashcheck: (.*)$")

TIMEOUT = object()                    # Guest.next_line: the deadline passed

# The on-disk log (docs/fs.md §7, §8), read only to say what recovery will find.
BLOCK_SIZE = 1024
SUPER_BLOCK = 1
SUPER_NLOG_OFFSET = 16                # u32 nlog, then u32 logstart
FNV_OFFSET = 2166136261
FNV_PRIME = 16777619
U32_MASK = 0xFFFFFFFF

LIBC = ctypes.CDLL(None, use_errno=True)


def say(text):
    """Print a line right away."""
    print(text, flush=True)


def die_with_parent():
    """In a child before exec: have Linux SIGKILL it if this script dies first (a
    timeout in runtests kills only our own process group, not QEMU's)."""
    LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def quote_console(line):
    """A console line made safe to echo: runtests must not read it as a result."""
    return "| " + line.replace("@@", "@ @")


class Guest:
    """One boot of QEMU, in its own process group; its console read as complete lines."""

    def __init__(self, argv):
        """Start argv with stdin from /dev/null (raises OSError if it cannot run)."""
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True,
                                     preexec_fn=die_with_parent)
        self.fd = self.proc.stdout.fileno()
        self.partial = b""
        self.pending = collections.deque()
        self.tail = collections.deque(maxlen=CONTEXT_LINES)
        self.eof = False

    def next_line(self, deadline):
        """The next newline-terminated line (str), None at the end of the output,
        or TIMEOUT once time.monotonic() passes deadline. An unterminated last
        line is never returned: it may be cut short."""
        while not self.pending:
            if self.eof:
                return None
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return TIMEOUT
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if ready:
                self._read()
        line = self.pending.popleft()
        self.tail.append(line)
        return line

    def _read(self):
        """Read what the pipe holds and split it into lines."""
        data = os.read(self.fd, READ_CHUNK)
        if not data:
            self.eof = True
            return
        *complete, self.partial = (self.partial + data).split(b"\n")
        for raw in complete:
            self.pending.append(raw.decode("utf-8", errors="replace").replace("\r", ""))

    def kill(self):
        """SIGKILL the whole process group and reap QEMU."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()

    def finish(self):
        """Kill QEMU if it still runs, and close the pipe."""
        self.kill()
        self.proc.stdout.close()


class Workload:
    """What one boot of crashwork got to: ACKs seen, how it ended."""

    def __init__(self):
        """Nothing seen yet."""
        self.last_ack = -1
        self.first_ack_at = None
        self.killed_at = None
        self.done = None               # request count from "crashwork: done N requests"
        self.exit_status = None        # from the pager's "init exited" line
        self.error = None

    def note(self, line):
        """Take in one console line."""
        if m := ACK_RE.search(line):
            self.last_ack = max(self.last_ack, int(m.group(1)))
            if self.first_ack_at is None:
                self.first_ack_at = time.monotonic()
        elif m := DONE_RE.search(line):
            self.done = int(m.group(1))
        elif m := EXIT_RE.search(line):
            self.exit_status = int(m.group(1))


def qemu_argv(command, image, boot_args):
    """command with the fs image replaced by image, any -append dropped, and -append boot_args."""
    argv, i = [], 0
    while i < len(command):
        if command[i] == "-append":
            i += 2
            continue
        argv.append(command[i])
        i += 1
    at = fs_drive_index(argv)
    options = [f"file={image}" if o.startswith("file=") else o for o in argv[at].split(",")]
    argv[at] = ",".join(options)
    return argv + ["-append", boot_args]


def fs_drive_index(argv):
    """The index of the fs -drive's option string (id=fs, else the first -drive), or None."""
    drives = [i + 1 for i, a in enumerate(argv[:-1]) if a == "-drive"]
    for i in drives:
        if "id=fs" in argv[i].split(","):
            return i
    return drives[0] if drives else None


def fs_image(command):
    """The fs image file the QEMU command names, or None."""
    at = fs_drive_index(command)
    if at is None:
        return None
    files = [o[len("file="):] for o in command[at].split(",") if o.startswith("file=")]
    return files[0] if files else None


def start(command, image, boot_args):
    """Boot QEMU on image with boot_args; a Guest, or an error message."""
    try:
        return Guest(qemu_argv(command, image, boot_args))
    except OSError as e:
        return f"cannot run {command[0]}: {e.strerror}"


def follow_workload(guest, work, kill_at, delay, timeout):
    """Read crashwork's console; kill QEMU delay seconds after ACK kill_at (if not
    None) is seen, then read on to the end of what it printed. Fills in work."""
    deadline = time.monotonic() + timeout
    while (line := guest.next_line(deadline)) not in (None, TIMEOUT):
        work.note(line)
        if kill_at is not None and work.last_ack >= kill_at:
            time.sleep(delay)
            guest.kill()
            work.killed_at = time.monotonic()
            drain(guest, work)
            return
    if line is TIMEOUT:
        awaited = "end of crashwork" if kill_at is None else f"ACK {kill_at}"
        work.error = f"timeout: no {awaited} within {timeout:g} s (last ACK {work.last_ack})"
    elif kill_at is not None:
        work.error = f"the workload ended before ACK {kill_at} (last ACK {work.last_ack})"


def drain(guest, work):
    """Take in the lines a killed QEMU had written before it died."""
    deadline = time.monotonic() + DRAIN_TIMEOUT_S
    while (line := guest.next_line(deadline)) not in (None, TIMEOUT):
        work.note(line)
    if line is TIMEOUT:
        work.error = "the console did not close after SIGKILL"
    elif work.done is not None:
        work.error = f"the workload finished before the kill took effect (last ACK {work.last_ack})"


def judge_complete_run(work):
    """For the run left to finish: an error message, or None if it ran to the end."""
    if work.error:
        return work.error
    if work.done is None or work.exit_status != 0:
        return f"crashwork did not finish (exit status {work.exit_status}, last ACK {work.last_ack})"
    if work.last_ack != work.done - 1:
        return f"crashwork did {work.done} requests but the last ACK was {work.last_ack}"
    return None


def run_workload(command, image, kill_at, delay, timeout):
    """Boot crashwork on image, killed after ACK kill_at (None: left to finish).
    Returns (Workload, Guest or None)."""
    work = Workload()
    guest = start(command, image, "run=tests/crashwork")
    if isinstance(guest, str):
        work.error = guest
        return work, None
    try:
        follow_workload(guest, work, kill_at, delay, timeout)
    finally:
        guest.finish()
    if kill_at is None:
        work.error = judge_complete_run(work)
    return work, guest


def run_check(command, image, last_ack, tag, timeout):
    """Boot crashcheck on image; return (passed, reason, Guest or None)."""
    guest = start(command, image, f"run=tests/crashcheck crash.ack={last_ack} crash.tag={tag}")
    if isinstance(guest, str):
        return False, guest, None
    try:
        deadline = time.monotonic() + timeout
        while (line := guest.next_line(deadline)) not in (None, TIMEOUT):
            if m := CHECK_NOTE_RE.search(line):
                say(f"crash {tag}: {m.group(1)}")
            elif m := RESULT_RE.search(line):
                return check_result(m, tag) + (guest,)
    finally:
        guest.finish()
    if line is TIMEOUT:
        return False, f"timeout: crashcheck gave no result within {timeout:g} s", guest
    return False, "crashcheck stopped without a result", guest


def check_result(match, tag):
    """(passed, reason) from crashcheck's result line."""
    kind, name, reason = match.groups()
    if name != tag:
        return False, f"crashcheck reported crash/{name}, not crash/{tag}"
    if kind == "PASS":
        return True, None
    return False, reason or "failed"


def report(tag, passed, reason, guest):
    """Print the result for tag, with the end of guest's console after a failure."""
    if passed:
        say(f"@@ PASS host/crash_{tag}")
        return
    say(f"@@ FAIL host/crash_{tag} {reason}")
    if guest is not None:
        for line in guest.tail:
            say(quote_console(line))


def fnv1a(h, data):
    """Fold data into a 32-bit FNV-1a hash."""
    for byte in data:
        h = ((h ^ byte) * FNV_PRIME) & U32_MASK
    return h


def disk_block(disk, b):
    """Block b of a disk image's bytes."""
    return disk[b * BLOCK_SIZE:(b + 1) * BLOCK_SIZE]


def log_state(image):
    """What the log header of image holds, in words: empty, committed or not."""
    with open(image, "rb") as f:
        disk = f.read()
    nlog, logstart = struct.unpack_from("<II", disk_block(disk, SUPER_BLOCK), SUPER_NLOG_OFFSET)
    header = disk_block(disk, logstart)
    n, stored = struct.unpack_from("<II", header)
    if n == 0:
        return "log empty"
    if n > nlog - 1:
        return f"log header garbage (n = {n})"
    h = fnv1a(fnv1a(FNV_OFFSET, header[:4]), header[8:8 + 4 * n])
    for i in range(n):
        h = fnv1a(h, disk_block(disk, logstart + 1 + i))
    return f"log holds {n} blocks, " + ("committed: recovery replays them" if h == stored
                                         else "not committed: recovery drops them")


def describe_kill(tag, kill_at, delay, work, image):
    """A note on how far the workload got before the kill, and what the log holds."""
    ran = work.killed_at - work.first_ack_at if work.first_ack_at else 0.0
    say(f"crash {tag}: ACK {kill_at} came {ran:.3f} s after ACK 0; killed "
        f"{delay * 1000:g} ms later; "
        f"last complete ACK {work.last_ack}, so requests 0..{work.last_ack} done and "
        f"{work.last_ack + 1} maybe in flight; {log_state(image)}")


def one_run(command, source, workdir, kill_at, delay, timeout):
    """Run the workload on a fresh copy of source (killed delay seconds after
    ACK kill_at, or finished if None) and check the disk; True if it passed."""
    tag = "complete" if kill_at is None else f"kill_after_{kill_at}"
    image = os.path.join(workdir, f"{tag}.img")
    shutil.copyfile(source, image)
    work, guest = run_workload(command, image, kill_at, delay, timeout)
    if work.error:
        report(tag, False, work.error, guest)
        return False
    if kill_at is not None:
        describe_kill(tag, kill_at, delay, work, image)
    passed, reason, guest = run_check(command, image, work.last_ack, tag, timeout)
    report(tag, passed, reason, guest)
    return passed


def exit_on_signal(signum, _frame):
    """Turn SIGTERM/SIGHUP into SystemExit, so that the temporary images go."""
    sys.exit(128 + signum)


def parse_args(argv):
    """Options, and the QEMU command after `--`."""
    if "--" not in argv:
        sys.exit("usage: test_crash.py [--timeout SECS] -- QEMU_COMMAND ...")
    split = argv.index("--")
    parser = argparse.ArgumentParser(description="Kill QEMU mid-workload and check the disk.")
    parser.add_argument("--timeout", type=float, default=BOOT_TIMEOUT_S,
                        help="seconds per boot (default %(default)g)")
    opts = parser.parse_args(argv[:split])
    opts.qemu = argv[split + 1:]
    return opts


def main(argv):
    """Run every kill point and the complete run; return the exit status."""
    opts = parse_args(argv)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, exit_on_signal)
    source = fs_image(opts.qemu)
    if source is None or not os.path.isfile(source):
        say(f"@@ FAIL host/crash_setup no fs image (-drive file=...,id=fs) in: {' '.join(opts.qemu)}")
        return EXIT_USAGE
    failed = 0
    with tempfile.TemporaryDirectory(prefix="test_crash.") as workdir:
        for kill_at, delay in KILL_POINTS + ((None, 0.0),):
            failed += not one_run(opts.qemu, source, workdir, kill_at, delay, opts.timeout)
    return EXIT_FAILED if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
