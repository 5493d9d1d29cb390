#!/bin/sh
# tools/profile.py accounts for every instruction of an operation: its
# total for one null system call equals what bench_null measures per call
# under -icount, and it names the kernel's trap entry and the program's loop.
# Prints @@ PASS/FAIL host/profile_<name> lines; exits non-zero on a failure.
out=$(mktemp)
bench=$(make -s run CMD=/bench/bench_null QEMU_EXTRA="-icount shift=0" | awk '/@@ BENCH null_syscall/ { print $6 }')
tools/profile.py --nth 5000 --elf build/bench/bench_null.elf sys_gettid -- /bench/bench_null >"$out" 2>&1
total=$(awk '/ in all$/ { print $1 }' "$out")
status=0
if [ -n "$bench" ] && [ "$total" = "$bench" ]; then
	echo "@@ PASS host/profile_total_matches_bench"
else
	echo "@@ FAIL host/profile_total_matches_bench: profile $total, bench_null $bench"
	sed 's/^/| /' "$out"
	status=1
fi
if grep -q "kernel:trap_entry" "$out" && grep -q "bench_null:main" "$out"; then
	echo "@@ PASS host/profile_names_functions"
else
	echo "@@ FAIL host/profile_names_functions"
	status=1
fi
rm -f "$out"
exit $status
