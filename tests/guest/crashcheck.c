/*
 * The check of the crash-consistency test (tests/host/test_crash.py),
 * booted on a disk where crashwork was killed: the fs server has
 * mounted it, replaying the log. With the boot arguments crash.ack=L
 * (the last ACK the host saw) and crash.tag=NAME, the files in /crash
 * must be exactly what the first L+1 requests of the workload
 * (crashmodel.h) made, or the first L+2 (one may have been in
 * flight): which files exist, their sizes and every byte, and no other
 * names. Prints "@@ PASS crash/NAME" or "@@ FAIL crash/NAME <what
 * differs>" and exits 0, which powers the machine off.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "user.h"
#include "abi/fs.h"
#include "abi/fs_format.h"
#include "crashmodel.h"

#define ACK_ARG "crash.ack="
#define TAG_ARG "crash.tag="
#define NO_ACK (-2)                    /* crash.ack= missing */
#define REASON_MAX 160
#define CANDIDATES 2                   /* L+1 and L+2 requests */

static struct crash_state disk, expect;
static char reason[CANDIDATES][REASON_MAX];

/* The value of the boot argument starting with prefix, or NULL. */
static const char *boot_arg(int argc, char **argv, const char *prefix)
{
	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], prefix, strlen(prefix)) == 0)
			return argv[i] + strlen(prefix);
	return NULL;
}

/* Read file f from the disk into disk.file[f] (absent if it cannot be opened); 0, or -1 if too big. */
static int read_file(int f)
{
	char path[CRASH_PATH_MAX];
	struct crash_file *cf = &disk.file[f];
	static uint8_t extra[1];
	crash_path(path, f);
	int fd = open(path, FS_O_RDONLY), n;
	if (fd < 0)
		return 0;
	cf->exists = 1;
	while (cf->size < CRASH_MAX_BYTES &&
	       (n = read(fd, cf->data + cf->size, CRASH_MAX_BYTES - (int)cf->size)) > 0)
		cf->size += (uint32_t)n;
	n = read(fd, extra, sizeof(extra));
	close(fd);
	return n == 0 ? 0 : -1;
}

/* Whether name is one of the workload's files. */
static int is_workload_name(const char *name)
{
	char path[CRASH_PATH_MAX];
	for (int f = 0; f < CRASH_FILES; f++) {
		crash_path(path, f);
		if (strcmp(path + strlen(CRASH_DIR "/"), name) == 0)
			return 1;
	}
	return 0;
}

/* Write into out the first name in /crash that the workload never makes; 1 if there is one. */
static int find_stranger(char *out, int cap)
{
	struct dirent de;
	char name[DIRSIZ + 1];
	int fd = open(CRASH_DIR, FS_O_RDONLY), found = 0;
	if (fd < 0)
		return 0;
	while (!found && read(fd, &de, sizeof(de)) == sizeof(de)) {
		if (de.inum == 0)
			continue;
		memcpy(name, de.name, DIRSIZ);
		name[DIRSIZ] = '\0';
		found = strcmp(name, ".") && strcmp(name, "..") && !is_workload_name(name);
		if (found)
			snprintf(out, (size_t)cap, "unexpected name %s/%s", CRASH_DIR, name);
	}
	close(fd);
	return found;
}

/* Describe in out how file f on the disk differs from the model; 0 if it does not. */
static int compare_file(int f, char *out, int cap)
{
	const struct crash_file *d = &disk.file[f], *e = &expect.file[f];
	if (d->exists != e->exists) {
		snprintf(out, (size_t)cap, "f%d %s", f, d->exists ? "exists, should not" : "is missing");
		return 1;
	}
	if (d->size != e->size) {
		snprintf(out, (size_t)cap, "f%d has %u bytes, not %u", f, (unsigned)d->size,
		         (unsigned)e->size);
		return 1;
	}
	for (uint32_t off = 0; off < d->size; off++) {
		if (d->data[off] != e->data[off]) {
			snprintf(out, (size_t)cap, "f%d byte %u is %u, not %u", f, (unsigned)off,
			         d->data[off], e->data[off]);
			return 1;
		}
	}
	return 0;
}

/* Describe in out how the disk differs from the state after n requests; 0 if it does not. */
static int compare_state(int n, char *out, int cap)
{
	crash_model(&expect, n);
	for (int f = 0; f < CRASH_FILES; f++) {
		if (compare_file(f, out, cap))
			return 1;
	}
	return 0;
}

/* Read /crash; 0, or -1 with reason[0] set if it holds something the workload never makes. */
static int read_disk(void)
{
	for (int f = 0; f < CRASH_FILES; f++) {
		if (read_file(f) < 0) {
			snprintf(reason[0], REASON_MAX, "f%d is unreadable or longer than %d bytes", f,
			         CRASH_MAX_BYTES);
			return -1;
		}
	}
	return find_stranger(reason[0], REASON_MAX) ? -1 : 0;
}

/* The number of requests (L+1 or L+2, at most the whole workload) the disk matches, or -1 with reason[] set. */
static int match_prefix(int last_ack)
{
	int tried = 0;
	for (int n = last_ack + 1; n <= last_ack + CANDIDATES && n <= CRASH_REQUESTS; n++, tried++) {
		if (!compare_state(n, reason[tried], REASON_MAX))
			return n;
	}
	if (tried == 0)
		snprintf(reason[0], REASON_MAX, "crash.ack=%d is past the workload", last_ack);
	return -1;
}

/* Print the result line for tag, naming what differs from the state after last_ack+1 (and +2) requests. */
static void report(const char *tag, int last_ack, int matched, int read_ok)
{
	int tried = CRASH_REQUESTS - last_ack;  /* candidates within the workload, if under 2 */
	if (matched >= 0) {
		printf("crashcheck: /crash is as after %d requests (last ACK %d)\n", matched, last_ack);
		printf("@@ PASS crash/%s\n", tag);
	} else if (!read_ok || tried <= 0) {
		printf("@@ FAIL crash/%s %s\n", tag, reason[0]);
	} else if (tried == 1) {
		printf("@@ FAIL crash/%s after %d requests: %s\n", tag, last_ack + 1, reason[0]);
	} else {
		printf("@@ FAIL crash/%s after %d requests: %s; after %d: %s\n", tag, last_ack + 1,
		       reason[0], last_ack + 2, reason[1]);
	}
}

int main(int argc, char **argv)
{
	const char *ack_arg = boot_arg(argc, argv, ACK_ARG);
	const char *tag = boot_arg(argc, argv, TAG_ARG);
	int last_ack = ack_arg ? atoi(ack_arg) : NO_ACK;
	if (!tag)
		tag = "untagged";
	if (last_ack < -1) {
		printf("@@ FAIL crash/%s no boot argument " ACK_ARG "L (L >= -1)\n", tag);
		return 0;
	}
	int read_ok = read_disk() == 0;
	report(tag, last_ack, read_ok ? match_prefix(last_ack) : -1, read_ok);
	return 0;
}
