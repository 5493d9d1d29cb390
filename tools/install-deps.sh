#!/bin/sh
# Install the Debian packages the build needs, if any is missing:
# the RISC-V cross compiler, picolibc, QEMU, python3 for the tools, the
# host's gcc for mkfs and the host-side tests, and tmux, in which
# tests/host/test_console.sh drives make qemu as on a terminal.
# Runs apt-get as root, or through sudo.
#
# `tools/install-deps.sh gnuplot` installs only gnuplot (Debian's
# gnuplot-nox) if it is missing, never asking anything (sudo -n); make
# bench uses it for its plots and goes on without them if this fails.
set -e

# Set SUDO to run apt-get as root (empty when we are root; $1 = sudo's options), or fail naming $2.
choose_sudo() {
	if [ "$(id -u)" -eq 0 ]; then
		SUDO=""
	elif command -v sudo >/dev/null 2>&1; then
		SUDO="sudo $1"
	else
		echo "install-deps: not root and no sudo; please install:$2" >&2
		exit 1
	fi
}

if [ "$1" = gnuplot ]; then
	command -v gnuplot >/dev/null 2>&1 && exit 0
	echo "install-deps: installing gnuplot-nox with apt-get"
	choose_sudo -n " gnuplot-nox"
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends gnuplot-nox
	exit 0
fi
PACKAGES="gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-system-misc python3 gcc libc6-dev tmux"
missing=""
command -v riscv64-unknown-elf-gcc >/dev/null 2>&1 || missing="$missing gcc-riscv64-unknown-elf"
[ -f /usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs ] || missing="$missing picolibc-riscv64-unknown-elf"
command -v qemu-system-riscv64 >/dev/null 2>&1 || missing="$missing qemu-system-misc"
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
command -v gcc >/dev/null 2>&1 || missing="$missing gcc"
command -v tmux >/dev/null 2>&1 || missing="$missing tmux"
[ -z "$missing" ] && exit 0

echo "install-deps: missing:$missing; installing $PACKAGES with apt-get"
choose_sudo "" "$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends $PACKAGES
