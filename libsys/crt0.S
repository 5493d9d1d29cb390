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
