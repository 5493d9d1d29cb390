#!/usr/bin/env python3
"""Write compile_commands.json (for clangd and other editors) from the build's commands.

    make -nB all HOST_TESTS... | compdb.py DIRECTORY > compile_commands.json

Reads the commands `make -n` prints and keeps each compiler call that names
a source file (.c or .S): one entry per source, the first command that
compiles it (the cross compiler's before the host's, as `make` lists them).
The flags are the Makefile's own, so the file never drifts from the build.
"""
import json
import shlex
import sys

COMPILERS = ("gcc", "cc")
SOURCES = (".c", ".S")


def entries(lines, directory):
    """The compile_commands entries for the compiler calls among lines."""
    seen, out = set(), []
    for line in lines:
        try:
            argv = shlex.split(line)
        except ValueError:
            continue
        if not argv or not argv[0].endswith(COMPILERS):
            continue
        for arg in argv[1:]:
            if arg.endswith(SOURCES) and not arg.startswith("-") and arg not in seen:
                seen.add(arg)
                others = [a for a in argv if not a.endswith(SOURCES) or a == arg or a.startswith("-")]
                out.append({"directory": directory, "file": arg, "arguments": others})
    return out


def main():
    """Read make's commands on stdin, print the JSON."""
    if len(sys.argv) != 2:
        print("usage: compdb.py DIRECTORY < make-n-output", file=sys.stderr)
        return 2
    found = entries(sys.stdin.read().replace("\\\n", " ").splitlines(), sys.argv[1])
    if not found:
        print("compdb: no compiler commands in the input", file=sys.stderr)
        return 1
    json.dump(found, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
