/*
 * The protocol fuzzer: malformed, truncated and random requests to the
 * pager and to the fs server. Each must get an answer (an error, mostly)
 * and both servers must go on serving. Requests that would end or replace
 * the fuzzer itself or others (exit, exec, fork, kill, a group's kill,
 * the console's foreground group), block it for good
 * (a read of the console or of an empty pipe, a long sleep), or flood the
 * console (trace, writes to fds 0-2) are steered clear of; file names the
 * fuzzer may create or remove are kept under /fuzz.
 */
#include <string.h>
#include "harness.h"
#include "user.h"
#include "abi/fs.h"
#include "abi/pager.h"

#define ROUNDS 20000
#define SEED 0xfacefeed5678UL
#define FUZZ_DIR "/fuzz"
#define BUF_MAX 512
#define FIRST_SAFE_FD 3
#define MAX_SLEEP 2

static uint64_t rng = SEED;
static char buf[BUF_MAX], reply[IPC_BUF_MAX];

/* The next pseudo-random number (xorshift64). */
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A word worth sending: small, negative, huge or random. */
static uint64_t word(void)
{
	uint64_t pool[] = { 0, 1, 2, 3, 7, 16, (uint64_t)-1, (uint64_t)-4096, next(), 1UL << 40,
	                    PAGE_SIZE, USER_BASE, 0x80200000UL };
	return pool[next() % (sizeof(pool) / sizeof(pool[0]))];
}

/* Fill the buffer with a request body: random bytes, a path under /fuzz, or junk with no NUL. */
static uint64_t body(void)
{
	uint64_t kind = next() % 4, len = next() % BUF_MAX;
	for (uint64_t i = 0; i < len; i++)
		buf[i] = (char)(next() % 256);
	if (kind == 0) {                          /* a path we may touch */
		len = (uint64_t)snprintf(buf, sizeof(buf), FUZZ_DIR "/f%lu", (unsigned long)(next() % 8)) + 1;
	} else if (kind == 1) {                   /* "old\0new\0" pairs, for link */
		len = (uint64_t)snprintf(buf, sizeof(buf), FUZZ_DIR "/a%lu", (unsigned long)(next() % 4)) + 1;
		len += (uint64_t)snprintf(buf + len, sizeof(buf) - len, FUZZ_DIR "/b%lu", (unsigned long)(next() % 4)) + 1;
	} else if (kind == 2) {
		for (uint64_t i = 0; i < len; i++)  /* no NUL anywhere */
			buf[i] = buf[i] ? buf[i] : 'x';
	}
	return next() % 16 == 0 ? 0 : len;
}

/* Is a random pager request one to leave alone? Makes the rest safe. */
static int pager_steer(uint64_t label, struct msg *m)
{
	if (label == PAGER_EXIT || label == PAGER_EXEC || label == PAGER_FORK || label == PAGER_KILL ||
	    label == PAGER_KILL_GROUP || label == PAGER_TRACE || label == PAGER_POLICY_SET)
		return 1;
	if (label == PAGER_SLEEP)
		m->w[0] %= MAX_SLEEP;
	if (label == PAGER_SBRK && (int64_t)m->w[0] < 0)
		m->w[0] = (uint64_t)-(1L << 40);         /* shrinking: only by too much (refused) */
	if (label == PAGER_MUNMAP && m->w[0] < PROC_MMAP_BASE)
		m->w[0] = PROC_MMAP_BASE + m->w[0] % PAGE_SIZE;
	return 0;
}

/* Is a random fs request one to leave alone? Makes the rest safe. */
static int fs_steer(uint64_t label, struct msg *m, uint64_t len)
{
	if (label == FS_PIPE || label == FS_CHDIR || label == FS_CONSOLE_FG)
		return 1;                                /* an empty pipe blocks; cwd and ^C's group must stay */
	if (label == FS_MKNOD && m->w[0] == CONSOLE_MAJOR)
		m->w[0]++;                               /* a console file would be read, and block */
	if (label == FS_READ || label == FS_WRITE || label == FS_PREAD || label == FS_PWRITE ||
	    label == FS_CLOSE || label == FS_DUP || label == FS_FSTAT)
		if (m->w[0] < FIRST_SAFE_FD)
			m->w[0] = FIRST_SAFE_FD + m->w[0] % FS_MAX_FDS;   /* not the console */
	if ((label == FS_OPEN || label == FS_UNLINK || label == FS_MKDIR || label == FS_MKNOD ||
	     label == FS_LINK) && len && buf[len - 1] == '\0' && strncmp(buf, FUZZ_DIR "/", 6) != 0)
		buf[0] = '\0';                           /* a terminated path: only under /fuzz */
	return 0;
}

