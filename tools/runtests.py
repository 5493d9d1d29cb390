#!/usr/bin/env python3
"""Host side of `make test`: run host test programs and boot guest test suites.

usage: runtests.py [--timeout SECS] [--verbose] [--log-dir DIR] [--only PATTERN]
                   [--archive NAME ...] [--host PROGRAM ...] [--qemu SUITE ...]
                   [--icount SUITE ...] [-- QEMU_COMMAND ...]

Programs and guests report on stdout (the guest on its serial console):

    @@ PLAN <suite> <n>        guest: the suite has tests 0..n-1
    @@ START <name>            guest: a test begins
    @@ PASS <name>
    @@ FAIL <name> <reason>
    @@ DONE <suite>            guest: suite finished, the guest powers off

--host PROGRAM is one string, split like a shell command line. The program
fails as a whole ("host/<basename>") if it exits non-zero without a FAIL
line, reports nothing, or outlives the timeout.

--qemu SUITE runs QEMU_COMMAND -append "run=tests/SUITE test.start=K $TEST_BOOTARGS":
the suite's program from the disk's /tests, where the Makefile puts the test
programs, or run=SUITE for a program --archive names, from the boot archive.
A SUITE written NAME:ARGS boots program NAME with the extra boot arguments ARGS
('+' separates them). --icount SUITE boots it the same way with
`-icount shift=0` added to QEMU_COMMAND, where the guest's cycle and
instret counters count instructions (ktests holds its bound_* tests to an
exact instruction budget there).
A test that gets no result within the timeout, or during which the machine
stops, fails; the guest is then rebooted at the next test. A guest that
never prints PLAN, or stops or stalls between tests, counts as one failure
"<suite>/boot".

Everything the programs and guests print goes to LOG_DIR/<name>.log (one
file per suite, appended to across reboots, rewritten on each run). Only
results are printed unless --verbose, each with its place in the run,
"[k/N]": k results so far, N how many the same programs and suites reported
when they last ran (remembered in LOG_DIR/tests.json; just k when unknown). Each failure prints its name and
its log file, and the summary lists them again. The last line printed is
always "N passed, M failed"; the exit status is 1 if anything failed or
nothing ran.

--only PATTERN runs only what matches PATTERN, a test name whose
components ('/'-separated) are shell globs:

    usertests                 every suite booting usertests, every test
    usertests/above_break     that test, in every usertests suite (any policy)
    xv6compat/*/churn_1       PROGRAM/POLICY/TEST: the policy part must match
                              the suite's pager.policy (lazy,cow,none when it
                              sets none), "icount" for --icount suites, or one
                              of its boot argument values (fscorrupt's image)
    host/run_pipeline         host programs that reported that test before

A guest suite boots only if its program matches the first component; the
last component (the test) goes to the guest as a bare boot word, which the
harness (tests/guest/lib/harness.c) takes as the name, or glob, of the tests to
run. A suite without such a test says so and is skipped. Host programs
whose name (host/<file>) or command line the pattern matches run, with
every result counted; if none does, those that reported a matching test
in an earlier run (LOG_DIR/tests.json) run, and, with nothing remembered
of a program, it runs if the first component matches "host". Results outside
the pattern (the suite's no_frame_lost, a host program's other tests) go
to the log only, unless they fail.
"""

import argparse
import collections
import fnmatch
import json
import os
import re
import select
import shlex
import signal
import subprocess
import sys
import time

DEFAULT_TIMEOUT_S = 60.0
DEFAULT_LOG_DIR = os.path.join("build", "test-logs")
BOOTARGS_ENV = "TEST_BOOTARGS"
DISK_TEST_DIR = "tests"     # where the test programs are on the disk (the Makefile's DISK_FILES)
CONTEXT_LINES = 30          # log lines shown with each failure
READ_CHUNK = 64 * 1024
MAX_LINE_BYTES = 64 * 1024  # a longer unterminated line is cut here
EXIT_CHECK_S = 0.5          # how often to look whether the process is gone
EXIT_POLL_S = 0.05
POWEROFF_GRACE_S = 10.0     # after DONE, time for the guest to power off
MAX_BOOTS = 1000            # backstop against reboot loops
LOG_MARK = "#### runtests:"
EXIT_FAILED = 1

