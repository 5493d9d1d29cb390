/*
 * File-system tests: file operations, big files, many files, concurrent
 * creates and deletes, pipes with large transfers, the shell's
 * redirection and pipelines, exec failures, open files shared across fork
 * and exec, the lazy-allocation cases through the fs server (read,
 * write, pipe and exec given never-touched heap), and positioned I/O
 * past the largest file. Mapped files are in mmaptests.c. Run by
 * `make test` as the suite "fstests" (from the disk, /tests/fstests);
 * "fspersist" (the same program as /tests/fspersist) checks after a
 * reboot what "fstests" left on the disk.
 */
#include <string.h>
#include "harness.h"
#include "user.h"
#include "abi/fs.h"
#include "abi/fs_format.h"
#include "abi/pager.h"

#define BIG_BYTES (300 * 1024)          /* past the direct and single-indirect blocks */
#define CHUNK 4096
#define MANY 200
#define WORKERS 4
#define PER_WORKER 40
#define PIPE_BYTES (1 << 20)
#define PERSIST_PATH "/persist"
#define PERSIST_TEXT "written before the reboot\n"
#define NAME_MAX 32

/* Create path with contents text; check every step. */
static void put_file(const char *path, const char *text)
{
	int fd = open(path, FS_O_CREATE | FS_O_WRONLY | FS_O_TRUNC);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, text, (int)strlen(text)), (int)strlen(text));
	CHECK_EQ(close(fd), 0);
}

/* Create, write, read back, stat, unlink. */
static void test_file_ops(void)
{
	char buf[64];
	struct stat st;
	put_file("f1", "hello, disk\n");
	CHECK_EQ(read_whole_file("f1", buf, sizeof(buf)), 12);
	CHECK(strcmp(buf, "hello, disk\n") == 0);
	CHECK_EQ(stat("f1", &st), 0);
	CHECK_EQ(st.type, T_FILE);
	CHECK_EQ(st.size, 12);
	CHECK_EQ(st.nlink, 1);
	CHECK_EQ(unlink("f1"), 0);
	CHECK_EQ(open("f1", FS_O_RDONLY), -1);
	CHECK_EQ(unlink("f1"), -1);
}

/* Fill buf with the pattern of a file offset. */
static void pattern(unsigned char *buf, int len, int off)
{
	for (int i = 0; i < len; i++)
		buf[i] = (unsigned char)((off + i) * 13 + (off + i) / 1021);
}

/* A file past the single-indirect blocks reads back exactly. */
static void test_big_file(void)
{
	static unsigned char out[CHUNK], in[CHUNK];
	int fd = open("big", FS_O_CREATE | FS_O_RDWR);
	CHECK(fd >= 0);
	for (int off = 0; off < BIG_BYTES; off += CHUNK) {
		pattern(out, CHUNK, off);
		CHECK_EQ(write(fd, out, CHUNK), CHUNK);
	}
	close(fd);
	struct stat st;
	CHECK_EQ(stat("big", &st), 0);
	CHECK_EQ(st.size, BIG_BYTES);
	fd = open("big", FS_O_RDONLY);
	for (int off = 0; off < BIG_BYTES; off += CHUNK) {
		CHECK_EQ(read(fd, in, CHUNK), CHUNK);
		pattern(out, CHUNK, off);
		CHECK(memcmp(in, out, CHUNK) == 0);
	}
	CHECK_EQ(read(fd, in, CHUNK), 0);
	close(fd);
	CHECK_EQ(unlink("big"), 0);
}

/* Count the live entries of a directory (with . and ..). */
static int count_entries(const char *dir)
{
	struct dirent de;
	int fd = open(dir, FS_O_RDONLY), n = 0;
	CHECK(fd >= 0);
	while (read(fd, &de, sizeof(de)) == sizeof(de))
		n += de.inum != 0;
	close(fd);
	return n;
}

