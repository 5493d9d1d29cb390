/*
 * The kernel console: a polled 16550 UART, used only for the kernel's own
 * messages (the banner, panics) and SYS_CONSOLE_WRITE. kprintf knows
 * %s %c %d %u %x %p and the l modifier, which is all the kernel needs.
 */
#include <stdarg.h>
#include "kernel.h"

#define UART_THR 0            /* transmit holding register */
#define UART_LSR 5            /* line status register      */
#define UART_LSR_THRE 0x20    /* transmitter can take a byte */

static volatile uint8_t *uart;

/* Remember where the UART is (from the device tree). */
void console_init(uint64_t uart_base)
{
	uart = (volatile uint8_t *)uart_base;
}

/* Write one character, turning \n into \r\n. */
void kputc(char c)
{
	if (!uart)
		return;
	if (c == '\n')
		kputc('\r');
	while (!(uart[UART_LSR] & UART_LSR_THRE))
		;
	uart[UART_THR] = (uint8_t)c;
}

/* Print an unsigned number in the given base, at least width digits. */
static void print_unsigned(uint64_t v, unsigned base, int width)
{
	char buf[24];
	int n = 0;
	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n < width)
		buf[n++] = '0';
	while (n)
		kputc(buf[--n]);
}

/* Print one conversion; long_arg says whether the l modifier was given. */
static void print_conversion(char conv, int long_arg, va_list *ap)
{
	int64_t s;
	uint64_t u;
	const char *str;

	switch (conv) {
	case 'd':
		s = long_arg ? va_arg(*ap, int64_t) : va_arg(*ap, int);
		if (s < 0) {
			kputc('-');
			s = -s;
		}
		print_unsigned((uint64_t)s, 10, 1);
		break;
	case 'u':
	case 'x':
		u = long_arg ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned);
		print_unsigned(u, conv == 'x' ? 16 : 10, 1);
		break;
	case 'p':
		kputc('0');
		kputc('x');
		print_unsigned(va_arg(*ap, uint64_t), 16, 1);
		break;
	case 's':
		for (str = va_arg(*ap, const char *); str && *str; str++)
			kputc(*str);
		break;
	case 'c':
		kputc((char)va_arg(*ap, int));
		break;
	default:
		kputc('%');
		kputc(conv);
	}
}

/* Formatted print to the kernel console. */
void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			kputc(*fmt);
			continue;
		}
		int long_arg = 0;
		while (fmt[1] == 'l') {
			long_arg = 1;
			fmt++;
		}
		if (!fmt[1])
			break;
		print_conversion(*++fmt, long_arg, &ap);
	}
	va_end(ap);
}

/* Report a broken kernel invariant and stop the machine. */
_Noreturn void panic(const char *msg)
{
	kprintf("\nkernel panic: %s\n", msg);
	sbi_poweroff(1);
}