MEMORY_FILE = "tests.json"  # in LOG_DIR: what the last runs reported
DEFAULT_POLICY = "lazy,cow,none"   # the pager's policy when a suite sets none
NO_SUCH_TEST_RE = re.compile(r"no test named (\S+); the tests are:")

TIMEOUT = object()          # read_line: the deadline passed
ICOUNT_ARGS = ["-icount", "shift=0"]
SMP_PREFIX = "smp4"       # --smp suites name their tests smp4/... (harness.prefix=smp4)

PROTOCOL_RE = re.compile(r"@@ (PLAN|START|PASS|FAIL|DONE)(?: +(.*))?$")
# Fields each message needs before it counts as protocol (FAIL's reason is optional).
MIN_FIELDS = {"PLAN": 2, "START": 1, "PASS": 1, "FAIL": 1, "DONE": 1}


def say(text=""):
    """Print a line to the terminal right away."""
    print(text, flush=True)


def parse_message(line):
    """Return (kind, fields) for a protocol line, or None for ordinary output.

    The marker may follow other text on the same line, since kernel output
    on the serial console is not always newline-terminated. FAIL's fields
    are [name, reason]; the others are split on blanks."""
    m = PROTOCOL_RE.search(line)
    if not m:
        return None
    kind, rest = m.group(1), (m.group(2) or "").strip()
    fields = rest.split(None, 1) if kind == "FAIL" else rest.split()
    if len(fields) < MIN_FIELDS[kind]:
        return None
    if kind == "PLAN" and not (fields[1].isascii() and fields[1].isdigit()):
        return None
    return kind, fields


def describe_status(status):
    """Describe a Popen return code in words."""
    if status is None:
        return "still running"
    if status < 0:
        try:
            return f"killed by {signal.Signals(-status).name}"
        except ValueError:
            return f"killed by signal {-status}"
    return f"exit status {status}"


