#!/bin/sh
# `make run` end to end: a program written for xv6 and a POSIX-style
# program, compiled from outside the tree with PROGS=, run headless in the
# shell; their output and exit status come back to the host. The xv6
# headers' values checked against the running system (xv6hdrs, built with
# xv6's compiler flags); a program named like a built-in one replacing it
# for that run (a test program in /tests). The test programs in /tests,
# which the shell finds by name, the benchmarks in /bench. And the fs
# server killed (fault injection, pager.test_hooks=1): the machine stops
# with a message instead of hanging.
# Jobs: ps, a background job's pid, kill of it and of its group.
# make run itself: CMD reaches the guest's shell unchanged (quotes, $);
# a POLICY or FRAMES the pager refuses fails the run with its message; too
# few frames for the shell says so; output streams while the command runs;
# Ctrl-C (SIGINT to make's process group) stops it cleanly; a timeout
# prints the command's last lines and why, not the boot's.
# Prints @@ PASS/FAIL host/run_<name> lines; exits non-zero on a failure.
failed=0
out=$(mktemp)
tmp=$(mktemp -d)
trap 'rm -rf "$out" "$tmp"' EXIT

PREFIX=run_
. tests/host/run_checks.sh

check xv6_program 0 "xv6prog world: 11 bytes, size 11, type 2" \
	PROGS=tests/programs/xv6prog.c CMD='xv6prog world; cat out'
check xv6_stderr 0 "xv6prog: to stderr" PROGS=tests/programs/xv6prog.c CMD='xv6prog x'
check exit_status 2 "the command exited with status 3" \
	PROGS=tests/programs/xv6prog.c CMD='xv6prog w 3'
check xv6_headers 0 "^xv6hdrs: all [0-9]* checks passed$" PROGS=tests/programs/xv6hdrs.c CMD=xv6hdrs
check builtin_replaced 0 "^replacement echo: one two$" PROGS=tests/programs/builtin/echo.c \
	CMD='echo one two; echo three | wc'
also builtin_replaced_note "^run: tests/programs/builtin/echo.c replaces the built-in echo$"
also builtin_others_kept "^1 3 24$"
cp tests/programs/builtin/echo.c "$tmp/init.c"
check builtin_init_replaced 0 "^replacement echo: hi$" PROGS="$tmp/init.c" CMD='init hi'
also builtin_init_note "replaces the built-in init on the disk (the boot still starts the archive's init)"
# A program named like a test program takes its place in /tests, where the shell finds it.
cp tests/programs/builtin/echo.c "$tmp/usertests.c"
check builtin_test_replaced 0 "^replacement echo: there$" PROGS="$tmp/usertests.c" \
	CMD='usertests here; /tests/usertests there'
also builtin_test_note "replaces the built-in tests/usertests$"
also builtin_test_by_name "^replacement echo: here$"
check duplicate_progs 2 "mkfs: two files at: /xv6prog" \
	PROGS="tests/programs/xv6prog.c tests/programs/xv6prog.c" CMD='xv6prog'
check posix_program 0 "posixprog read 18 bytes: posixprog /runcmd" \
	PROGS=tests/programs/posixprog.c CMD='posixprog /runcmd'
check pipeline 0 "^1 3 6$" CMD='echo a b c | wc'
check sleep_program 0 "^slept$" CMD='sleep 10; echo slept'
check sleep_usage 2 "usage: sleep TICKS" CMD='sleep ten'
# The test programs are in /tests and the benchmarks in /bench, not at /; the shell finds the
# test programs there (usertests below).
check tests_dir 0 "^usertests " CMD='ls /tests'
check root_dir 0 "^tests " CMD='ls /'
also root_dir_bench "^bench "
lacks root_dir_no_tests "^usertests "
lacks root_dir_no_benchmarks "^bench_null "
# usertests NAME runs that test alone (its PLAN: one test and the leak check); a wrong name fails.
check one_test 0 "^@@ PLAN usertests/lazy,cow,none 2$" CMD='usertests above_break'
check unknown_test 2 "no test named nosuch; the tests are: sparse_gigabyte" CMD='usertests nosuch'
# The shell's policy builtin: every command it starts from then on runs under that policy.
check policy_builtin 0 "^@@ PASS usertests/eager,copy,none/above_break$" \
	CMD='policy eager,copy,none; usertests above_break'