/* Many files in one directory: create, list, remove, then remove the directory. */
static void test_many_files(void)
{
	char name[NAME_MAX];
	CHECK_EQ(mkdir("many"), 0);
	for (int i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "many/f%d", i);
		put_file(name, "x");
	}
	CHECK_EQ(count_entries("many"), MANY + 2);
	CHECK_EQ(unlink("many"), -1);              /* not empty */
	for (int i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "many/f%d", i);
		CHECK_EQ(unlink(name), 0);
	}
	CHECK_EQ(count_entries("many"), 2);
	CHECK_EQ(unlink("many"), 0);
}

/* Worker: create and delete its own files in dir "conc", many times. */
static void worker(int id)
{
	char name[NAME_MAX];
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < PER_WORKER; i++) {
			snprintf(name, sizeof(name), "conc/w%d_%d", id, i);
			put_file(name, name);
		}
		for (int i = 0; i < PER_WORKER; i++) {
			snprintf(name, sizeof(name), "conc/w%d_%d", id, i);
			char buf[NAME_MAX];
			CHECK_EQ(read_whole_file(name, buf, sizeof(buf)), (int)strlen(name));
			CHECK(strcmp(buf, name) == 0);
			CHECK_EQ(unlink(name), 0);
		}
	}
}

/* Several processes create and delete files in one directory at once. */
static void test_concurrent_create_delete(void)
{
	int pids[WORKERS];
	CHECK_EQ(mkdir("conc"), 0);
	for (int i = 0; i < WORKERS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			worker(i);
			exit(0);
		}
	}
	for (int i = 0; i < WORKERS; i++) {
		int status = -100;
		CHECK(wait(&status) > 0);
		CHECK_EQ(status, 0);
	}
	CHECK_EQ(count_entries("conc"), 2);
	CHECK_EQ(unlink("conc"), 0);
}

/* A megabyte through a pipe between two processes arrives in order. */
static void test_pipe_large(void)
{
	int fds[2];
	CHECK_EQ(pipe(fds), 0);
	int pid = fork();
	if (pid == 0) {
		static unsigned char out[CHUNK];
		close(fds[0]);
		for (int off = 0; off < PIPE_BYTES; off += CHUNK) {
			pattern(out, CHUNK, off);
			CHECK_EQ(write(fds[1], out, CHUNK), CHUNK);
		}
		exit(0);
	}
	close(fds[1]);
	static unsigned char in[CHUNK], want[CHUNK];
	long total = 0;
	int n;
	while ((n = read(fds[0], in, CHUNK)) > 0) {
		pattern(want, n, (int)total);
		CHECK(memcmp(in, want, (size_t)n) == 0);
		total += n;
	}
	CHECK_EQ(total, PIPE_BYTES);
	close(fds[0]);
	int status = -100;
	CHECK_EQ(wait(&status), pid);
	CHECK_EQ(status, 0);
}

/* Run `sh -c line`; its exit status. */
static int shell(const char *line)
{
	int pid = fork();
	if (pid == 0) {
		char *argv[] = { "sh", "-c", (char *)line, NULL };
		exec("sh", argv);
		exit(127);
	}
	int status = -100;
	CHECK_EQ(wait(&status), pid);
	return status;
}

/* The shell's redirection, pipelines and sequencing. */
static void test_shell_redirection_and_pipes(void)
{
	char buf[64];
	CHECK_EQ(shell("echo one two > r1; cat < r1 | wc > r2"), 0);
	CHECK(read_whole_file("r2", buf, sizeof(buf)) > 0);
	CHECK(strcmp(buf, "1 2 8\n") == 0);
	CHECK_EQ(shell("echo abc | grep b | wc > r3"), 0);
	CHECK(read_whole_file("r3", buf, sizeof(buf)) > 0);
	CHECK(strcmp(buf, "1 1 4\n") == 0);
	CHECK(shell("ls nosuchfile > r4") != 0);
	CHECK_EQ(shell("rm r1 r2 r3 r4"), 0);
}

