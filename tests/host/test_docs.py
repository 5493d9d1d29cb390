#!/usr/bin/env python3
"""Docs that cannot drift: check what README.md and docs/*.md say about the code.

usage: python3 tests/host/test_docs.py      (from the repository root; make test runs it)

  docs_functions_exist   a function named in the same sentence (or table row)
                         as a file, as in "`fault_handle` in
                         `servers/pager/fault.c`" or "(`fault.c`: `fault_user`)",
                         is defined or declared in that file (in one of them,
                         when the sentence names several or a bare name like
                         `fault.c` fits several files); every file path a doc
                         names (with a '/') exists
  docs_no_file_line      no doc's prose cites file:line (lines move; name the
                         function); code blocks, which hold transcripts, may
  docs_kernel_size       README's kernel size is what `make lines` prints

A function is a backquoted lower-case name with an underscore (`fault_send`)
or any backquoted name followed by "()" (`usertrap()`); it must occur in the
file as a whole word (defined, declared or called there: a renamed or
removed function is caught; a function the sentence attributes to the wrong
one of two files that both use it is not).
Prints @@ PASS / @@ FAIL lines for tools/runtests.py; each problem on its own
line before the FAIL, as FILE: "sentence...": problem.
"""

import os
import re
import subprocess
import sys

DOCS_DIR = "docs"
SOURCE_SUFFIXES = (".c", ".h", ".S", ".py", ".sh", ".ld")
SKIP_DIRS = {".git", "build", "build-debug"}
FILE_RE = re.compile(r"`?((?:[\w.-]+/)*[\w-]+\.(?:c|h|S|py|sh|ld))\b`?")
FUNC_RE = re.compile(r"`([A-Za-z_]\w*)(\(\))?[^`]*`")
FILE_LINE_RE = re.compile(r"\b[\w./-]+\.(?:c|h|S|py|sh|ld|md|txt)(?::\d+|#L\d+)\b")
SENTENCE_END_RE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z`(\"])")
SIZE_RE = re.compile(r"\*\*([\d,]+) lines of code\*\* \(comments and blank\s+lines not counted; "
                     r"([\d,]+) lines in all\)")
LINES_RE = re.compile(r"(\d+) lines of code \(comments and blank lines not counted\), "
                      r"(\d+) lines in all")


def docs():
    """The documents checked: README.md and every docs/*.md."""
    paths = ["README.md"]
    if os.path.isdir(DOCS_DIR):
        paths += sorted(os.path.join(DOCS_DIR, n) for n in os.listdir(DOCS_DIR) if n.endswith(".md"))
    return paths


def source_files():
    """Every source file of the repository, by base name: {name: [paths]}."""
    by_name = {}
    for root, dirs, files in os.walk("."):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        for name in files:
            if name.endswith(SOURCE_SUFFIXES):
                path = os.path.normpath(os.path.join(root, name))
                by_name.setdefault(name, []).append(path)
    return by_name


def passages(text):
    """The doc's sentences and table rows, outside code blocks, as (first line, text)."""
    out, block, first, fenced = [], [], 0, False
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        indented = line.startswith("    ") and not block
        if fenced or indented or not line.strip() or line.lstrip().startswith(("|", "#", "- ", "* ")) \
                or re.match(r"\s*\d+\. ", line):
            if block:
                out.append((first, " ".join(block)))
                block = []
            if not fenced and not indented and line.strip():
                if line.lstrip().startswith("|"):
                    out.append((number, line))        # a table row stands alone
                else:
                    block, first = [line], number     # a heading or list item starts a block
            continue
        if not block:
            first = number
        block.append(line.strip())
    if block:
        out.append((first, " ".join(block)))
    sentences = []
    for number, passage in out:
        if passage.lstrip().startswith("|"):
            sentences.append((number, passage))
        else:
            sentences += [(number, s) for s in SENTENCE_END_RE.split(passage)]
    return sentences


def mentioned_in(name, path, cache={}):
    """Does name occur in the file at path as a whole word?"""
    if path not in cache:
        with open(path, encoding="utf-8", errors="replace") as f:
            cache[path] = f.read()
    return re.search(rf"\b{re.escape(name)}\b", cache[path]) is not None


def resolve(token, by_name):
    """The repository paths a file token names ([] if none): a path from the
    repository's root, the end of one (`kernel/types.h`, `abi/pager.h`), or a
    bare file name (every file of that name)."""
    if "/" not in token:
        return by_name.get(token, [])
    token = os.path.normpath(token).lstrip("./")
    if os.path.isfile(token):
        return [token]
    return [p for paths in by_name.values() for p in paths if p.endswith("/" + token)]


def functions_in(sentence):
    """The function names a sentence holds (see the module comment)."""
    names = []
    for m in FUNC_RE.finditer(sentence):
        name, parens = m.group(1), m.group(2)
        whole = m.group(0)
        if "." in whole.split("(")[0] or "/" in whole or "=" in whole or " " in whole:
            continue                   # a file, a path or a boot argument
        if parens or (name.islower() and "_" in name.strip("_") and whole == f"`{name}`"):
            names.append(name)
    return names


def check_functions(by_name):
    """Problems: functions not in the files named beside them, files that do not exist."""
    problems = []
    for doc in docs():
        with open(doc, encoding="utf-8") as f:
            text = f.read()
        for number, sentence in passages(text):
            tokens = [t for t in FILE_RE.findall(sentence) if not re.search(r"[<>*]|NAME", t)]
            if not tokens:
                continue
            files = []
            for token in tokens:
                paths = resolve(token, by_name)
                if not paths and "/" in token and not token.startswith(("build/", "my/", "$")):
                    problems.append(f"{doc}:{number}: `{token}` names no file of the repository")
                files += paths
            for name in functions_in(sentence):
                if files and not any(mentioned_in(name, p) for p in files):
                    where = ", ".join(sorted(set(files)))
                    problems.append(f"{doc}:{number}: `{name}` is not in {where}")
    return problems


def check_file_lines():
    """Problems: file:line citations (in the prose: a code block may hold a
    transcript, such as gdb's "at servers/pager/fault.c:206")."""
    problems = []
    for doc in docs():
        with open(doc, encoding="utf-8") as f:
            fenced = False
            for number, line in enumerate(f, 1):
                if line.lstrip().startswith("```"):
                    fenced = not fenced
                if fenced or line.startswith(("    ", "\t")):
                    continue
                for m in FILE_LINE_RE.finditer(line):
                    problems.append(f"{doc}:{number}: cites {m.group(0)}; name the function instead")
    return problems


