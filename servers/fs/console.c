/*
 * The console device: output goes to the kernel console (SYS_CONSOLE_WRITE);
 * input comes from the UART, whose page and interrupt the pager granted us.
 * Typed characters are echoed and collected into a line (backspace erases,
 * ^U erases the line; ^D sends the line typed so far, and on an empty line
 * ends input: that read returns 0); a read is answered when a line is
 * complete, so a reader waits (its reply deferred) until then.
 *
 * ^C and ^P are job control. The shell names the foreground group
 * (FS_CONSOLE_FG); ^C throws away the input not yet read and asks the
 * pager to end that group; with no foreground group (the shell is at its
 * prompt) it ends the line, so the shell prompts again. ^P asks the pager
 * to print the process table. We must never wait on the pager, which
 * calls us synchronously (its fsclient.c) and may be in such a call right
 * now: a SEND to it would then wait for ever, and so would it. So we only
 * record the event and set a bit in the pager's notification word
 * (SYS_NOTIFY, which never blocks); the pager calls back for the event
 * (FS_CONSOLE_EVENTS, console_take_events), a call we answer at once.
 */
#include <string.h>
#include "fsserver.h"
#include "sys.h"

#define UART_RBR 0               /* receive buffer register */
#define UART_IER 1               /* interrupt enable register */
#define UART_LSR 5               /* line status register */
#define UART_IER_RX 0x01         /* interrupt when a byte arrives */
#define UART_LSR_DATA 0x01       /* a byte is waiting */
#define INPUT_MAX 256
#define CTRL(c) ((c) - '@')
#define KEY_BACKSPACE 0x7f
#define KEY_ENTER '\r'

static volatile uint8_t *uart;
static uint32_t uart_irq;
static char input[INPUT_MAX];
static uint32_t line_start, line_end, edit_end;   /* read < committed line < being typed */
static int eof_pending;
static int foreground;              /* the group ^C ends (0: none) */
static int kill_pending, dump_pending;   /* ^C (the group) and ^P, until the pager asks */

/* Take the UART from the pager and turn its receive interrupt on; 0 or an error. */
int console_init(void)
{
	struct msg m = msg_make(PAGER_MAP_DEVICE, DEVICE_UART, 0, 0, 0);
	long va = pager_request(&m, NULL, 0);
	if (va < 0)
		return (int)va;
	uart = (volatile uint8_t *)va;
	uart_irq = (uint32_t)m.w[1];
	uart[UART_IER] = UART_IER_RX;
	return 0;
}

/* The notification bit of the console's interrupt (0 without a UART). */
uint64_t console_irq_bit(void)
{
	return uart ? 1UL << uart_irq : 0;
}

/* Write to the screen; returns n. */
long console_write(const void *buf, uint64_t n)
{
	return console_write_all(buf, n) < 0 ? -E_FAULT : (long)n;
}

/* Echo one character to the screen. */
static void echo(const char *s)
{
	console_write_all(s, strlen(s));
}

/* Tell the pager that something was typed for it; never blocks (see the top). */
static void notify_pager(void)
{
	sys_notify(libsys_pager_tid, NOTIFY_CONSOLE);
}

/* ^C: drop unread input; end the foreground group, or (none) end the line so the shell prompts again. */
static void interrupt_key(void)
{
	echo("^C\n");
	line_start = line_end = edit_end = 0;
	eof_pending = 0;
	if (foreground) {
		kill_pending = foreground;
		notify_pager();
	} else {
		input[edit_end++] = '\n';
		line_end = edit_end;
	}
}

/* Make pgid the foreground group (0: none); the previous one. */
int console_set_foreground(int pgid)
{
	int old = foreground;
	foreground = pgid;
	return old;
}

/* For the pager: the group a ^C is to end (0: none), and in *dump whether ^P was typed; clears both. */
int console_take_events(int *dump)
{
	int pgid = kill_pending;
	*dump = dump_pending;
	kill_pending = dump_pending = 0;
	return pgid;
}

/* Apply one typed character to the line being edited. */
static void console_key(char c)
{
	if (c == KEY_BACKSPACE || c == '\b') {
		if (edit_end > line_end) {
			edit_end--;
			echo("\b \b");
		}
	} else if (c == CTRL('U')) {
		for (; edit_end > line_end; edit_end--)
			echo("\b \b");
	} else if (c == CTRL('D')) {
		if (edit_end == line_end)
			eof_pending = 1;        /* on an empty line: end of input */
		line_end = edit_end;
	} else if (c == CTRL('C')) {
		interrupt_key();
	} else if (c == CTRL('P')) {
		dump_pending = 1;
		notify_pager();
	} else if (edit_end < INPUT_MAX) {
		c = c == KEY_ENTER ? '\n' : c;
		input[edit_end++] = c;
		char s[2] = { c, 0 };
		echo(s);
		if (c == '\n' || edit_end == INPUT_MAX)
			line_end = edit_end;
	}
}

/* Read every byte the UART holds; 1 if a line (or end of input) became ready. */
int console_interrupt(void)
{
	if (!uart)
		return 0;
	while (uart[UART_LSR] & UART_LSR_DATA)
		console_key((char)uart[UART_RBR]);
	sys_irq_ack(uart_irq);
	return line_end > line_start || eof_pending;
}

/* Hand out up to n bytes of a completed line: bytes, 0 at end of input, or CONSOLE_WAIT. */
long console_read(char *buf, uint64_t n)
{
	if (line_end == line_start && !eof_pending)
		return CONSOLE_WAIT;
	uint64_t avail = line_end - line_start;
	n = n < avail ? n : avail;
	memcpy(buf, input + line_start, n);
	line_start += (uint32_t)n;
	if (line_start == line_end) {
		if (n == 0)
			eof_pending = 0;
		memmove(input, input + line_end, edit_end - line_end);
		edit_end -= line_end;
		line_start = line_end = 0;
	}
	return (long)n;
}
