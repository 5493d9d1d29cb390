#!/bin/sh
# pagerctl and the pager's fault reports, end to end through `make run`:
# malformed command lines refused with a message and status 1; `pagerctl
# maps` of a running program (tests/programs/faultin.c) with its text,
# heap and stack, the heap's present count growing by exactly the pages
# it touched; stats naming each process; and the kill line and the fault
# trace naming the function the faulting pc is in.
# Prints @@ PASS/FAIL host/pagerctl_<name> lines; exits non-zero on a failure.
failed=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
PROG=tests/programs/faultin.c
TOUCH=7
HEX='0x[0-9a-f]*'

PREFIX=pagerctl_
. tests/host/run_checks.sh

# refused NAME MESSAGE CMD: pagerctl CMD is refused with MESSAGE and status 1 (make run: 2).
refused() {
	check "$1" 2 "$2" CMD="$3"
	also "$1_status" "^run: the command exited with status 1$"
}

refused pid_not_a_number "pagerctl: 'abc' is not a process number" 'pagerctl get --pid abc'
refused pid_missing "pagerctl: --pid needs a process number after it" 'pagerctl set --pid'
refused pid_zero "pagerctl: '0' is not a process number" 'pagerctl stats 0'
refused trailing_junk "pagerctl: unexpected 'junk' at the end of the command" 'pagerctl get junk'
refused set_trailing_junk "pagerctl: unexpected 'more' at the end" 'pagerctl set lazy,cow,none more'
refused unknown_command "pagerctl: unknown command 'frobnicate'" 'pagerctl frobnicate'
refused bad_alloc "pagerctl: unknown allocation policy 'lazzy' in 'lazzy,cow,none'; choices: eager lazy around:N" \
	'pagerctl run lazzy,cow,none echo hi'
refused bad_replacement "pagerctl: unknown replacement policy 'lru' in 'lazy,cow,lru'; choices: none fifo clock eclock aging wsclock random nru" \
	'pagerctl run lazy,cow,lru echo hi'

check help 0 "around:N   like lazy" CMD='pagerctl help'
also help_counters "cow reuse    a write to a copy-on-write page"
also help_maps "present pages (with a frame)"

# stats: a line per process with its pid and name.
check stats_names 0 "^pid 3 (sh): [0-9]* frames" CMD='pagerctl stats'
also stats_names_fs "^pid 1 (fs): "
also stats_names_self "^pid [0-9]* (pagerctl): "

# maps: text, heap and stack lines; the heap gains exactly the pages touched.
check maps 0 "faultin: after touching $TOUCH pages" PROGS=$PROG CMD="faultin maps $TOUCH"
also maps_text "^0100000000-[0-9a-f]* r-xp text  *[1-9][0-9]* *0 *0 faultin$"
also maps_stack "^3effff0000-3f00000000 rw-p stack  *[1-9]"
heap=$(awk '$3 == "heap" { print $4 }' "$out" | tr '\n' ' ')
set -- $heap
if [ $# -eq 2 ] && [ $(($2 - $1)) -eq $TOUCH ]; then
	pass maps_heap_grows
else
	fail maps_heap_grows "heap present counts \"$heap\", wanted two growing by $TOUCH"
fi

# The kill line and the trace name the function the pc is in.
check kill_names_function 2 \
	"^pager: killed pid [0-9]* (faultin): above the break at $HEX, store, pc $HEX (store_above_break+$HEX)$" \
	PROGS=$PROG CMD='pagerctl trace on; faultin'
also trace_names_function \
	"^pager: pid [0-9]* (faultin) fault addr $HEX scause 15 sepc $HEX (store_above_break+$HEX) -> kill$"
exit $failed
