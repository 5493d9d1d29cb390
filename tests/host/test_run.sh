#!/bin/sh
# `make run` end to end: a program written for xv6 and a POSIX-style
# program, compiled from outside the tree with PROGS=, run headless in the
# shell; their output and exit status come back to the host. And the fs
# server killed (fault injection, pager.test_hooks=1): the machine stops
# with a message instead of hanging.
# Prints @@ PASS/FAIL host/run_<name> lines; exits non-zero on a failure.
failed=0
out=$(mktemp)

# check NAME EXPECTED-STATUS PATTERN MAKE-ARGS...: run make, compare status and output.
check() {
	name=$1 want=$2 pattern=$3
	shift 3
	make -s run "$@" >"$out" 2>&1
	status=$?
	if [ "$status" -eq "$want" ] && grep -q -- "$pattern" "$out"; then
		echo "@@ PASS host/run_$name"
	else
		echo "@@ FAIL host/run_$name status $status, wanted $want and \"$pattern\""
		sed 's/^/| /' "$out"
		failed=1
	fi
}

check xv6_program 0 "xv6prog world: 11 bytes, size 11, type 2" \
	PROGS=tests/programs/xv6prog.c CMD='xv6prog world; cat out'
check xv6_stderr 0 "xv6prog: to stderr" PROGS=tests/programs/xv6prog.c CMD='xv6prog x'
check exit_status 2 "the command exited with status 3" \
	PROGS=tests/programs/xv6prog.c CMD='xv6prog w 3'
check posix_program 0 "posixprog read 18 bytes: posixprog /runcmd" \
	PROGS=tests/programs/posixprog.c CMD='posixprog /runcmd'
check pipeline 0 "^1 3 6$" CMD='echo a b c | wc'
check sleep_program 0 "^slept$" CMD='sleep 10; echo slept'
check sleep_usage 2 "usage: sleep TICKS" CMD='sleep ten'
check fs_server_death 2 "the file-system server died" CMD='kill 1; echo still here' ARGS=pager.test_hooks=1
rm -f "$out"
exit $failed
