#!/usr/bin/env python3
"""Count the kernel's size: lines of code (not comments, not blank) and all lines.

usage: lines.py DIR     (C and assembly files under DIR: *.c, *.h, *.S)

A line counts as code when something other than a comment and white
space is left on it once /* ... */ and // comments are taken out.
The kernel's rule is at most 3,000 lines of code.
"""

import os
import re
import sys

COMMENT_RE = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
SUFFIXES = (".c", ".h", ".S")


def code_lines(text):
    """Lines of text with code on them once comments are blanked (newlines kept)."""
    stripped = COMMENT_RE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return sum(1 for line in stripped.splitlines() if line.strip())


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else "microkernel"
    code = total = 0
    for root, _, files in os.walk(top):
        for name in sorted(files):
            if name.endswith(SUFFIXES):
                with open(os.path.join(root, name), encoding="utf-8") as f:
                    text = f.read()
                code += code_lines(text)
                total += text.count("\n")
    print(f"{top}: {code} lines of code (comments and blank lines not counted), {total} lines in all")


if __name__ == "__main__":
    main()
