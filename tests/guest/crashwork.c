/*
 * The workload of the crash-consistency test (tests/host/test_crash.py):
 * CRASH_REQUESTS requests that each change the disk in one transaction
 * (crashmodel.h says which), printing "@@ ACK <i>" on the console
 * once request i has been answered, so once its transaction is on the
 * disk. The host kills QEMU after some ACK and boots crashcheck on the
 * same disk. The console is a polled UART written before the fs server
 * replies, so request i+1 is never sent before ACK i has left the
 * machine: after the last ACK the host saw, at most one request was in
 * flight. Open and close requests around a step change nothing on disk
 * and get no ACK. Ends with "crashwork: done <n> requests" and status 0,
 * or status 1 when a request fails.
 */
#include <stdio.h>
#include "user.h"
#include "abi/fs.h"
#include "crashmodel.h"

static uint8_t wbuf[CRASH_MAX_BYTES];

/* Report that disk-changing request i is done. */
static void ack(int i)
{
	printf("@@ ACK %d\n", i);
}

/* Make /crash (it may exist) and remove what an earlier run left in it; no ACKs. */
static void setup(void)
{
	char path[CRASH_PATH_MAX];
	mkdir(CRASH_DIR);
	for (int f = 0; f < CRASH_FILES; f++) {
		crash_path(path, f);
		unlink(path);
	}
}

/* Request i creates path (open changes the disk, close does not); 0 or -1. */
static int do_create(int i, const char *path)
{
	int fd = open(path, FS_O_CREATE | FS_O_RDWR);
	if (fd < 0)
		return -1;
	ack(i);
	return close(fd);
}

/* Request i writes its bytes at offset 0 of path in one FS_WRITE; 0 or -1. */
static int do_write(int i, const char *path)
{
	uint32_t len = crash_write_len(i);
	int fd = open(path, FS_O_RDWR);
	if (fd < 0)
		return -1;
	crash_fill(wbuf, len, i);
	if (write(fd, wbuf, (int)len) != (int)len) {
		close(fd);
		return -1;
	}
	ack(i);
	return close(fd);
}

/* Request i empties path (an open with O_TRUNC); 0 or -1. */
static int do_truncate(int i, const char *path)
{
	int fd = open(path, FS_O_RDWR | FS_O_TRUNC);
	if (fd < 0)
		return -1;
	ack(i);
	return close(fd);
}

/* Request i removes path; 0 or -1. */
static int do_unlink(int i, const char *path)
{
	if (unlink(path) < 0)
		return -1;
	ack(i);
	return 0;
}

/* Perform request i on the disk; 0 or -1. */
static int do_request(int i)
{
	char path[CRASH_PATH_MAX];
	crash_path(path, crash_file_of(i));
	switch (crash_kind_of(i)) {
	case CRASH_CREATE:
		return do_create(i, path);
	case CRASH_WRITE:
		return do_write(i, path);
	case CRASH_TRUNCATE:
		return do_truncate(i, path);
	case CRASH_UNLINK:
		return do_unlink(i, path);
	}
	return -1;
}

int main(void)
{
	setup();
	for (int i = 0; i < CRASH_REQUESTS; i++) {
		if (do_request(i) < 0) {
			printf("crashwork: request %d (kind %d) failed\n", i, crash_kind_of(i));
			return 1;
		}
	}
	printf("crashwork: done %d requests\n", CRASH_REQUESTS);
	return 0;
}
