#!/bin/sh
# A replacement policy first chosen after boot (the shell's policy builtin,
# on a system booted under lazy,cow,none) hears of the pages already there
# (policy_activate in servers/pager/policy.c): swaptests under it, with its
# state-checker calls (pager_check), passes to the end. A script of its own:
# the run takes half a minute, and each host script has TEST_TIMEOUT.
# Prints @@ PASS/FAIL host/late_<name> lines; exits non-zero on a failure.
failed=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

PREFIX=late_
. tests/host/run_checks.sh

check policy_sees_old_pages 0 "^@@ PASS swaptests/lazy,cow,nru/kill_several_swappers$" \
	FRAMES=1500 CMD='policy lazy,cow,nru; /tests/swaptests kill_during_swap_in kill_several_swappers'
exit $failed
