/*
 * The pager's defences, run by `make test` as the suite "pagercheck",
 * booted with pager.test_hooks=1 and pager.check_faults=1 so that the
 * pager's state checker also runs after every fault: exec refuses hand-made ELF files whose segments
 * leave the program area; sbrk's limits hold for any increment; a fault
 * outside user space is answered (the process dies, nothing hangs); exec
 * arguments that fill the start-up page exactly arrive intact and one
 * byte more is refused; the request table refuses servers-only requests
 * and another family's policy to an ordinary program; the checker finds
 * damage the pager does to itself on purpose.
 */
#include <limits.h>
#include <string.h>
#include "harness.h"
#include "user.h"
#include "elf.h"
#include "abi/fs.h"
#include "abi/pager.h"

#define EXEC_REFUSED 42                 /* a child's status when its exec returned */
#define CRAFTED_PATH "/crafted"
#define CRAFTED_PAGES 2                 /* page 0: headers; page 1: code */
#define PROGRAM_PAGES 16                /* an address well inside the program area */
#define FS_SERVER_PID 1                 /* the pager starts the fs server first (abi.md §12) */
#define ECHO "echo"
#define ARG_ROOM (PAGE_SIZE - sizeof(struct start_info))   /* bytes for argument strings */
#define ARG_BYTES 256                   /* each argument but the last, with its NUL */
#define NAP_TICKS 10

/* A hand-made ELF file's headers. */
struct crafted_elf {
	struct elf_header h;
	struct elf_phdr ph[2];
};

/* Write an ELF file: a page of zeros (illegal instructions) at USER_BASE, and data of memsz bytes at data_va. */
static void write_crafted(uint64_t data_va, uint64_t data_memsz)
{
	static char file[CRAFTED_PAGES * PAGE_SIZE];
	struct crafted_elf *e = (struct crafted_elf *)file;
	memset(file, 0, sizeof(file));
	e->h = (struct elf_header){ .magic = ELF_MAGIC, .class = ELF_CLASS64, .data = ELF_DATA_LSB,
	                            .version = 1, .type = ELF_TYPE_EXEC, .machine = ELF_MACHINE_RISCV,
	                            .version2 = 1, .entry = USER_BASE, .phoff = sizeof(e->h),
	                            .ehsize = sizeof(e->h), .phentsize = sizeof(struct elf_phdr), .phnum = 2 };
	e->ph[0] = (struct elf_phdr){ PT_LOAD, PF_R | PF_X, PAGE_SIZE, USER_BASE, USER_BASE, PAGE_SIZE,
	                              PAGE_SIZE, PAGE_SIZE };
	e->ph[1] = (struct elf_phdr){ PT_LOAD, PF_R | PF_W, 0, data_va, data_va, 0, data_memsz, PAGE_SIZE };
	int fd = open(CRAFTED_PATH, FS_O_CREATE | FS_O_RDWR | FS_O_TRUNC);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, file, sizeof(file)), sizeof(file));
	CHECK_EQ(close(fd), 0);
}

/* Child: exec the crafted file; exit EXEC_REFUSED if exec returns. */
static void exec_crafted(void)
{
	char *argv[] = { "crafted", NULL };
	exec(CRAFTED_PATH, argv);
	exit(EXEC_REFUSED);
}

/* exec refuses segments outside the program area; one inside loads (and dies on its first instruction). */
static void test_crafted_elf_refused(void)
{
	static const struct {
		uint64_t va, memsz;
		int status;
	} cases[] = {
		{ USER_BASE + PROGRAM_PAGES * PAGE_SIZE, PAGE_SIZE, EXIT_KILLED },   /* fine: runs */
		{ PROC_MMAP_BASE, PAGE_SIZE, EXEC_REFUSED },                         /* in the mmap area */
		{ PROC_MMAP_BASE - PAGE_SIZE, 2 * PAGE_SIZE, EXEC_REFUSED },         /* across the heap's limit */
		{ PROC_GUARD_BOTTOM - PAGE_SIZE, PAGE_SIZE, EXEC_REFUSED },          /* under the guard page */
		{ PROC_STACK_BOTTOM, PAGE_SIZE, EXEC_REFUSED },                      /* on the stack */
		{ USER_BASE + PROGRAM_PAGES * PAGE_SIZE, UINT64_MAX - PAGE_SIZE, EXEC_REFUSED },   /* wraps */
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_crafted(cases[i].va, cases[i].memsz);
		CHECK_EQ(run_child(exec_crafted), cases[i].status);
	}
	CHECK_EQ(unlink(CRAFTED_PATH), 0);
}

/* PAGER_SBRK with any increment: the pager's result. */
static long sbrk_raw(int64_t n)
{
	struct msg m = msg_make(PAGER_SBRK, (uint64_t)n, 0, 0, 0);
	return pager_request(&m, NULL, 0);
}

/* sbrk's limits hold for any increment: huge ones in both directions fail and change nothing. */
static void test_sbrk_extremes(void)
{
	static const int64_t huge[] = {
		INT64_MAX, INT64_MIN, INT64_MIN + 1, INT_MIN, INT64_MAX - (int64_t)PAGE_SIZE + 1,
		(int64_t)USER_TOP, -(int64_t)USER_TOP, (int64_t)PROC_HEAP_LIMIT, -(int64_t)PROC_HEAP_LIMIT,
	};
	long brk = sbrk_raw(0);
	CHECK(brk > (long)USER_BASE);
	for (unsigned i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		CHECK(sbrk_raw(huge[i]) < 0);
		CHECK_EQ(sbrk_raw(0), brk);
	}
	CHECK_EQ(sbrk_raw((int64_t)PROC_HEAP_LIMIT - brk + 1), -E_NOMEM);
	CHECK_EQ(sbrk_raw(-(brk - (long)USER_BASE) - 1), -E_INVAL);
	CHECK(sbrk(INT_MIN) == (char *)-1);
	if (policy_is_lazy()) {                /* up to the limit exactly, and back */
		CHECK_EQ(sbrk_raw((int64_t)PROC_HEAP_LIMIT - brk), brk);
		CHECK_EQ(sbrk_raw(1), -E_NOMEM);
		CHECK_EQ(sbrk_raw(brk - (int64_t)PROC_HEAP_LIMIT), (long)PROC_HEAP_LIMIT);
	}
	CHECK_EQ(sbrk_raw(0), brk);
}

static volatile char *target;

/* Child: read *target. */
static void read_target(void)
{
	(void)*target;
}

/* Child: write *target. */
static void write_target(void)
{
	*target = 1;
}

/* Child: jump to target. */
static void jump_target(void)
{
	((void (*)(void))(uintptr_t)target)();
}

/* Every fault outside user space is answered: the process dies, and nothing waits for ever. */
static void test_fault_outside_user_space(void)
{
	static const uint64_t addrs[] = {
		USER_TOP, USER_TOP + PAGE_SIZE, 0xffffffc000000000UL, 0xfffffffffffff000UL, UINT64_MAX,
	};
	for (unsigned i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		target = (volatile char *)addrs[i];
		CHECK_EQ(run_child(read_target), EXIT_KILLED);
		CHECK_EQ(run_child(write_target), EXIT_KILLED);
		CHECK_EQ(run_child(jump_target), EXIT_KILLED);
	}
	CHECK_EQ(sys_user_check((const void *)(USER_TOP - PAGE_SIZE / 2), PAGE_SIZE, 0), -E_FAULT);
}

static char arg_text[START_MAX_ARGS][PAGE_SIZE];
static char *args[START_MAX_ARGS + 2];
static char echo_out[2 * PAGE_SIZE];

/* argv for echo: argc arguments taking `total` bytes with their NULs (each ARG_BYTES but the last). */
static void make_args(int argc, uint64_t total)
{
	uint64_t left = total - (strlen(ECHO) + 1);
	args[0] = ECHO;
	for (int i = 1; i < argc; i++) {
		uint64_t n = i + 1 < argc ? ARG_BYTES : left;
		memset(arg_text[i], 'a' + i, n - 1);
		arg_text[i][n - 1] = '\0';
		args[i] = arg_text[i];
		left -= n;
	}
	args[argc] = NULL;
}

/* Run echo with args, its output into echo_out; its exit status (EXEC_REFUSED if exec failed). */
static int run_echo(void)
{
	int fds[2], n = 0, got, status = -100;
	CHECK_EQ(pipe(fds), 0);
	int pid = fork();
	if (pid == 0) {
		close(1);
		CHECK_EQ(dup(fds[1]), 1);
		close(fds[0]);
		close(fds[1]);
		exec(ECHO, args);
		exit(EXEC_REFUSED);
	}
	CHECK(pid > 0);
	close(fds[1]);
	while (n < (int)sizeof(echo_out) - 1 && (got = read(fds[0], echo_out + n, sizeof(echo_out) - 1 - n)) > 0)
		n += got;
	echo_out[n] = '\0';
	close(fds[0]);
	CHECK_EQ(wait(&status), pid);
	return status;
}

