/* The boot archive (servers and programs), built by tools/mkarchive.py. */
	.section .rodata.archive
	.balign 4096
	.globl archive_start, archive_end
archive_start:
	.incbin ARCHIVE_PATH
archive_end:
