#!/bin/sh
# `make qemu` on a terminal, driven through tmux: Ctrl-C at the shell's
# prompt reaches the guest (QEMU and the shell go on), and Ctrl-C during
# `sleep 1000` ends it and the prompt returns; a build, a `make run`
# and a second `make qemu` while it runs leave its disk alone (the second
# refuses, saying why); Ctrl-A x ends QEMU; the next `make qemu` puts the
# new programs on the disk and the file written before is still there;
# `make clean-disk` deletes it. Runs on a disk and swap of its own under a
# temporary directory, never the user's build/user.img.
# Prints @@ PASS/FAIL host/console_<name> lines; exits non-zero on a failure.
# QEMU_MAKE_ARGS adds make arguments to every make qemu (to check this test:
# QEMU_MAKE_ARGS="CONSOLE_TTY='-nographic -monitor none -serial stdio'" fails).
cd "$(dirname "$0")/../.." || exit 1
if ! command -v tmux >/dev/null 2>&1; then
	echo "@@ FAIL host/console_tmux tmux is missing (tools/install-deps.sh installs it)"
	exit 1
fi
failed=0
tmp=$(mktemp -d)
sock=console-test-$$
disk=$tmp/user.img
vars="DISK=$disk SWAP=$tmp/swap.img ${QEMU_MAKE_ARGS:-}"
trap 'tmux -L $sock kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
ok() { echo "@@ PASS host/console_$1"; }
bad() {
	echo "@@ FAIL host/console_$1 $2"
	tmux -L $sock capture-pane -p -t qemu 2>/dev/null | grep -v '^$' | tail -15 | sed 's/^/| /'
	failed=1
}
screen() { tmux -L $sock capture-pane -p -J -S -200 -t qemu; }
# wait_for PATTERN [SECONDS]: until the pane has a line matching PATTERN.
wait_for() {
	n=$((${2:-20} * 5))
	while [ $n -gt 0 ]; do
		screen | grep -q -- "$1" && return 0
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}
# running: a QEMU has this test's disk open (it holds QEMU's image locks).
running() { ! python3 tools/diskbusy.py "$disk" 2>/dev/null; }
# ended [SECONDS]: until no QEMU has the disk open.
ended() {
	n=$((${1:-10} * 5))
	while [ $n -gt 0 ]; do
		running || return 0
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}
# boot: make qemu in a new tmux session on this test's server; 0 once the shell prompts.
boot() {
	tmux -L $sock kill-session -t qemu 2>/dev/null
	tmux -L $sock new-session -d -s qemu -x 200 -y 50 "make -s qemu $vars; sleep 600"
	wait_for '^init: starting sh' 60 && wait_for '^\$ ' 20
}
keys() { tmux -L $sock send-keys -t qemu "$@"; }
# answered TEXT [SECONDS]: until a line of output is TEXT (after a prompt "$ " or not).
answered() { wait_for "^\(\$ \)*$1\$" "${2:-10}"; }

make -s >/dev/null 2>&1 || { echo "@@ FAIL host/console_build make failed"; exit 1; }
if boot; then ok boots; else bad boots "no shell prompt"; exit 1; fi

keys 'echo hi > f' Enter
keys 'echo written' Enter
answered written || bad write "echo hi > f did not finish"

# Ctrl-C at the prompt: QEMU goes on and so does the shell.
keys C-c
sleep 1
keys Enter 'echo after-ctrl-c' Enter
if answered after-ctrl-c && running; then
	ok ctrl_c_reaches_guest
else
	bad ctrl_c_reaches_guest "after Ctrl-C the shell did not answer (or QEMU ended)"
fi

# Ctrl-C while a program runs in the foreground: it ends, the prompt returns.
keys 'sleep 1000' Enter
sleep 1
keys C-c
sleep 1
keys 'echo after-sleep' Enter
if answered after-sleep 5 && running; then
	ok ctrl_c_kills_foreground
else
	bad ctrl_c_kills_foreground "sleep 1000 still held the shell 5 s after Ctrl-C (or QEMU ended)"
fi

# While it runs: a rebuild (fs.img made again), make run, and a second
# make qemu on the same disk; the running system's disk stays as it was.
before=$(cksum <"$disk")
touch build/apps/echo.elf
if make -s >"$tmp/make.out" 2>&1; then ok rebuild_while_running; else
	bad rebuild_while_running "make failed"; sed 's/^/| /' "$tmp/make.out"; fi
if make -s run CMD='echo run-while-qemu' >"$tmp/run.out" 2>&1 && grep -q '^run-while-qemu$' "$tmp/run.out"; then
	ok run_while_running
else
	bad run_while_running "make run failed"; sed 's/^/| /' "$tmp/run.out"
fi
if ! running; then
	bad second_qemu_refused "the first QEMU is not running"
elif eval timeout 60 make -s qemu $vars </dev/null >"$tmp/second.out" 2>&1; then
	bad second_qemu_refused "a second make qemu on the same disk did not fail"
elif grep -q "is in use by a running QEMU" "$tmp/second.out"; then
	ok second_qemu_refused
else
	bad second_qemu_refused "no message saying the disk is in use"; sed 's/^/| /' "$tmp/second.out"
fi
if [ "$(cksum <"$disk")" = "$before" ]; then ok disk_untouched; else
	bad disk_untouched "the running system's disk changed under it"; fi
keys 'echo still-here' Enter
answered still-here && ok system_still_runs || bad system_still_runs "no answer after the rebuild"

# Ctrl-A x quits QEMU, and make qemu ends.
if ! running; then
	bad ctrl_a_x_quits "QEMU had already ended"
elif keys C-a x && ended 10; then ok ctrl_a_x_quits; else bad ctrl_a_x_quits "QEMU still running 10 s after Ctrl-A x"; fi

# The next boot puts the new programs on the disk and keeps the file.
if boot && wait_for "putting the new programs on $disk" 1; then ok programs_updated; else
	bad programs_updated "no boot, or no update of the programs after the rebuild"; fi
keys 'cat f' Enter
answered hi && ok file_survives_rebuild || bad file_survives_rebuild "f lost after the rebuild"
keys 'echo x | wc' Enter
answered '1 1 2' && ok updated_programs_run || bad updated_programs_run "echo | wc failed"
keys C-a x
ended 10 || bad ctrl_a_x_quits_again "QEMU still running after Ctrl-A x"

eval make -s clean-disk $vars >/dev/null 2>&1
[ ! -f "$disk" ] && ok clean_disk || bad clean_disk "$disk still there"
exit $failed