/* One random request to the pager; 1 if it was answered. */
static int fuzz_pager(void)
{
	uint64_t label = LABEL_USER + next() % (PAGER_REQUEST_END - LABEL_USER + 4);
	struct msg m = msg_make(label, word(), word(), word(), word());
	if (pager_steer(label, &m))
		return 1;
	m.tag = TAG(label, body());
	return ipc_call(libsys_pager_tid, &m, buf, reply, next() % 2 ? sizeof(reply) : 0) == libsys_pager_tid;
}

/* One random request to the fs server; 1 if it was answered. */
static int fuzz_fs(void)
{
	uint64_t label = FS_OPEN + next() % (FS_REQUEST_END - FS_OPEN + 4);
	struct msg m = msg_make(label, word(), word(), word(), word());
	uint64_t len = body();
	if (fs_steer(label, &m, len))
		return 1;
	m.tag = TAG(label, len);
	return ipc_call(libsys_fs_tid, &m, buf, reply, next() % 2 ? sizeof(reply) : 0) == libsys_fs_tid;
}

/* Remove what the fuzzing left under /fuzz. */
static void clean_fuzz_dir(void)
{
	char name[32];
	for (int i = 0; i < 8; i++) {
		snprintf(name, sizeof(name), FUZZ_DIR "/f%d", i);
		unlink(name);
		snprintf(name, sizeof(name), FUZZ_DIR "/a%d", i % 4);
		unlink(name);
		snprintf(name, sizeof(name), FUZZ_DIR "/b%d", i % 4);
		unlink(name);
	}
}

/* Random requests to both servers; every one answered, and both still work after. */
static void test_random_requests(void)
{
	mkdir(FUZZ_DIR);
	for (int i = 0; i < ROUNDS; i++) {
		CHECK(fuzz_pager());
		CHECK(fuzz_fs());
	}
	for (int fd = FIRST_SAFE_FD; fd < FS_MAX_FDS; fd++)
		close(fd);
	clean_fuzz_dir();
	CHECK(getpid() > 0);
	char *p = sbrk(PAGE_SIZE);
	p[1] = 2;
	CHECK_EQ(p[1], 2);
	int fd = open(FUZZ_DIR "/ok", FS_O_CREATE | FS_O_RDWR);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "fine", 4), 4);
	close(fd);
	char back[8];
	fd = open(FUZZ_DIR "/ok", FS_O_RDONLY);
	CHECK_EQ(read(fd, back, sizeof(back)), 4);
	close(fd);
	CHECK_EQ(unlink(FUZZ_DIR "/ok"), 0);
	CHECK_EQ(unlink(FUZZ_DIR), 0);
}

/* Labels outside both protocols are refused. */
static void test_unknown_labels(void)
{
	for (uint64_t label = 0; label < LABEL_USER + 200; label += 7) {
		struct msg m = msg_make(label, 0, 0, 0, 0);
		if (label >= LABEL_FAULT && label <= LABEL_NOTIFY)
			continue;                        /* the kernel refuses these outright */
		if ((label >= LABEL_USER && label < PAGER_REQUEST_END) || (label >= FS_OPEN && label < FS_REQUEST_END))
			continue;
		CHECK_EQ(ipc_call(libsys_pager_tid, &m, NULL, NULL, 0), libsys_pager_tid);
		CHECK((long)m.w[0] < 0);
	}
}

static const struct test tests[] = {
	{ "random_requests", test_random_requests },
	{ "unknown_labels", test_unknown_labels },
};

int main(int argc, char **argv)
{
	return run_tests("protofuzz", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
