#!/bin/sh
# mkfs --get: a file put on an image comes back byte for byte (one of
# several copy chunks, in a directory, and a small one); a missing path and
# a directory are refused with a message and a failure status; the image
# itself is not changed by reading it.
# Prints @@ PASS/FAIL host/mkfs_get_<name> lines; exits non-zero on a failure.
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
MKFS=build/host/mkfs
BIG=build/kernel.elf                    # larger than mkfs's 64 KiB copy chunk

# result NAME STATUS WHY: PASS when STATUS is 0.
result() {
	if [ "$2" -eq 0 ]; then
		echo "@@ PASS host/mkfs_get_$1"
	else
		echo "@@ FAIL host/mkfs_get_$1 $3"
		failed=1
	fi
}

$MKFS "$tmp/disk.img" dir/big="$BIG" small=tests/host/test_mkfs_get.sh >/dev/null
cp "$tmp/disk.img" "$tmp/before.img"
$MKFS --get "$tmp/disk.img" /dir/big >"$tmp/big" && cmp -s "$tmp/big" "$BIG"
result big_file $? "/dir/big did not come back as $BIG"
$MKFS --get "$tmp/disk.img" /small >"$tmp/small" && cmp -s "$tmp/small" tests/host/test_mkfs_get.sh
result small_file $? "/small did not come back"
$MKFS --get "$tmp/disk.img" /nosuch >"$tmp/out" 2>&1
status=$?
[ "$status" -ne 0 ] && grep -q "/nosuch" "$tmp/out"
result missing_refused $? "status $status: $(cat "$tmp/out")"
$MKFS --get "$tmp/disk.img" /dir >"$tmp/out" 2>&1
status=$?
[ "$status" -ne 0 ] && grep -q "not a file" "$tmp/out"
result directory_refused $? "status $status: $(cat "$tmp/out")"
cmp -s "$tmp/disk.img" "$tmp/before.img"
result image_unchanged $? "reading changed the image"
exit $failed
