#!/bin/sh
# Host test for tools/mkarchive.py; prints @@ PASS/FAIL host/mkarchive_<x>
# lines for tools/runtests.py and exits non-zero if any check failed.

set -u

HERE=$(cd "$(dirname "$0")" && pwd)
MKARCHIVE="$HERE/../../tools/mkarchive.py"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0

# pass NAME / fail NAME REASON: report one result.
pass() { echo "@@ PASS host/mkarchive_$1"; }
fail() { echo "@@ FAIL host/mkarchive_$1 $2"; failures=$((failures + 1)); }

# inspect ARCHIVE NAME=PATH...: check the archive holds exactly these files,
# in order; prints what is wrong and exits non-zero on a mismatch.
inspect() {
	python3 - "$@" <<'EOF'
import struct, sys

MAGIC = 0x4843524142494B4D
HEADER, ENTRY = struct.Struct("<QQ"), struct.Struct("<32sQQ")
ALIGN = 8

archive, specs = sys.argv[1], [s.split("=", 1) for s in sys.argv[2:]]
blob = open(archive, "rb").read()

def expect(ok, what):
    """Exit with a message unless ok."""
    if not ok:
        sys.exit(what)

magic, count = HEADER.unpack_from(blob, 0)
expect(magic == MAGIC, f"magic {magic:#x}")
expect(count == len(specs), f"count {count}, want {len(specs)}")
table_end = HEADER.size + count * ENTRY.size
previous_end = table_end
for i, (name, path) in enumerate(specs):
    raw, offset, size = ENTRY.unpack_from(blob, HEADER.size + i * ENTRY.size)
    data = open(path, "rb").read()
    expect(raw == name.encode().ljust(32, b"\0"), f"entry {i} name {raw!r}")
    expect(offset % ALIGN == 0, f"{name}: offset {offset} not {ALIGN}-aligned")
    expect(offset >= previous_end, f"{name}: offset {offset} overlaps")
    expect(size == len(data), f"{name}: size {size}, want {len(data)}")
    expect(blob[offset:offset + size] == data, f"{name}: content differs")
    expect(not any(blob[previous_end:offset]), f"{name}: padding not zero")
    previous_end = offset + size
expect(len(blob) == previous_end, f"archive is {len(blob)} bytes, want {previous_end}")
EOF
}

# rejects NAME REASON NAME=PATH...: mkarchive must exit 1, say why, write nothing.
rejects() {
	test_name=$1 reason=$2
	shift 2
	out="$TMP/rejected.bin"
	rm -f "$out"
	python3 "$MKARCHIVE" "$out" "$@" 2>"$TMP/err"
	status=$?
	if [ "$status" -ne 1 ]; then
		fail "$test_name" "exit status $status for $reason, want 1"
	elif [ ! -s "$TMP/err" ]; then
		fail "$test_name" "no error message for $reason"
	elif [ -e "$out" ]; then
		fail "$test_name" "wrote $out despite $reason"
	else
		pass "$test_name"
	fi
}

# Two inputs: 3 bytes of text, so the next file needs padding that 4-byte
# alignment would not give, and 13 bytes with NULs and high bytes.
printf 'hey' >"$TMP/a"
printf 'bin\000\377\001\002data\000\n\t' >"$TMP/b"
LONG_NAME=0123456789012345678901234567890123456789   # 40 bytes
MAX_NAME=0123456789012345678901234567890            # 31 bytes, the longest allowed

if python3 "$MKARCHIVE" "$TMP/out.bin" init="$TMP/a" fs/server="$TMP/b"; then
	pass build
else
	fail build "mkarchive exited with $?"
fi

if reason=$(inspect "$TMP/out.bin" init="$TMP/a" fs/server="$TMP/b" 2>&1); then
	pass layout
else
	fail layout "$reason"
fi

if python3 "$MKARCHIVE" "$TMP/again.bin" init="$TMP/a" fs/server="$TMP/b" &&
	cmp -s "$TMP/out.bin" "$TMP/again.bin"; then
	pass deterministic
else
	fail deterministic "a second build differs"
fi

if python3 "$MKARCHIVE" "$TMP/max.bin" "$MAX_NAME=$TMP/a" &&
	reason=$(inspect "$TMP/max.bin" "$MAX_NAME=$TMP/a" 2>&1); then
	pass max_name
else
	fail max_name "31-byte name not accepted ${reason:-}"
fi

rejects long_name "a 40-byte name" "$LONG_NAME=$TMP/a"
rejects name_32 "a 32-byte name" "${MAX_NAME}x=$TMP/a"
rejects duplicate "a duplicate name" init="$TMP/a" init="$TMP/b"
rejects missing_file "a missing file" init="$TMP/does-not-exist"

[ "$failures" -eq 0 ]
