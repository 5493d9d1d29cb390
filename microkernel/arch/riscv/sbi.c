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

/* Make an SBI call with up to two arguments; return the error code. */
static long sbi_call(uint64_t ext, uint64_t fid, uint64_t arg0, uint64_t arg1)
{
	register uint64_t a0 asm("a0") = arg0;
	register uint64_t a1 asm("a1") = arg1;
	register uint64_t a6 asm("a6") = fid;
	register uint64_t a7 asm("a7") = ext;
	asm volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a6), "r"(a7) : "memory");
	return (long)a0;
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
