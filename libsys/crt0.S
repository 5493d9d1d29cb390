/*
 * Program entry: set the global pointer and enter C with the initial a0
 * and sp. The kernel starts the pager with a0 = the boot-information
 * page; the pager starts programs with sp = their start-up block.
 */
	.section .text.start
	.globl _start
_start:
	.option push
	.option norelax
	la gp, __global_pointer$
	.option pop
	mv a1, sp
	call _libsys_start
1:	j 1b

/*
 * A thread a program starts in its own space (sys_thread_start): it runs
 * at its creator's start reply, whose first word (in a2) is the C
 * function to run; the other registers but sp are zero, so set the
 * global pointer first. The function must not return.
 */
	.text
	.globl _libsys_thread_entry
_libsys_thread_entry:
	.option push
	.option norelax
	la gp, __global_pointer$
	.option pop
	jalr a2
1:	j 1b
