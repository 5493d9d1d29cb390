# Shared by the host scripts that test through `make run` (sourced, not run):
# each sets PREFIX (the result-name prefix, e.g. run_) and out (a temp file)
# and failed=0 before sourcing this. Results are @@ PASS/FAIL host/$PREFIX<name>.

# pass NAME / fail NAME WHY: report one result (fail shows the output of the last check).
pass() { echo "@@ PASS host/$PREFIX$1"; }
fail() {
	echo "@@ FAIL host/$PREFIX$1 $2"
	sed 's/^/| /' "$out"
	failed=1
}

# check NAME EXPECTED-STATUS PATTERN MAKE-ARGS...: run make, compare status and output.
check() {
	name=$1 want=$2 pattern=$3
	shift 3
	make -s run "$@" >"$out" 2>&1
	status=$?
	if [ "$status" -eq "$want" ] && grep -q -- "$pattern" "$out"; then
		pass "$name"
	else
		fail "$name" "status $status, wanted $want and \"$pattern\""
	fi
}

# also NAME PATTERN: the output of the last check also has PATTERN.
also() {
	if grep -q -- "$2" "$out"; then pass "$1"; else fail "$1" "no \"$2\""; fi
}

# lacks NAME PATTERN: the output of the last check does not have PATTERN.
lacks() {
	if grep -q -- "$2" "$out"; then fail "$1" "has \"$2\""; else pass "$1"; fi
}
