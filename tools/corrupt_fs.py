#!/usr/bin/env python3
"""Make a damaged copy of a file-system image, for the fscorrupt suite.

usage: corrupt_fs.py [--count N] IMAGE OUT MODE SEED

Copies IMAGE to OUT and flips N bytes (each XORed with a random non-zero
value) at random places in one region of it. Everything is decided by
SEED, so the same arguments always give the same image. The layout comes
from the superblock (include/abi/fs_format.h); MODE picks the region:

  superblock  the 32 bytes of struct superblock (block 1)
  log         the log: its header block and the block images after it
  inodes      the in-use inodes (type != 0), 64 bytes each
  bitmap      the free-bitmap blocks
  dirs        the entries of every directory (its data blocks, up to its
              size), found by walking the directory tree from the root inode
  random      any byte of any block but the unused block 0

Prints one line saying what was flipped where. Exits 1 with a message if
IMAGE is not a file system it can read (bad magic, a region outside it).
"""

import argparse
import random
import struct
import sys

BLOCK_SIZE = 1024
FS_MAGIC = 0x53466B4D
SUPER_BLOCK = 1
ROOT_INUM = 1
T_FREE, T_DIR = 0, 1
SUPER_FORMAT = "<8I"                 # magic size nblocks ninodes nlog logstart inodestart bmapstart
SUPER_BYTES = struct.calcsize(SUPER_FORMAT)
NDIRECT = 11
ADDR_BYTES = 4
NINDIRECT = BLOCK_SIZE // ADDR_BYTES
NADDRS = NDIRECT + 2
DINODE_FORMAT = f"<4HI{NADDRS}I"     # type major minor nlink size addrs[NADDRS]
DINODE_BYTES = 64
INODES_PER_BLOCK = BLOCK_SIZE // DINODE_BYTES
DIRENT_FORMAT = "<H14s"              # inum name[DIRSIZ]
DIRENT_BYTES = 16
BITS_PER_BLOCK = BLOCK_SIZE * 8
DEFAULT_COUNT = {"superblock": 2, "log": 16, "inodes": 12, "bitmap": 16, "dirs": 12, "random": 64}
MODES = tuple(DEFAULT_COUNT)

assert SUPER_BYTES == 32 and struct.calcsize(DINODE_FORMAT) == DINODE_BYTES
assert struct.calcsize(DIRENT_FORMAT) == DIRENT_BYTES


class ImageError(Exception):
    """The image cannot be read as a file system."""


