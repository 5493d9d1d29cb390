/*
 * Calls into the SBI firmware: ecall from S-mode with the extension id in
 * a7, the function id in a6, arguments in a0.. (SBI specification v1.0+).
 */
#include "kernel.h"

#define SBI_EXT_TIME 0x54494d45   /* "TIME" */
#define SBI_EXT_SRST 0x53525354   /* "SRST" */
#define SBI_TIME_SET_TIMER 0
#define SBI_SRST_RESET 0
#define SBI_RESET_SHUTDOWN 0
#define SBI_REASON_NONE 0
#define SBI_REASON_FAILURE 1
#define SBI_EXT_IPI 0x735049      /* "sPI" */
#define SBI_EXT_RFENCE 0x52464e43 /* "RFNC" */
#define SBI_EXT_HSM 0x48534d      /* "HSM" */
#define SBI_IPI_SEND 0
#define SBI_RFENCE_SFENCE_VMA 1
#define SBI_RFENCE_SFENCE_VMA_ASID 2
#define SBI_HSM_HART_START 0

/* Make an SBI call with up to five arguments; return the error code. */
static long sbi_call5(uint64_t ext, uint64_t fid, uint64_t arg0, uint64_t arg1, uint64_t arg2,
                      uint64_t arg3, uint64_t arg4)
{
	register uint64_t a0 asm("a0") = arg0;
	register uint64_t a1 asm("a1") = arg1;
	register uint64_t a2 asm("a2") = arg2;
	register uint64_t a3 asm("a3") = arg3;
	register uint64_t a4 asm("a4") = arg4;
	register uint64_t a6 asm("a6") = fid;
	register uint64_t a7 asm("a7") = ext;
	asm volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a2), "r"(a3), "r"(a4), "r"(a6), "r"(a7)
	             : "memory");
	return (long)a0;
}

/* Make an SBI call with up to two arguments; return the error code. */
static long sbi_call(uint64_t ext, uint64_t fid, uint64_t arg0, uint64_t arg1)
{
	return sbi_call5(ext, fid, arg0, arg1, 0, 0, 0);
}

/* Ask for a timer interrupt when the time CSR reaches `when`. */
void sbi_set_timer(uint64_t when)
{
	sbi_call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, when, 0);
}

/* Power the machine off; `failed` is reported as a system failure. */
_Noreturn void sbi_poweroff(int failed)
{
	sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, SBI_RESET_SHUTDOWN,
	         failed ? SBI_REASON_FAILURE : SBI_REASON_NONE);
	for (;;)
		asm volatile("wfi");
}

#ifdef SMP
/* Start hart `hartid` in S-mode at physical address pc with a0 = hartid, a1 = opaque. */
long sbi_hart_start(uint64_t hartid, uint64_t pc, uint64_t opaque)
{
	return sbi_call5(SBI_EXT_HSM, SBI_HSM_HART_START, hartid, pc, opaque, 0, 0);
}

/* Raise a supervisor software interrupt on the harts in hart_mask (bit n: hart id n). */
void sbi_send_ipi(uint64_t hart_mask)
{
	sbi_call(SBI_EXT_IPI, SBI_IPI_SEND, hart_mask, 0);
}

/* Flush the TLB entries of one address space (every space if all_asids) on the harts in hart_mask, and wait. */
void sbi_remote_flush(uint64_t hart_mask, uint64_t asid, int all_asids)
{
	if (all_asids)
		sbi_call5(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, hart_mask, 0, 0, ~0UL, 0);
	else
		sbi_call5(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA_ASID, hart_mask, 0, 0, ~0UL, asid);
}
#endif
