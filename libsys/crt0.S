/*
 * Program entry. The creator of the thread puts its argument in a0 (the
 * start-up block for programs, the boot-information page for the pager)
 * and the stack in sp; set the global pointer and enter C.
 */
	.section .text.start
	.globl _start
_start:
	.option push
	.option norelax
	la gp, __global_pointer$
	.option pop
	call _libsys_start
1:	j 1b
