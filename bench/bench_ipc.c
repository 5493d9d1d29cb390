/*
 * Benchmark ipc_roundtrip: call + reply between two processes, with an
 * empty message (parameter 0) and with a 4 KiB buffer sent (4096), per
 * round trip.
 */
#include "bench.h"
#include "sys.h"
#include "user.h"

#define ROUNDS 10000
#define BIG 4096
#define LABEL_ECHO (LABEL_USER + 300)

static char buf[BIG];

/* The child: tell the parent who we are, then answer every call. */
static void echo_server(long parent)
{
	struct msg m = msg_make(LABEL_ECHO, 0, 0, 0, 0);
	ipc_send(parent, &m, NULL);
	long from = ipc_recv(TID_ANY, &m, buf, sizeof(buf));
	for (;;) {
		m.tag = TAG(LABEL_ECHO, 0);
		from = ipc_reply_recv(from, &m, NULL, buf, sizeof(buf));
	}
}

/* ROUNDS calls of len bytes each; report them. */
static void measure(long server, uint64_t len)
{
	struct msg m = msg_make(LABEL_ECHO, 1, 2, 3, 4);
	m.tag = TAG(LABEL_ECHO, len);
	ipc_call(server, &m, buf, NULL, 0);
	uint64_t c = bench_cycles(), t = bench_ns();
	for (int i = 0; i < ROUNDS; i++) {
		m.tag = TAG(LABEL_ECHO, len);
		ipc_call(server, &m, buf, NULL, 0);
	}
	bench_report("ipc_roundtrip", len, bench_cycles() - c, bench_ns() - t, ROUNDS);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	long me = sys_gettid();
	int pid = fork();
	if (pid == 0)
		echo_server(me);
	struct msg m;
	long server = ipc_recv(TID_ANY, &m, NULL, 0);
	measure(server, 0);
	measure(server, BIG);
	kill(pid);
	wait(0);
	return 0;
}