/* Does echo_out hold args[1..] joined by spaces, with a newline? */
static int echoed_intact(void)
{
	const char *out = echo_out;
	for (int i = 1; args[i]; i++) {
		size_t n = strlen(args[i]);
		if (strncmp(out, args[i], n) != 0 || out[n] != (args[i + 1] ? ' ' : '\n'))
			return 0;
		out += n + 1;
	}
	return *out == '\0';
}

/* Arguments that fill the start-up page exactly (16 of them) all arrive intact. */
static void test_exec_args_exact_fit(void)
{
	make_args(START_MAX_ARGS, ARG_ROOM);
	CHECK_EQ(run_echo(), 0);
	CHECK(echoed_intact());
}

/* One byte more than fits, or one more (empty) argument after an exact fit, and exec refuses. */
static void test_exec_args_one_over(void)
{
	make_args(START_MAX_ARGS, ARG_ROOM + 1);
	CHECK_EQ(run_echo(), EXEC_REFUSED);
	CHECK_EQ(echo_out[0], '\0');
	make_args(START_MAX_ARGS - 1, ARG_ROOM);
	args[START_MAX_ARGS - 1] = "";
	args[START_MAX_ARGS] = NULL;
	CHECK_EQ(run_echo(), EXEC_REFUSED);
	make_args(START_MAX_ARGS - 1, ARG_ROOM - 1);   /* the same with room for the empty one */
	args[START_MAX_ARGS - 1] = "";
	args[START_MAX_ARGS] = NULL;
	CHECK_EQ(run_echo(), 0);
	CHECK(echoed_intact());
}

/* One request with w0 and no buffer; the pager's w0 (or the kernel's error). */
static long request(uint64_t label, uint64_t w0)
{
	static char reply[PAGE_SIZE];
	struct msg m = msg_make(label, w0, 0, 0, 0);
	long r = ipc_call(libsys_pager_tid, &m, NULL, reply, sizeof(reply));
	return r < 0 ? r : (long)m.w[0];
}

/* An ordinary program: servers-only requests refused, kernel labels refused, the rest served. */
static void test_requests_who_may(void)
{
	static const struct {
		uint64_t label, w0;
		long want;                      /* the result, or 1: anything but -E_PERM */
	} cases[] = {
		{ PAGER_MAP_DEVICE, 0, -E_PERM }, { PAGER_DMA_PAGE, 0, -E_PERM },
		{ PAGER_SERVER_READY, 0, -E_PERM }, { PAGER_SBRK, 0, 1 }, { PAGER_WAIT, 0, -E_NOENT },
		{ PAGER_KILL, INT_MAX, -E_NOENT }, { PAGER_GETPID, 0, 1 }, { PAGER_SLEEP, 0, 0 },
		{ PAGER_UPTIME, 0, 1 }, { PAGER_STATS, 0, 1 }, { PAGER_LAST_FAULT, 0, 1 },
		{ PAGER_LAST_DECISION, 0, 1 }, { PAGER_RESIDENT, USER_BASE, 1 }, { PAGER_MY_FRAMES, 0, 1 },
		{ PAGER_MMAP, 0, -E_INVAL }, { PAGER_MUNMAP, 0, -E_INVAL }, { PAGER_POLICY_GET, 0, 0 },
		{ PAGER_STATS_FULL, 0, 0 }, { PAGER_EXEC, 0, -E_INVAL }, { PAGER_CHECK, 0, 0 },
		{ PAGER_TRACE, 0, 0 }, { PAGER_MAPS, 0, 1 },
		{ PAGER_REQUEST_END, 0, -E_NOSYS }, { LABEL_MAP, 0, -E_NOSYS },
		{ LABEL_FAULT, 0, -E_INVAL }, { LABEL_EXCEPTION, 0, -E_INVAL }, { LABEL_NOTIFY, 0, -E_INVAL },
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long r = request(cases[i].label, cases[i].w0);
		if (cases[i].want == 1 ? r == -E_PERM : r != cases[i].want) {
			printf("label %lu: %ld, wanted %ld\n", (unsigned long)cases[i].label, r, cases[i].want);
			CHECK(0);
		}
	}
	CHECK(getpid() > 0);                  /* fork and exit: run_child made and ended this process */
}