def check_kernel_size():
    """Problems: README's kernel size against tools/lines.py microkernel (make lines)."""
    with open("README.md", encoding="utf-8") as f:
        readme = f.read()
    said = SIZE_RE.search(readme)
    out = subprocess.run([sys.executable, "tools/lines.py", "microkernel"],
                         capture_output=True, text=True, check=False).stdout
    measured = LINES_RE.search(out)
    if not measured:
        return [f"tools/lines.py printed no size: {out.strip()!r}"]
    if not said:
        return ["README.md: no \"**N lines of code** (comments and blank lines not counted; "
                "M lines in all)\""]
    code, total = (int(x.replace(",", "")) for x in said.groups())
    want = tuple(int(x) for x in measured.groups())
    if (code, total) != want:
        return [f"README.md says {code} lines of code, {total} in all; make lines prints "
                f"{want[0]} and {want[1]}"]
    return []


def report(name, problems):
    """Print one test's result; return 1 if it failed."""
    for p in problems:
        print(f"  {p}")
    if problems:
        print(f"@@ FAIL host/{name} {len(problems)} stale statements (listed above)")
        return 1
    print(f"@@ PASS host/{name}")
    return 0


def main():
    """Run the three checks; exit 1 if any failed."""
    by_name = source_files()
    failed = report("docs_functions_exist", check_functions(by_name))
    failed += report("docs_no_file_line", check_file_lines())
    failed += report("docs_kernel_size", check_kernel_size())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
