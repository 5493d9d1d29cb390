/*
 * System-call stubs; the register convention is in include/abi/syscall.h.
 */
	.text

/* long sys_ipc(long number, long tid, struct msg *m, const void *sbuf, void *rbuf, uint64_t rcap)
   Sends *m (for calls that send) and stores the received tag and words back into *m. */
	.globl sys_ipc
sys_ipc:
	mv a7, a0
	mv a0, a1
	mv t2, a2
	mv a6, a3
	mv t0, a4
	mv t1, a5
	ld a1, 0(t2)
	ld a2, 8(t2)
	ld a3, 16(t2)
	ld a4, 24(t2)
	ld a5, 32(t2)
	ecall
	sd a1, 0(t2)
	sd a2, 8(t2)
	sd a3, 16(t2)
	sd a4, 24(t2)
	sd a5, 32(t2)
	ret

/* long sys_call6(long number, long a0, long a1, long a2, long a3, long a4, long a5) */
	.globl sys_call6
sys_call6:
	mv a7, a0
	mv a0, a1
	mv a1, a2
	mv a2, a3
	mv a3, a4
	mv a4, a5
	mv a5, a6
	ecall
	ret
