/*
 * The file-system server. It takes its disk and the console from the
 * pager, mounts the file system (recovering the log), tells the pager it
 * is ready, and then serves requests from processes (include/abi/fs.h)
 * and the console's interrupts. A missing or corrupt disk gets a clear
 * message and the server exits; the pager then goes on without a file
 * system.
 *
 * Its memory is populated by the pager up front (it is a server), so it
 * never faults and never waits on the pager: the pager may call it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fsserver.h"
#include "sys.h"

#define SLOT_ARG "fs.slot="
#define DEFAULT_SLOT 0

static char request[IPC_BUF_MAX];
static char reply[IPC_BUF_MAX];

/* Tell the pager we are up; a send: the pager does not answer. */
static void report_ready(long status)
{
	struct msg m = msg_make(PAGER_SERVER_READY, (uint64_t)status, 0, 0, 0);
	ipc_send(libsys_pager_tid, &m, NULL);
}

/* The virtio slot of the disk: boot argument fs.slot=N, else DEFAULT_SLOT. */
static uint32_t disk_slot(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], SLOT_ARG, strlen(SLOT_ARG)) == 0)
			return (uint32_t)atoi(argv[i] + strlen(SLOT_ARG));
	return DEFAULT_SLOT;
}

/* Take the disk and the console and mount; 0 or an error (already reported). */
static int start(uint32_t slot, uint64_t *disk_bit)
{
	uint32_t blocks = 0;
	const char *why = NULL;
	int err = disk_init(slot, &blocks, disk_bit);
	if (err) {
		printf("fs: no disk in virtio slot %u (error %d); running without a file system\n", slot, err);
		return err;
	}
	err = fs_mount(blocks, &why);
	if (err) {
		printf("fs: cannot mount the disk: %s (error %d)\n", why ? why : fs_error_message(err), err);
		return err;
	}
	err = console_init();
	if (err)
		printf("fs: no console input (error %d)\n", err);
	struct fs_usage u;
	if (fs_usage(&u) == 0)
		printf("fs: mounted %u blocks, %u free; %u inodes, %u free\n", fs_sb.size,
		       u.free_blocks, u.inodes, u.free_inodes);
	return 0;
}

/* Handle the console's interrupt if its bit is among `bits`. */
static void notifications(uint64_t bits)
{
	if ((bits & console_irq_bit()) && console_interrupt())
		files_retry_waiting();
}

/* Serve requests forever. */
static _Noreturn void serve(void)
{
	struct msg m;
	for (;;) {
		long from = ipc_recv(TID_ANY, &m, request, sizeof(request));
		if (from == TID_KERNEL) {
			notifications(m.w[0]);
		} else if (from > 0) {
			uint64_t len = 0;
			int64_t r = files_request(from, &m, request, TAG_LENGTH(m.tag), reply, &len);
			if (r != REPLY_LATER) {
				m.tag = TAG(0, len);
				m.w[0] = (uint64_t)r;
				ipc_reply(from, &m, reply);
			}
		}
		notifications(disk_take_pending());
	}
}

int main(int argc, char **argv)
{
	uint64_t disk_bit = 0;
	int err = start(disk_slot(argc, argv), &disk_bit);
	if (err)
		return 1;                  /* the pager goes on without a file system */
	report_ready(0);
	serve();
}