/* exec of a missing, a non-ELF and a truncated ELF file fails; the caller goes on. */
static void test_exec_failures(void)
{
	static char head[100];
	char *argv[] = { "x", NULL };
	CHECK_EQ(exec("/nosuch", argv), -1);
	put_file("notelf", "#!/bin/sh\necho not an ELF\n");
	CHECK_EQ(exec("notelf", argv), -1);
	int fd = open("/cat", FS_O_RDONLY);
	CHECK_EQ(read(fd, head, sizeof(head)), (int)sizeof(head));
	close(fd);
	fd = open("truncated", FS_O_CREATE | FS_O_WRONLY);
	CHECK_EQ(write(fd, head, sizeof(head)), (int)sizeof(head));
	close(fd);
	CHECK_EQ(exec("truncated", argv), -1);
	CHECK_EQ(unlink("notelf"), 0);
	CHECK_EQ(unlink("truncated"), 0);
	CHECK(getpid() > 0);
}

/* Parent and child share an open file's offset across fork; the child's exec keeps it open. */
static void test_fd_shared_across_fork_and_exec(void)
{
	char buf[16];
	int fd = open("shared", FS_O_CREATE | FS_O_RDWR | FS_O_TRUNC);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "a", 1), 1);
	int pid = fork();
	if (pid == 0) {
		CHECK_EQ(write(fd, "b", 1), 1);
		CHECK_EQ(close(1), 0);                /* echo's output goes to the shared file */
		CHECK_EQ(dup(fd), 1);
		char *argv[] = { "echo", "c", NULL };
		exec("echo", argv);
		exit(1);
	}
	int status = -100;
	CHECK_EQ(wait(&status), pid);
	CHECK_EQ(status, 0);
	CHECK_EQ(write(fd, "d", 1), 1);
	close(fd);
	CHECK_EQ(read_whole_file("shared", buf, sizeof(buf)), 5);
	CHECK(strcmp(buf, "abc\nd") == 0);
	CHECK_EQ(unlink("shared"), 0);
}

/* dup takes the lowest free descriptor and shares the offset. */
static void test_dup(void)
{
	char buf[8];
	int fd = open("dupf", FS_O_CREATE | FS_O_RDWR);
	CHECK(fd >= 3);
	int fd2 = dup(fd);
	CHECK_EQ(fd2, fd + 1);
	CHECK_EQ(write(fd, "12", 2), 2);
	CHECK_EQ(write(fd2, "34", 2), 2);
	close(fd);
	close(fd2);
	CHECK_EQ(read_whole_file("dupf", buf, sizeof(buf)), 4);
	CHECK(strcmp(buf, "1234") == 0);
	CHECK_EQ(dup(99), -1);
	CHECK_EQ(unlink("dupf"), 0);
}

/* Directories, chdir, relative paths, "..". */
static void test_directories(void)
{
	char buf[16];
	CHECK_EQ(mkdir("dir1"), 0);
	CHECK_EQ(mkdir("dir1"), -1);
	CHECK_EQ(chdir("dir1"), 0);
	put_file("inner", "in");
	CHECK_EQ(mkdir("sub"), 0);
	CHECK_EQ(chdir("sub/.."), 0);
	CHECK_EQ(read_whole_file("inner", buf, sizeof(buf)), 2);
	CHECK_EQ(chdir(".."), 0);
	CHECK_EQ(read_whole_file("dir1/inner", buf, sizeof(buf)), 2);
	CHECK_EQ(read_whole_file("/dir1/../dir1/inner", buf, sizeof(buf)), 2);
	CHECK_EQ(chdir("dir1/inner"), -1);           /* not a directory */
	CHECK_EQ(open("dir1", FS_O_WRONLY), -1);      /* directories are read-only */
	CHECK_EQ(unlink("dir1/sub"), 0);
	CHECK_EQ(unlink("dir1/inner"), 0);
	CHECK_EQ(unlink("dir1"), 0);
}

