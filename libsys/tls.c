/* Thread-local storage for picolibc (errno lives there). */
#include "sys.h"

#define TLS_MAX 256

extern char __tdata_size[], __tbss_size[];
void _init_tls(void *);
void _set_tls(void *);

static char tls_block[TLS_MAX] __attribute__((aligned(16)));

/* Copy the TLS template into this thread's block and point tp at it. */
void libsys_init_tls(void)
{
	if ((uint64_t)__tdata_size + (uint64_t)__tbss_size > TLS_MAX)
		sys_console_write("libsys: TLS too large\n", 22);
	_init_tls(tls_block);
	_set_tls(tls_block);
}
