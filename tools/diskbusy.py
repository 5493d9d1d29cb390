#!/usr/bin/env python3
"""Fail if a running QEMU has a disk image open.

    diskbusy.py IMAGE [WHAT-NOW]

QEMU locks the bytes 100 to 299 of every image it opens (its permission
locks, F_OFD_SETLK), so a write lock on them is refused while one runs on
IMAGE. Exits 0 when IMAGE is free or missing; otherwise prints
"disk: IMAGE is in use by a running QEMU; WHAT-NOW" and exits 1. Used by
the Makefile before it changes the user's disk (make qemu, make clean-disk).
"""
import fcntl
import os
import sys

QEMU_LOCK_START = 100   # RAW_LOCK_PERM_BASE in QEMU's block/file-posix.c
QEMU_LOCK_LEN = 200     # the permission and shared-permission bytes


def busy(path):
    """True if another process holds a lock on QEMU's lock bytes of path."""
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, QEMU_LOCK_LEN, QEMU_LOCK_START)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def main():
    """Check the image named on the command line."""
    if len(sys.argv) not in (2, 3):
        print("usage: diskbusy.py IMAGE [WHAT-NOW]", file=sys.stderr)
        return 2
    if not busy(sys.argv[1]):
        return 0
    then = f"; {sys.argv[2]}" if len(sys.argv) == 3 else ""
    print(f"disk: {sys.argv[1]} is in use by a running QEMU{then}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