/* Set the policy of pid (0: all) to spec; the pager's result. */
static long set_policy(int pid, const char *spec)
{
	struct msg m = msg_make(PAGER_POLICY_SET, (uint64_t)pid, 0, 0, 0);
	m.tag = TAG(PAGER_POLICY_SET, strlen(spec) + 1);
	long r = ipc_call(libsys_pager_tid, &m, spec, NULL, 0);
	return r < 0 ? r : (long)m.w[0];
}

static char spec[POLICY_SPEC_MAX];
static int parent_pid, sibling_pid, family_pipe[2];

/* Child: sleep until killed. */
static void sleeper(void)
{
	for (;;)
		sleep(NAP_TICKS);
}

/* Child: its own policy yes; its parent's, its sibling's, all of them, a server's no. */
static void child_refusals(void)
{
	CHECK_EQ(set_policy(getpid(), spec), 0);
	CHECK_EQ(set_policy(parent_pid, spec), -E_PERM);
	CHECK_EQ(set_policy(sibling_pid, spec), -E_PERM);
	CHECK_EQ(set_policy(0, spec), -E_PERM);
	CHECK_EQ(set_policy(FS_SERVER_PID, spec), -E_PERM);
}

/* Child: have a child, tell the parent its pid, wait for it. */
static void grandparent(void)
{
	int g = spawn_child(sleeper);
	CHECK_EQ(write(family_pipe[1], &g, sizeof(g)), sizeof(g));
	CHECK_EQ(wait(0), g);
}

/* Only a process itself, its ancestors, or init and the servers may change its policy. */
static void test_policy_set_family(void)
{
	int g = 0, status = -100;
	pager_policy(spec, sizeof(spec));
	parent_pid = getpid();
	CHECK_EQ(set_policy(parent_pid, spec), 0);
	CHECK_EQ(set_policy(0, spec), -E_PERM);
	CHECK_EQ(set_policy(FS_SERVER_PID, spec), -E_PERM);
	CHECK_EQ(set_policy(INT_MAX, spec), -E_NOENT);
	sibling_pid = spawn_child(sleeper);
	CHECK_EQ(set_policy(sibling_pid, spec), 0);                /* a child's */
	CHECK_EQ(run_child(child_refusals), 0);
	CHECK_EQ(pipe(family_pipe), 0);
	int a = spawn_child(grandparent);
	CHECK_EQ(read(family_pipe[0], &g, sizeof(g)), sizeof(g));
	CHECK_EQ(set_policy(g, spec), 0);                          /* a grandchild's */
	CHECK_EQ(kill(g), 0);
	CHECK_EQ(wait(&status), a);
	CHECK_EQ(status, 0);
	CHECK_EQ(kill(sibling_pid), 0);
	CHECK_EQ(wait(&status), sibling_pid);
	close(family_pipe[0]);
	close(family_pipe[1]);
}

/* PAGER_CHECK with a damage injected first: its findings. */
static long check_with(uint64_t inject)
{
	return request(PAGER_CHECK, inject);
}

/* The checker finds each damage the pager does to itself (a double unref among them), and it is undone after. */
static void test_checker_finds_damage(void)
{
	CHECK_EQ(pager_check(), 0);
	CHECK_EQ(check_with(CHECK_INJECT_DOUBLE_UNREF), 1);
	CHECK_EQ(check_with(CHECK_INJECT_FRAME_COUNT), 1);
	CHECK_EQ(check_with(CHECK_INJECT_LOST_FRAME), 1);
	CHECK_EQ(check_with(CHECK_INJECT_END), -E_INVAL);
	CHECK_EQ(pager_check(), 0);
}

static const struct test tests[] = {
	{ "crafted_elf_refused", test_crafted_elf_refused },
	{ "sbrk_extremes", test_sbrk_extremes },
	{ "fault_outside_user_space", test_fault_outside_user_space },
	{ "exec_args_exact_fit", test_exec_args_exact_fit },
	{ "exec_args_one_over", test_exec_args_one_over },
	{ "requests_who_may", test_requests_who_may },
	{ "policy_set_family", test_policy_set_family },
	{ "checker_finds_damage", test_checker_finds_damage },
};

int main(int argc, char **argv)
{
	return run_tests("pagercheck", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
