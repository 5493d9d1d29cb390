#!/bin/sh
# make bench, on its first boot only (--only basic): the CSV has the header
# the issue asks for and one row per result with an instruction count, the
# table gives each target a verdict, and an unknown boot name is an error.
# Prints @@ PASS/FAIL host/bench_<name> lines; exits non-zero on a failure.
out=$(mktemp -d)
log=$out/log
status=0

# result NAME CONDITION: report one check.
result() {
	if [ "$2" = yes ]; then
		echo "@@ PASS host/bench_$1"
	else
		echo "@@ FAIL host/bench_$1"
		sed 's/^/| /' "$log"
		status=1
	fi
}

make -s bench BENCH_ARGS="--only basic --out $out" >"$log" 2>&1
csv=$out/results.csv
ok=no
[ -f "$csv" ] && [ "$(head -1 "$csv" | tr -d '\r')" = "benchmark,policy,parameter,instructions,wall_ns" ] && ok=yes
result csv_header $ok
ok=no
tr -d '\r' <"$csv" | awk -F, 'NR > 1 && $(NF-1) ~ /^[1-9][0-9]*$/ { n[$1]++ }
         END { exit !(n["null_syscall"] == 1 && n["ipc_roundtrip"] == 2 && n["fault_cow"] == 1) }' && ok=yes
result csv_rows $ok
ok=no
grep -Eq "^null_syscall .*(MET|MISSED)" "$log" && grep -q "^targets met: " "$log" && ok=yes
result table_verdicts $ok
ok=no
if ! make -s bench BENCH_ARGS="--only nosuch --out $out" >"$log" 2>&1; then
	grep -q "no boot named nosuch" "$log" && ok=yes
fi
result unknown_boot_refused $ok
rm -rf "$out"
exit $status