/* Hard links, and a file unlinked while open stays readable. */
static void test_links_and_open_unlink(void)
{
	char buf[16];
	struct stat st;
	put_file("l1", "linked");
	CHECK_EQ(link("l1", "l2"), 0);
	CHECK_EQ(link("l1", "l2"), -1);
	CHECK_EQ(stat("l2", &st), 0);
	CHECK_EQ(st.nlink, 2);
	CHECK_EQ(unlink("l1"), 0);
	CHECK_EQ(read_whole_file("l2", buf, sizeof(buf)), 6);
	int fd = open("l2", FS_O_RDONLY);
	CHECK_EQ(unlink("l2"), 0);
	CHECK_EQ(read(fd, buf, sizeof(buf)), 6);
	CHECK_EQ(close(fd), 0);
}

/* Bad descriptors, modes, names and paths get -1, never a crash. */
static void test_bad_arguments(void)
{
	char buf[8], longname[FS_PATH_MAX + 10];
	CHECK_EQ(open("missing", FS_O_RDONLY), -1);
	CHECK_EQ(read(42, buf, 1), -1);
	CHECK_EQ(write(-1, buf, 1), -1);
	CHECK_EQ(close(15), -1);
	put_file("ro", "r");
	int fd = open("ro", FS_O_RDONLY);
	CHECK_EQ(write(fd, "x", 1), -1);
	close(fd);
	fd = open("ro", FS_O_WRONLY);
	CHECK_EQ(read(fd, buf, 1), -1);
	close(fd);
	CHECK_EQ(unlink("ro"), 0);
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	CHECK_EQ(open(longname, FS_O_CREATE | FS_O_RDWR), -1);
	CHECK_EQ(open("abcdefghijklmnopq", FS_O_CREATE | FS_O_RDWR), -1);   /* over DIRSIZ */
	CHECK_EQ(mkdir("/ro/x"), -1);
	CHECK_EQ(read(0, (void *)0x80200000UL, 1), -1);                    /* kernel address */
	struct stat st;
	CHECK_EQ(fstat(1, &st), 0);
	CHECK_EQ(st.type, T_DEVICE);
}

/* read, write and pipe given never-touched heap work (the kernel faults the pages in). */
static void test_untouched_buffers(void)
{
	char *heap = sbrk(8 * PAGE_SIZE);
	put_file("ut", "untouched heap works");
	int fd = open("ut", FS_O_RDONLY);
	CHECK_EQ(read(fd, heap + PAGE_SIZE, 100), 20);           /* kernel writes a fresh page */
	close(fd);
	CHECK(memcmp(heap + PAGE_SIZE, "untouched heap works", 20) == 0);
	fd = open("ut2", FS_O_CREATE | FS_O_WRONLY);
	CHECK_EQ(write(fd, heap + 3 * PAGE_SIZE, 2 * PAGE_SIZE), 2 * PAGE_SIZE);   /* reads zeros */
	close(fd);
	struct stat st;
	CHECK_EQ(stat("ut2", &st), 0);
	CHECK_EQ(st.size, 2 * PAGE_SIZE);
	int *fds = (int *)(heap + 5 * PAGE_SIZE);
	CHECK_EQ(pipe(fds), 0);
	CHECK_EQ(write(fds[1], "p", 1), 1);
	CHECK_EQ(read(fds[0], heap + 6 * PAGE_SIZE, 1), 1);
	CHECK_EQ(heap[6 * PAGE_SIZE], 'p');
	close(fds[0]);
	close(fds[1]);
	CHECK_EQ(unlink("ut"), 0);
	CHECK_EQ(unlink("ut2"), 0);
}