class Child:
    """A command in its own session; its stdout and stderr are read as lines."""

    def __init__(self, argv):
        """Start argv with stdin from /dev/null (raises OSError if it cannot run)."""
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.fd = self.proc.stdout.fileno()
        os.set_blocking(self.fd, False)
        self.partial = b""
        self.lines = collections.deque()
        self.eof = False
        self.status = None
        self.killed = False

    def read_line(self, deadline):
        """Return the next line (str), None at end of output, or TIMEOUT once
        time.monotonic() passes deadline."""
        while not self.lines:
            if self.eof:
                return None
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return TIMEOUT
            ready, _, _ = select.select([self.fd], [], [], min(remaining, EXIT_CHECK_S))
            if ready:
                self._read_available()
            elif self._leader_exited():
                # A leftover child may hold the pipe open; take what is there.
                self._read_available(until_empty=True)
                self._end_of_output()
        return self.lines.popleft()

    def _read_available(self, until_empty=False):
        """Read what the pipe holds now (everything, if until_empty) into lines."""
        while True:
            try:
                data = os.read(self.fd, READ_CHUNK)
            except BlockingIOError:
                return
            if not data:
                self._end_of_output()
                return
            self._add_bytes(data)
            if not until_empty:
                return

    def _add_bytes(self, data):
        """Split newly read bytes into complete lines."""
        *complete, self.partial = (self.partial + data).split(b"\n")
        for raw in complete:
            self._add_line(raw)
        if len(self.partial) > MAX_LINE_BYTES:
            self._add_line(self.partial)
            self.partial = b""

    def _add_line(self, raw):
        """Queue one line, decoded leniently and without carriage returns."""
        self.lines.append(raw.decode("utf-8", errors="replace").replace("\r", ""))

    def _end_of_output(self):
        """Mark the output finished, keeping an unterminated last line."""
        if self.partial:
            self._add_line(self.partial)
            self.partial = b""
        self.eof = True

    def _leader_exited(self):
        """True if the started process has exited (it is left unreaped)."""
        if self.status is not None:
            return True
        try:
            info = os.waitid(os.P_PID, self.proc.pid,
                             os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return True
        return info is not None

    def _wait_leader(self, grace):
        """Wait up to grace seconds for the started process to exit; True if it did."""
        deadline = time.monotonic() + grace
        while not self._leader_exited():
            if time.monotonic() >= deadline:
                return False
            time.sleep(EXIT_POLL_S)
        return True

    def finish(self, grace=0.0):
        """Give the process grace seconds to exit, then kill its whole session
        (including leftovers) and reap it; return its Popen return code."""
        if self.status is not None:
            return self.status
        if not self._wait_leader(grace):
            self.killed = True
        try:
            # The leader is alive or an unreaped zombie, so the group id is still ours.
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.status = self.proc.wait()
        self.proc.stdout.close()
        return self.status


class OutputLog:
    """A log file, plus the last CONTEXT_LINES lines written to it."""

    def __init__(self, path):
        """Create (or empty) the log file at path."""
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        self.path = path
        self.file = open(path, "w", encoding="utf-8", errors="replace", buffering=1)
        self.tail = collections.deque(maxlen=CONTEXT_LINES)

    def write(self, line):
        """Append one line of program or guest output."""
        self.file.write(line + "\n")
        self.tail.append(line)

    def mark(self, text):
        """Append a note from runtests itself, distinguishable from output."""
        self.write(f"{LOG_MARK} {text}")

    def close(self):
        """Close the file."""
        self.file.close()


class Results:
    """Counts results, prints each as it arrives, and prints the summary."""

    def __init__(self, verbose, only=None, expected=None):
        """Start with no results; only is the --only Pattern (or None), expected
        the number of results the run should report, if known."""
        self.verbose = verbose
        self.only = only
        self.expected = expected
        self.passed = 0
        self.failures = []      # (name, reason, log path)
        self.outside = 0        # passes outside --only, not counted
        self.seen = collections.defaultdict(list)   # memory key -> names reported
        self.key = None         # the memory key of the program or suite running
        self.count_all = False  # count every result, matching --only or not
        self.no_such_test = None  # a guest's "no test named X" line, if one said it

    def output(self, line):
        """Show a non-protocol line of output, in verbose mode only."""
        if self.verbose:
            say(line)

    def progress(self):
        """"[k/N] " or "[k] ": results so far, of the expected total."""
        done = self.passed + len(self.failures)
        return f"[{done}/{self.expected}] " if self.expected else f"[{done}] "

    def record_pass(self, name, log=None):
        """Count and print a passed test (only log it if --only leaves it out)."""
        if self.key is not None:
            self.seen[self.key].append(name)
        if self.only and not self.count_all and not self.only.matches(name):
            self.outside += 1
            return
        self.passed += 1
        say(f"{self.progress()}PASS {name}")

    def record_fail(self, name, reason, log):
        """Count and print a failed test with the end of its log as context."""
        if self.key is not None:
            self.seen[self.key].append(name)
        self.failures.append((name, reason, log.path))
        say(f"{self.progress()}FAIL {name}: {reason}")
        say(f"---- last {len(log.tail)} lines of {log.path} ----")
        for line in log.tail:
            say(f"| {line}")
        say(f"---- {name} failed; its log: {log.path}")

    def record_message(self, kind, fields, log):
        """Handle a PASS or FAIL message."""
        if kind == "PASS":
            self.record_pass(fields[0], log)
        else:
            self.record_fail(fields[0], fields[1] if len(fields) > 1 else "failed", log)

    def summary(self):
        """Print the failures and the final count line; return the exit status."""
        if self.failures:
            say()
            say("Failed:")
            for name, reason, path in self.failures:
                say(f"  {name}: {reason}  (log: {path})")
        if self.no_such_test and not self.passed:
            say(f"(a guest said: {self.no_such_test.strip()})")
        if self.outside:
            say(f"({self.outside} passed results outside --only {self.only.text} not counted)")
        say(f"{self.passed} passed, {len(self.failures)} failed")
        nothing_ran = self.passed == 0 and not self.failures
        return EXIT_FAILED if self.failures or nothing_ran else 0


class Pattern:
    """The --only pattern: '/'-separated shell globs (see the module comment)."""

    def __init__(self, text):
        """Split text into its components."""
        self.text = text
        self.parts = text.strip("/").split("/")

    @property
    def test(self):
        """The test-name component, or None when the pattern names none (or '*')."""
        if len(self.parts) < 2 or self.parts[-1] == "*":
            return None
        return self.parts[-1]

    def matches(self, name):
        """Does a reported result name (PROGRAM[/VARIANT]/TEST, or smp4/ and that) match?"""
        if fnmatch.fnmatchcase(name, self.text):
            return True
        smp = SMP_PREFIX + "/"
        if name.startswith(smp) and self.parts[0] == SMP_PREFIX and len(self.parts) > 1:
            return Pattern("/".join(self.parts[1:])).matches(name[len(smp):])
        n, p = name.split("/"), self.parts
        if len(p) == 1:
            return fnmatch.fnmatchcase(n[0], p[0])
        if len(p) == 2:
            return len(n) >= 2 and fnmatch.fnmatchcase(n[0], p[0]) and \
                fnmatch.fnmatchcase(n[-1], p[1])
        return len(n) == len(p) and all(map(fnmatch.fnmatchcase, n, p))

    def names_program(self):
        """Does the first component name one program (no glob characters)?"""
        return not any(c in self.parts[0] for c in "*?[")

    def names_host(self, command):
        """Does the pattern name the host program itself: its name (host/<file>,
        from its first two words) or part of its command line?"""
        words = shlex.split(command)[:2]
        names = [f"host/{os.path.basename(word)}" for word in words]
        return any(fnmatch.fnmatchcase(n, self.text) for n in names) or \
            fnmatch.fnmatchcase(command, f"*{self.text}*")

    def selects_host(self, remembered):
        """Should a host program not named by the pattern run, given the
        results it reported before (None: nothing remembered)?"""
        if remembered is not None:
            return any(self.matches(name) for name in remembered)
        return fnmatch.fnmatchcase("host", self.parts[0])

    def suite_args(self, suite, mode, remembered):
        """The boot arguments (suite's own, '+'-separated) to boot suite with for
        this pattern, or None if the suite does not match. An SMP suite
        (mode "smp") matches patterns that begin with its prefix, smp4/."""
        if mode == "smp" or self.parts[0] == SMP_PREFIX:
            if mode != "smp" or self.parts[0] != SMP_PREFIX or len(self.parts) < 2:
                return None
            return Pattern("/".join(self.parts[1:])).suite_args(suite, None, remembered)
        icount = mode == "icount"
        name, _, args = suite.partition(":")
        words = [w for w in args.split("+") if w]
        if not fnmatch.fnmatchcase(name, self.parts[0]):
            return None
        if len(self.parts) == 3:
            values = [w.partition("=")[2] for w in words if "=" in w]
            policy = next((w.partition("=")[2] for w in words
                           if w.startswith("pager.policy=")), DEFAULT_POLICY)
            variants = [policy] + values + (["icount"] if icount else [])
            if not any(fnmatch.fnmatchcase(v, self.parts[1]) for v in variants):
                return None
        if remembered is not None and not self.names_program() and \
                not any(self.matches(n) for n in remembered):
            return None
        test = self.test
        if test is None:
            return args
        bare = [w for w in words if "=" not in w]
        if bare:       # the suite names its own tests: keep those that match
            kept = [w for w in bare if fnmatch.fnmatchcase(w, test)]
            if not kept:
                return None
            return "+".join([w for w in words if "=" in w] + kept)
        return "+".join(words + [test])


def load_memory(log_dir):
    """What earlier runs reported (LOG_DIR/tests.json), or an empty record."""
    try:
        with open(os.path.join(log_dir, MEMORY_FILE), encoding="utf-8") as f:
            memory = json.load(f)
        if isinstance(memory, dict):
            return memory
    except (OSError, ValueError):
        pass
    return {}


def save_memory(log_dir, memory, results):
    """Remember what this run reported: each host program's and each unfiltered
    suite's result names."""
    names = memory.setdefault("names", {})
    for key, seen in results.seen.items():
        names[key] = sorted(set(seen))
    os.makedirs(log_dir, exist_ok=True)
    path = os.path.join(log_dir, MEMORY_FILE)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(memory, f, indent=1, sort_keys=True)
    os.replace(path + ".tmp", path)


def suite_key(suite, mode):
    """The name a suite's results are remembered under (mode: None, "icount" or "smp")."""
    return f"{suite} ({mode})" if mode else suite


class LogNames:
    """Hands out log file paths, unique within one run."""

    def __init__(self, directory):
        """Place logs in directory."""
        self.directory = directory
        self.used = collections.Counter()

    def path(self, name):
        """Return LOG_DIR/<name>.log, with a numeric suffix if name was used."""
        safe = re.sub(r"[^A-Za-z0-9._+-]", "_", name)
        self.used[safe] += 1
        if self.used[safe] > 1:
            safe = f"{safe}-{self.used[safe]}"
        return os.path.join(self.directory, safe + ".log")


def run_host(command, opts, results, log_names):
    """Run one host test program and record its results."""
    argv = shlex.split(command)
    base = os.path.basename(argv[0])
    name = f"host/{base}"
    log = OutputLog(log_names.path(f"host-{base}"))
    results.key = command
    say(f"== host {command}")
    log.mark(f"run {command}")
    try:
        child = Child(argv)
    except OSError as e:
        log.mark(f"cannot run {argv[0]}: {e.strerror}")
        results.record_fail(name, f"cannot run: {e.strerror}", log)
        log.close()
        return
    try:
        deadline = time.monotonic() + opts.timeout
        counts = read_host_results(child, deadline, results, log)
        judge_host_exit(child, name, deadline, counts, results, log)
    finally:
        child.finish()
        log.close()


def read_host_results(child, deadline, results, log):
    """Record a host program's PASS/FAIL lines until its output ends;
    return (results reported, failures reported), or TIMEOUT."""
    reported = failed = 0
    while (line := child.read_line(deadline)) is not None:
        if line is TIMEOUT:
            return TIMEOUT
        log.write(line)
        message = parse_message(line)
        if message and message[0] in ("PASS", "FAIL"):
            results.record_message(*message, log)
            reported += 1
            failed += message[0] == "FAIL"
        else:
            results.output(line)
    return reported, failed


def judge_host_exit(child, name, deadline, counts, results, log):
    """Fail the program as a whole if it hung, crashed unreported, or said nothing."""
    status = child.finish(max(0.0, deadline - time.monotonic()))
    log.mark("killed after the timeout" if child.killed else describe_status(status))
    if counts is TIMEOUT or child.killed:
        results.record_fail(name, "timeout", log)
        return
    reported, failed = counts
    if status != 0 and not failed:
        results.record_fail(name, describe_status(status), log)
    elif status == 0 and not reported:
        results.record_fail(name, "no test results", log)


def boot_args(suite, start, archived):
    """The kernel command line for booting suite ("NAME" or "NAME:ARGS") at test
    index start: program NAME from the boot archive if archived holds it, else
    from the disk's test directory."""
    name, _, suite_args = suite.partition(":")
    program = name if name in archived else f"{DISK_TEST_DIR}/{name}"
    args = f"run={program} test.start={start} {suite_args.replace('+', ' ')}".strip()
    extra = os.environ.get(BOOTARGS_ENV, "").strip()
    return f"{args} {extra}" if extra else args


class GuestBoot:
    """One boot of a guest test suite, starting at test index `start`."""

    def __init__(self, suite, start, plan, opts, results, log, qemu_extra, boot_suite=None):
        """Prepare a boot; plan is the test count a previous boot announced, if any;
        qemu_extra is added to the QEMU command; boot_suite, if given, is suite
        with the arguments --only chose."""
        self.suite = suite
        self.boot_suite = boot_suite or suite
        self.no_such_test = False  # the guest said it has no test of that name
        self.qemu_extra = qemu_extra
        self.start = start
        self.plan = plan
        self.opts = opts
        self.results = results
        self.log = log
        self.index = start     # index the next START gets
        self.current = None    # (name, index) of the running test
        self.booted = False    # PLAN seen in this boot
        self.done = False
        self.deadline = 0.0

    @property
    def boot_name(self):
        """The failure name for problems outside any test."""
        return f"{self.suite}/boot"

    def run(self):
        """Boot the guest and follow it; return the index to reboot at, or None."""
        argv = (self.opts.qemu_command + self.qemu_extra +
                ["-append", boot_args(self.boot_suite, self.start, self.opts.archive)])
        self.log.mark(f"boot at test.start={self.start}: {shlex.join(argv)}")
        try:
            child = Child(argv)
        except OSError as e:
            self.log.mark(f"cannot run {argv[0]}: {e.strerror}")
            self.results.record_fail(self.boot_name, f"cannot run {argv[0]}: {e.strerror}",
                                     self.log)
            return None
        try:
            return self._follow(child)
        finally:
            child.finish()

    def _follow(self, child):
        """Read the console until the suite is done or the boot has to end."""
        self._restart_clock()
        while True:
            line = child.read_line(self.deadline)
            if line is TIMEOUT:
                return self._on_timeout(child)
            if line is None:
                return self._on_stop(child)
            self.log.write(line)
            message = parse_message(line)
            if message:
                self._on_message(*message)
            else:
                self.results.output(line)
                if self.opts.only and not self.booted and NO_SUCH_TEST_RE.search(line):
                    self.no_such_test = self.done = True
                    self.results.no_such_test = line
            if self.done:
                self._power_off(child)
                return None

    def _restart_clock(self):
        """Give the guest a full timeout for its next protocol step."""
        self.deadline = time.monotonic() + self.opts.timeout

    def _on_message(self, kind, fields):
        """Advance the protocol state for one message."""
        self._restart_clock()
        if kind == "PLAN":
            self.booted = True
            self.plan = int(fields[1])
        elif kind == "START":
            self._abandon_current("no result before the next START")
            self.current = (fields[0], self.index)
            self.index += 1
        elif kind in ("PASS", "FAIL"):
            self.results.record_message(kind, fields, self.log)
            self.current = None
        elif kind == "DONE":
            self._abandon_current("no result before DONE")
            self.done = True

    def _abandon_current(self, reason):
        """Fail the running test, if any, for the given reason."""
        if self.current:
            self.results.record_fail(self.current[0], reason, self.log)
            self.current = None

    def _power_off(self, child):
        """After DONE: keep logging until the guest exits; kill it if it lingers."""
        grace = min(POWEROFF_GRACE_S, self.opts.timeout)
        deadline = time.monotonic() + grace
        while (line := child.read_line(deadline)) not in (None, TIMEOUT):
            self.log.write(line)
            self.results.output(line)
        status = child.finish(grace if line is None else 0.0)
        if child.killed:
            self.log.mark("no power-off after DONE; killed")
            say(f"note: {self.suite}: guest did not power off after DONE; killed")
        else:
            self.log.mark(f"powered off: {describe_status(status)}")

    def _on_timeout(self, child):
        """The guest made no progress in time: fail, kill, and maybe reboot."""
        child.finish()
        seconds = f"{self.opts.timeout:g} s"
        if self.current:
            name, index = self.current
            self.log.mark(f"{name}: no result within {seconds}; killed")
            self.results.record_fail(name, "timeout", self.log)
            return self._resume_at(index + 1)
        if not self.booted:
            self.log.mark(f"no PLAN within {seconds}; killed")
            self._fail_boot(f"no PLAN within {seconds}")
            return None
        self.log.mark(f"no progress outside a test within {seconds}; killed")
        return self._fail_between_tests(f"stalled outside a test for {seconds}")

    def _on_stop(self, child):
        """The guest stopped before DONE: fail, and maybe reboot."""
        status = describe_status(child.finish(POWEROFF_GRACE_S))
        self.log.mark(f"machine stopped: {status}")
        if self.current:
            self.results.record_fail(self.current[0], "machine stopped", self.log)
            return self._resume_at(self.current[1] + 1)
        if not self.booted:
            self._fail_boot(f"machine stopped before PLAN ({status})")
            return None
        return self._fail_between_tests(f"machine stopped before DONE ({status})")

    def _fail_between_tests(self, reason):
        """Record a failure outside any test; reboot only if this boot made progress."""
        resume = self._resume_at(self.index) if self.index > self.start else None
        self._fail_boot(reason, giving_up=resume is None)
        return resume

    def _fail_boot(self, reason, giving_up=True):
        """Record a <suite>/boot failure, noting tests that will not run."""
        if giving_up and self.plan is not None and self.index < self.plan:
            reason += f"; tests {self.index}..{self.plan - 1} not run"
        self.results.record_fail(self.boot_name, reason, self.log)

    def _resume_at(self, index):
        """Return index to reboot at, or None if the plan has no tests left."""
        if self.plan is not None and index >= self.plan:
            return None
        return index


def run_suite(suite, opts, results, log_names, mode=None, boot_suite=None):
    """Run one guest suite, rebooting past tests that hang or crash; boot_suite
    is suite with the boot arguments --only chose, if it chose any; mode
    "icount" adds -icount shift=0, "smp" the --smp-qemu arguments."""
    qemu_extra = {"icount": ICOUNT_ARGS, "smp": shlex.split(opts.smp_qemu)}.get(mode, [])
    boot_suite = boot_suite or suite
    label = f"{boot_suite} ({' '.join(qemu_extra)})" if qemu_extra else boot_suite
    log = OutputLog(log_names.path(f"{suite}-{mode}" if mode else suite))
    results.key = suite_key(suite, mode) if boot_suite == suite else None
    say(f"== qemu suite {label}")
    start, plan = 0, None
    try:
        for boot_number in range(MAX_BOOTS):
            if boot_number:
                say(f"== rebooting {suite} at test.start={start}")
            boot = GuestBoot(suite, start, plan, opts, results, log, qemu_extra, boot_suite)
            next_start, plan = boot.run(), boot.plan
            if boot.no_such_test:
                say(f"   ({suite} has no test matching {opts.only.test}; skipped)")
                return
            if next_start is None:
                return
            if next_start <= start:  # cannot happen; never loop on it anyway
                results.record_fail(f"{suite}/boot", f"reboot loop at test {start}", log)
                return
            start = next_start
        results.record_fail(f"{suite}/boot", f"gave up after {MAX_BOOTS} boots", log)
    finally:
        log.close()


def positive_seconds(text):
    """argparse type: a positive number of seconds."""
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"not a positive number of seconds: {text}")
    return value