check policy_builtin_unknown 2 "policy: 'nonsense' has 1 part; a policy is 3" CMD='policy nonsense'
check policy_builtin_names_part 2 "policy: unknown fork policy 'cowx' in 'lazy,cowx,none'; choices: copy cow" \
	CMD='policy lazy,cowx,none'
# A suite run from the shell under a frame cap: the shell losing pages to eviction is no leak.
check suite_under_frame_cap 0 "^@@ PASS policytests/lazy,cow,clock/no_frame_lost$" \
	POLICY=lazy,cow,clock FRAMES=1500 CMD='policytests'
# Jobs: ps lists itself (its own group) and the shell; `cmd &` prints [PID] and ps shows that
# pid once it has gone to sleep (the shell naps 20 ticks first); `kill $!` ends it; kill -PGID
# ends every stage of a background pipeline, not the shell.
check ps_lists 0 "^ *[0-9][0-9]* *3 *[0-9][0-9]* run    ps  " CMD='ps'
also ps_shell "^ *3 *2 *2 wait   sh  "
check background_pid 0 "^ *4 *3 *4 sleep  sleep  " CMD='sleep 1000 & sleep 20; ps'
also background_pid_printed "^\[4\]$"
check background_kill 0 "^done$" CMD='sleep 1000 & kill $!; ps; echo done'
lacks background_killed "sleep  sleep"
check group_kill 0 "^alive$" CMD='sleep 1000 | sleep 1000 & kill -4; ps; echo alive'
lacks group_killed "sleep  sleep"
check fs_server_death 2 "the file-system server died" CMD='kill 1; echo still here' ARGS=pager.test_hooks=1
# CMD as the guest's shell sees it: make and the host's shell leave " and $ alone.
check quoting 0 '^a b $HOME$' CMD='echo "a b" $HOME'
check policy_refused 2 'pager: unknown policy "bogus"' POLICY=bogus CMD='echo ran'
also policy_refused_says "the pager refused a boot argument"
check frames_refused 2 "pager.frames=abc ignored" FRAMES=abc CMD='echo ran'
check zero_pool_refused 2 "pager.zero_pool=5000 ignored; it must be a number from 0 to 4096" \
	ARGS=pager.zero_pool=5000 CMD='echo ran'
check too_few_frames 2 "too few frames to start the shell" FRAMES=100 CMD='echo ran'
check timeout_tail 2 "no power-off within 8 s (the command was still running" \
	TEST_TIMEOUT=8 CMD='echo before-timeout; sleep 100000'
also timeout_shows_output "^before-timeout$"
if grep -q "OpenSBI" "$out"; then
	echo "@@ FAIL host/run_timeout_no_banner the firmware banner printed"; sed 's/^/| /' "$out"; failed=1
else
	echo "@@ PASS host/run_timeout_no_banner"
fi

# Streaming and Ctrl-C: the first line shows while the command still sleeps;
# SIGINT to make's process group ends every process in it within seconds,
# with "run: interrupted" and no Python traceback. make starts in a process
# group of its own with SIGINT as a terminal would leave it (sh's & ignores it).
python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.setsid()
os.execvp(sys.argv[1], sys.argv[1:])' make -s run TEST_TIMEOUT=60 CMD='echo streamed; sleep 100000; echo late' >"$out" 2>&1 &
pid=$!
n=150
until grep -q "^streamed$" "$out" || [ $n -eq 0 ]; do sleep 0.2; n=$((n - 1)); done
if [ $n -gt 0 ] && kill -0 "$pid" 2>/dev/null; then
	echo "@@ PASS host/run_streams"
else
	echo "@@ FAIL host/run_streams no \"streamed\" while the command ran"; sed 's/^/| /' "$out"; failed=1
fi
kill -INT "-$pid" 2>/dev/null
n=50
while kill -0 "-$pid" 2>/dev/null && [ $n -gt 0 ]; do sleep 0.2; n=$((n - 1)); done
if kill -0 "-$pid" 2>/dev/null; then
	echo "@@ FAIL host/run_ctrl_c processes left 10 s after SIGINT"; kill -KILL "-$pid"; failed=1
elif grep -q "Traceback" "$out" || ! grep -q "^run: interrupted$" "$out"; then
	echo "@@ FAIL host/run_ctrl_c a traceback, or no \"run: interrupted\""; sed 's/^/| /' "$out"; failed=1
else
	echo "@@ PASS host/run_ctrl_c"
fi
wait "$pid" 2>/dev/null
exit $failed
