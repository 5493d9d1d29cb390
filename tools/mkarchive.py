#!/usr/bin/env python3
"""Build the boot archive the kernel image carries.

usage: mkarchive.py OUT NAME=PATH [NAME=PATH ...]

Layout (little-endian, see include/abi/bootinfo.h):

    header   u64 magic, u64 count
    entries  count x { char name[32] (NUL-terminated, NUL-padded),
                       u64 offset, u64 size }
    data     each file's bytes, starting at an 8-byte-aligned offset;
             the gaps are zero-filled

Offsets count from the start of the archive. Entries keep the order of the
command line, and nothing but the inputs goes into the output, so the same
command always produces the same bytes.
"""

import os
import struct
import sys
import tempfile

ARCHIVE_MAGIC = 0x4843524142494B4D  # "MKIBARCH"
ARCHIVE_NAME_MAX = 32               # name field size, including the NUL
DATA_ALIGN = 8
HEADER = struct.Struct("<QQ")       # magic, count
ENTRY = struct.Struct(f"<{ARCHIVE_NAME_MAX}sQQ")  # name, offset, size

EXIT_ERROR = 1
EXIT_USAGE = 2
USAGE = "usage: mkarchive.py OUT NAME=PATH [NAME=PATH ...]"


class ArchiveError(Exception):
    """A problem with the inputs, reported as one line on stderr."""


def parse_spec(spec):
    """Split a NAME=PATH argument and check NAME fits the entry; return (name bytes, path)."""
    name, sep, path = spec.partition("=")
    if not sep or not path:
        raise ArchiveError(f"{spec!r}: expected NAME=PATH")
    if not name:
        raise ArchiveError(f"{spec!r}: empty name")
    encoded = name.encode("utf-8")
    if len(encoded) >= ARCHIVE_NAME_MAX:
        raise ArchiveError(f"name {name!r} is {len(encoded)} bytes; "
                           f"the limit is {ARCHIVE_NAME_MAX - 1}")
    return encoded, path


def parse_specs(specs):
    """Parse every NAME=PATH argument, rejecting duplicate names."""
    seen = set()
    parsed = []
    for spec in specs:
        name, path = parse_spec(spec)
        if name in seen:
            raise ArchiveError(f"duplicate name {name.decode('utf-8')!r}")
        seen.add(name)
        parsed.append((name, path))
    return parsed


def read_input(name, path):
    """Return the bytes of one input file, or raise ArchiveError."""
    if not os.path.exists(path):
        raise ArchiveError(f"{name.decode('utf-8')}: no such file: {path}")
    if not os.path.isfile(path):
        raise ArchiveError(f"{name.decode('utf-8')}: not a regular file: {path}")
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise ArchiveError(f"{name.decode('utf-8')}: cannot read {path}: {e.strerror}") from e


def align_up(value, align):
    """Round value up to a multiple of align."""
    return (value + align - 1) // align * align


def build_archive(files):
    """Return the archive bytes for a list of (name bytes, data)."""
    offset = HEADER.size + ENTRY.size * len(files)
    table = [HEADER.pack(ARCHIVE_MAGIC, len(files))]
    blobs = []
    for name, data in files:
        offset = align_up(offset, DATA_ALIGN)
        table.append(ENTRY.pack(name, offset, len(data)))  # "s" pads with NULs
        blobs.append((offset, data))
        offset += len(data)

    out = bytearray(b"".join(table))
    for start, data in blobs:
        out += bytes(start - len(out))  # zero fill up to the aligned start
        out += data
    return bytes(out)


def write_atomically(path, data):
    """Write data to path via a temporary file, so make never sees half an archive."""
    directory = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(prefix=".mkarchive-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main(argv):
    """Command-line entry point; return the exit status."""
    if len(argv) < 2 or argv[0].startswith("-"):
        print(USAGE, file=sys.stderr)
        return EXIT_USAGE
    out, specs = argv[0], argv[1:]
    try:
        files = [(name, read_input(name, path)) for name, path in parse_specs(specs)]
        write_atomically(out, build_archive(files))
    except ArchiveError as e:
        print(f"mkarchive: {e}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as e:
        print(f"mkarchive: cannot write {out}: {e.strerror}", file=sys.stderr)
        return EXIT_ERROR
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