def host_command(text):
    """argparse type: a non-empty command line."""
    if not shlex.split(text):
        raise argparse.ArgumentTypeError("empty host command")
    return text


def parse_args(argv):
    """Parse options; everything after the first `--` is the QEMU command."""
    if "--" in argv:
        split = argv.index("--")
        argv, qemu_command = argv[:split], argv[split + 1:]
    else:
        qemu_command = []
    parser = argparse.ArgumentParser(
        usage="%(prog)s [options] [--host PROGRAM ...] [--qemu SUITE ...] "
              "[--icount SUITE ...] [-- QEMU_COMMAND ...]",
        description="Run host test programs and guest test suites.")
    parser.add_argument("--timeout", type=positive_seconds, default=DEFAULT_TIMEOUT_S,
                        help="seconds per guest test, per host program, and for "
                             "booting (default %(default)g)")
    parser.add_argument("--host", action="extend", nargs="+", type=host_command,
                        default=[], metavar="PROGRAM",
                        help="host test program; one string, split like a shell command")
    parser.add_argument("--qemu", action="extend", nargs="+", default=[], metavar="SUITE",
                        help="guest test suite to boot")
    parser.add_argument("--icount", action="extend", nargs="+", default=[], metavar="SUITE",
                        help="guest test suite to boot with -icount shift=0")
    parser.add_argument("--smp", action="extend", nargs="+", default=[], metavar="SUITE",
                        help="guest test suite to boot with the --smp-qemu arguments added "
                             "(its tests are named smp4/...)")
    parser.add_argument("--smp-qemu", default="", metavar="ARGS",
                        help="QEMU arguments for --smp suites, e.g. '-smp 4 -kernel build/kernel-smp.elf'")
    parser.add_argument("--archive", action="extend", nargs="+", default=[], metavar="NAME",
                        help=f"a suite program the boot archive holds, booted as run=NAME "
                             f"(any other: run={DISK_TEST_DIR}/NAME, from the disk)")
    parser.add_argument("--log-dir", default=DEFAULT_LOG_DIR,
                        help="where the logs go (default %(default)s)")
    parser.add_argument("--only", type=Pattern, metavar="PATTERN",
                        help="run only the tests matching PATTERN "
                             "(e.g. usertests/above_break, xv6compat/*/churn_1, host/run_pipeline)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="also show program and guest output")
    opts = parser.parse_args(argv)
    opts.qemu_command = qemu_command
    if (opts.qemu or opts.icount or opts.smp) and not qemu_command:
        parser.error("--qemu and --icount need a QEMU command after --")
    return opts


def exit_on_signal(signum, _frame):
    """Turn SIGTERM/SIGHUP into SystemExit so running children get killed."""
    sys.exit(128 + signum)


def plan_run(opts, memory):
    """What to run: (host commands, [(suite, boot suite, mode)], expected result
    count or None, the host commands --only named, whose every result counts)."""
    remembered = memory.get("names", {})
    every = [(s, None) for s in opts.qemu] + [(s, "icount") for s in opts.icount] + \
            [(s, "smp") for s in opts.smp]
    if not opts.only:
        suites = [(s, s, mode) for s, mode in every]
        keys = opts.host + [suite_key(s, mode) for s, _, mode in suites]
        known = keys and all(k in remembered for k in keys)
        return opts.host, suites, sum(len(remembered[k]) for k in keys) if known else None, set()
    hosts = [c for c in opts.host if opts.only.names_host(c)]
    whole = set(hosts)          # named themselves: every result counts
    if not hosts:
        hosts = [c for c in opts.host if opts.only.selects_host(remembered.get(c))]
    suites = []
    for suite, mode in every:
        args = opts.only.suite_args(suite, mode, remembered.get(suite_key(suite, mode)))
        if args is not None:
            name = suite.partition(":")[0]
            suites.append((suite, f"{name}:{args}" if args else name, mode))
    keys = hosts + [suite_key(s, mode) for s, _, mode in suites]
    if not keys or any(k not in remembered for k in keys):
        return hosts, suites, None, whole
    expected = sum(k in whole or opts.only.matches(n) for k in keys for n in remembered[k])
    return hosts, suites, expected or None, whole


def main(argv):
    """Run everything requested; return the exit status."""
    opts = parse_args(argv)
    sys.stdout.reconfigure(errors="replace")
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, exit_on_signal)
    memory = load_memory(opts.log_dir)
    hosts, suites, expected, whole = plan_run(opts, memory)
    if opts.only:
        say(f"--only {opts.only.text}: {len(hosts)} host programs, {len(suites)} guest boots")
    results = Results(opts.verbose, opts.only, expected)
    log_names = LogNames(opts.log_dir)
    try:
        for command in hosts:
            results.count_all = command in whole
            run_host(command, opts, results, log_names)
        results.count_all = False
        for suite, boot_suite, mode in suites:
            run_suite(suite, opts, results, log_names, mode, boot_suite)
    except KeyboardInterrupt:
        say("interrupted")
        return 128 + signal.SIGINT
    save_memory(opts.log_dir, memory, results)
    return results.summary()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
