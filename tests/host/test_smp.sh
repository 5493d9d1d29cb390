#!/bin/sh
# The SMP kernel boots: HARTS=4 twenty times in a row (OpenSBI picks the
# boot hart at random, so this covers boots from harts other than 0), then
# HARTS=2 and HARTS=8 once; each boot must bring every hart online and
# run a command line through the shell, the file system and the pager.
# Prints @@ PASS/FAIL host/smp_<name> lines; exits non-zero on a failure.
failed=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
BOOTS=20

# Boot with $1 harts and run a pipeline; 0 if every hart came up and it printed what it should.
boot_ok() {
	make -s run HARTS="$1" TEST_TIMEOUT=60 CMD='echo smp; ls | wc' > "$out" 2>&1 &&
		grep -q "^microkernel: $1 of $1 harts online" "$out" &&
		grep -q '^smp$' "$out"
}

# Report one result line.
report() {
	if [ "$2" = 0 ]; then
		echo "@@ PASS host/smp_$1"
	else
		echo "@@ FAIL host/smp_$1 $3"
		sed 's/^/| /' "$out" | tail -15
		failed=1
	fi
}

ok=0
booted_on=""
for i in $(seq $BOOTS); do
	if boot_ok 4; then
		ok=$((ok + 1))
		booted_on="$booted_on $(sed -n 's/.*booted on hart \([0-9]*\).*/\1/p' "$out")"
	else
		break
	fi
done
report boot_4_harts_${BOOTS}_times $([ $ok = $BOOTS ] && echo 0 || echo 1) "boot $((ok + 1)) of $BOOTS failed"
echo "smp: boot harts seen:$booted_on"
for harts in 2 8; do
	boot_ok $harts
	report boot_${harts}_harts $? "no shell output or not every hart online"
done
exit $failed