/* exec with argument strings in never-touched heap. */
static void test_exec_args_in_untouched_heap(void)
{
	char *heap = sbrk(4 * PAGE_SIZE);
	char **argv = (char **)(heap + 3 * PAGE_SIZE);
	int pid = fork();
	if (pid == 0) {
		close(1);
		CHECK_EQ(open("eargs", FS_O_CREATE | FS_O_WRONLY), 1);
		strcpy(heap + PAGE_SIZE, "echo");
		strcpy(heap + 2 * PAGE_SIZE, "from-heap");
		argv[0] = heap + PAGE_SIZE;
		argv[1] = heap + 2 * PAGE_SIZE;
		argv[2] = NULL;
		exec(argv[0], argv);
		exit(1);
	}
	int status = -100;
	CHECK_EQ(wait(&status), pid);
	CHECK_EQ(status, 0);
	char buf[32];
	CHECK(read_whole_file("eargs", buf, sizeof(buf)) > 0);
	CHECK(strcmp(buf, "from-heap\n") == 0);
	CHECK_EQ(unlink("eargs"), 0);
}

/* Leave a file for the fspersist suite, run after a reboot on the same disk. */
static void test_write_for_reboot(void)
{
	put_file(PERSIST_PATH, PERSIST_TEXT);
}

/* After the reboot: the file fstests left is there, whole. */
static void test_survives_reboot(void)
{
	char buf[64];
	CHECK_EQ(read_whole_file(PERSIST_PATH, buf, sizeof(buf)), (int)strlen(PERSIST_TEXT));
	CHECK(strcmp(buf, PERSIST_TEXT) == 0);
	CHECK_EQ(unlink(PERSIST_PATH), 0);
}

/* A positioned read or write past the largest file fails; it is not cut to 32 bits (4 GiB + 5 is not 5). */
static void test_offsets_past_max_file(void)
{
	const uint64_t far = (1UL << 32) + 5;
	char c = 'J', buf[16];
	int fd = open("far.f", FS_O_CREATE | FS_O_RDWR | FS_O_TRUNC);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "hello world", 11), 11);
	struct msg m = msg_make(FS_PWRITE, (uint64_t)fd, far, 0, 0);
	m.tag = TAG(FS_PWRITE, 1);
	CHECK(ipc_call(libsys_fs_tid, &m, &c, NULL, 0) >= 0);
	CHECK((int64_t)m.w[0] < 0);
	m = msg_make(FS_PREAD, (uint64_t)fd, far, 1, 0);
	CHECK(ipc_call(libsys_fs_tid, &m, NULL, &c, 1) >= 0);
	CHECK((int64_t)m.w[0] < 0);
	close(fd);
	CHECK_EQ(read_whole_file("far.f", buf, sizeof(buf)), 11);
	CHECK(strcmp(buf, "hello world") == 0);
	CHECK_EQ(unlink("far.f"), 0);
}

static const struct test tests[] = {
	{ "file_ops", test_file_ops },
	{ "big_file", test_big_file },
	{ "many_files", test_many_files },
	{ "concurrent_create_delete", test_concurrent_create_delete },
	{ "pipe_large", test_pipe_large },
	{ "shell_redirection_and_pipes", test_shell_redirection_and_pipes },
	{ "exec_failures", test_exec_failures },
	{ "fd_shared_across_fork_and_exec", test_fd_shared_across_fork_and_exec },
	{ "dup", test_dup },
	{ "directories", test_directories },
	{ "links_and_open_unlink", test_links_and_open_unlink },
	{ "bad_arguments", test_bad_arguments },
	{ "untouched_buffers", test_untouched_buffers },
	{ "exec_args_in_untouched_heap", test_exec_args_in_untouched_heap },
	{ "offsets_past_max_file", test_offsets_past_max_file },
	{ "write_for_reboot", test_write_for_reboot },
};

static const struct test persist_tests[] = {
	{ "survives_reboot", test_survives_reboot },
};

int main(int argc, char **argv)
{
	if (strcmp(path_last(argv[0]), "fspersist") == 0)
		return run_tests("fspersist", persist_tests, 1, argc, argv);
	return run_tests("fstests", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
