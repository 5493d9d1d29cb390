#!/bin/sh
# make bench, on its first boot only (--only basic): the CSV has the header
# the issue asks for and one row per result with an instruction count, the
# table gives each target a verdict, the plot of that boot is drawn (when
# gnuplot is there), the programs call their figures instructions under
# icount, an unknown boot name is an error, and fault_parallel's row is the
# median of its three boots. Then a benchmark run by hand
# (make run, no icount) says its figure is not an instruction count.
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
if command -v gnuplot >/dev/null; then
	[ "$(head -c 4 "$out/ops.png" 2>/dev/null | tail -c 3)" = PNG ] && grep -q "ops.png" "$log" && ok=yes
else
	echo "test_bench: no gnuplot, plots not checked"
	ok=yes
fi
result plots_written $ok
ok=no
grep -Eq "^null_syscall [^ ]+ 0: [0-9]+ instructions per operation" "$out/logs/basic-icount.log" &&
	! grep -q "(not instructions:" "$out/logs/basic-icount.log" && ok=yes
result icount_labelled_instructions $ok
ok=no
if ! make -s bench BENCH_ARGS="--only nosuch --out $out" >"$log" 2>&1; then
	grep -q "no boot named nosuch" "$log" && ok=yes
fi
result unknown_boot_refused $ok
ok=no
# fault_parallel's boots are made several times in turn; the row is the median boot's figure.
rm -rf "$out/logs"
if make -s bench BENCH_ARGS="--only parallel1 --out $out" >"$log" 2>&1; then
	figures=$(cat "$out"/logs/parallel1-wall*.log | grep -a "^@@ BENCH fault_parallel " | awk '{ print $NF }' | sort -n)
	median=$(echo "$figures" | sed -n 2p)
	row=$(tr -d '\r' <"$out/results.csv" | awk -F, '$1 == "fault_parallel" && $(NF-2) == 1 { print $NF }')
	[ -f "$out/logs/parallel1-wall-2.log" ] && [ -f "$out/logs/parallel1-wall-3.log" ] &&
		[ "$(echo "$figures" | wc -l)" -eq 3 ] && [ -n "$row" ] && [ "$row" = "$median" ] && ok=yes
fi
result parallel_median_boot $ok
ok=no
make -s run CMD='/bench/bench_null' >"$log" 2>&1
grep -q "cycles (not instructions: run under make bench for instruction counts)" "$log" &&
	grep -q "^@@ BENCH null_syscall " "$log" && ok=yes
result hand_run_labelled_cycles $ok
rm -rf "$out"
exit $status