class Image:
    """A file-system image in memory, read through its superblock."""

    def __init__(self, data):
        """Parse the superblock of data (a bytearray); raise ImageError if it is unusable."""
        self.data = data
        self.blocks = len(data) // BLOCK_SIZE
        if self.blocks <= SUPER_BLOCK:
            raise ImageError("too small to hold a superblock")
        fields = struct.unpack_from(SUPER_FORMAT, data, SUPER_BLOCK * BLOCK_SIZE)
        (magic, self.size, self.nblocks, self.ninodes, self.nlog,
         self.logstart, self.inodestart, self.bmapstart) = fields
        if magic != FS_MAGIC:
            raise ImageError("bad magic number: not a file system image")
        if not (self.logstart + self.nlog <= self.inodestart < self.bmapstart
                <= self.size - self.nblocks <= self.size <= self.blocks):
            raise ImageError("regions out of place or outside the image")

    def block_range(self, block):
        """The byte offsets [start, end) of a block."""
        return block * BLOCK_SIZE, (block + 1) * BLOCK_SIZE

    def inode(self, inum):
        """(type, size, addrs) of inode inum, and its byte offset."""
        off = self.inodestart * BLOCK_SIZE + inum * DINODE_BYTES
        fields = struct.unpack_from(DINODE_FORMAT, self.data, off)
        return fields[0], fields[4], fields[5:], off

    def valid_block(self, b):
        """Is b a data block of this file system?"""
        return self.size - self.nblocks <= b < self.size

    def file_blocks(self, size, addrs):
        """The data blocks holding the first `size` bytes of a file (direct and single
        indirect; directories here are far smaller than the double-indirect threshold)."""
        want = (size + BLOCK_SIZE - 1) // BLOCK_SIZE
        found = [b for b in addrs[:NDIRECT] if self.valid_block(b)]
        if want > NDIRECT and self.valid_block(addrs[NDIRECT]):
            off = addrs[NDIRECT] * BLOCK_SIZE
            found += [b for b in struct.unpack_from(f"<{NINDIRECT}I", self.data, off)
                      if self.valid_block(b)]
        return found[:want]

    def directory_entries(self):
        """The byte ranges holding the entries of every directory reachable from the root
        (up to each directory's size)."""
        ranges, seen, todo = [], set(), [ROOT_INUM]
        while todo:
            inum = todo.pop()
            if inum in seen or not 0 < inum < self.ninodes:
                continue
            seen.add(inum)
            kind, size, addrs, _ = self.inode(inum)
            if kind != T_DIR:
                continue
            for i, b in enumerate(self.file_blocks(size, addrs)):
                start = b * BLOCK_SIZE
                end = start + min(BLOCK_SIZE, size - i * BLOCK_SIZE)
                ranges.append((start, end))
                for off in range(start, end, DIRENT_BYTES):
                    child, name = struct.unpack_from(DIRENT_FORMAT, self.data, off)
                    if child and name.rstrip(b"\0") not in (b".", b".."):
                        todo.append(child)
        return ranges

    def region(self, mode):
        """The byte ranges [start, end) that mode damages."""
        if mode == "superblock":
            start = SUPER_BLOCK * BLOCK_SIZE
            return [(start, start + SUPER_BYTES)]
        if mode == "log":
            return [self.block_range(b) for b in range(self.logstart, self.logstart + self.nlog)]
        if mode == "inodes":
            ranges = []
            for inum in range(1, self.ninodes):
                kind, _, _, off = self.inode(inum)
                if kind != T_FREE:
                    ranges.append((off, off + DINODE_BYTES))
            return ranges
        if mode == "bitmap":
            return [self.block_range(b) for b in range(self.bmapstart, self.size - self.nblocks)]
        if mode == "dirs":
            return self.directory_entries()
        return [(BLOCK_SIZE, self.blocks * BLOCK_SIZE)]


def flip(data, ranges, count, rng):
    """XOR count random bytes within ranges with random non-zero values; the offsets, sorted."""
    total = sum(end - start for start, end in ranges)
    if total == 0:
        raise ImageError("the region is empty")
    offsets = []
    for _ in range(count):
        pick = rng.randrange(total)
        for start, end in ranges:
            if pick < end - start:
                offsets.append(start + pick)
                break
            pick -= end - start
        data[offsets[-1]] ^= rng.randrange(1, 256)
    return sorted(offsets)


def parse_args(argv):
    """The command line: IMAGE OUT MODE SEED, and --count."""
    parser = argparse.ArgumentParser(description="Flip random bytes in one region of a "
                                                 "file-system image, deterministically.")
    parser.add_argument("--count", type=int, help="bytes to flip (default: depends on MODE)")
    parser.add_argument("image")
    parser.add_argument("out")
    parser.add_argument("mode", choices=MODES)
    parser.add_argument("seed", type=int)
    opts = parser.parse_args(argv)
    if opts.count is None:
        opts.count = DEFAULT_COUNT[opts.mode]
    if opts.count < 1:
        parser.error("--count must be at least 1")
    return opts


def main(argv):
    """Write the damaged copy; 0, or 1 with a message."""
    opts = parse_args(argv)
    try:
        with open(opts.image, "rb") as f:
            data = bytearray(f.read())
        image = Image(data)
        ranges = image.region(opts.mode)
        offsets = flip(data, ranges, opts.count, random.Random(opts.seed))
        with open(opts.out, "wb") as f:
            f.write(data)
    except OSError as e:
        print(f"corrupt_fs: {e.filename}: {e.strerror}", file=sys.stderr)
        return 1
    except ImageError as e:
        print(f"corrupt_fs: {opts.image}: {e}", file=sys.stderr)
        return 1
    blocks = sorted({off // BLOCK_SIZE for off in offsets})
    print(f"corrupt_fs: {opts.out}: {opts.mode}, seed {opts.seed}: flipped {len(offsets)} bytes "
          f"in blocks {' '.join(map(str, blocks))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
