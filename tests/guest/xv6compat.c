/*
 * The xv6 compatibility suite: programs written in xv6's style
 * (tests/xv6/, one file each), built with the flags a user's program gets and put on
 * the disk under /tests, each run with its output captured through a
 * pipe and checked: exit status, lines that must appear, and text that
 * must appear exactly once (a partial line printed before fork). Run by
 * `make test` as "xv6compat/<policy>" under several policies.
 *
 *   xv6compat [seconds=N]   N: how long each churn test runs (default 20)
 */
#include <string.h>
#include "harness.h"
#include "user.h"
#include "abi/pager.h"

#define OUTPUT_MAX 8192
#define ARGS_MAX 4
#define CHURN_DEFAULT_SECONDS "20"
#define SECONDS_ARG "seconds="
#define SECONDS "SECONDS"           /* in a test's arguments: the churn time */

struct compat_test {
	const char *program;          /* under /tests */
	const char *args[ARGS_MAX];   /* argv[1..], NULL-terminated */
	int status;                   /* the exit status it must end with */
	const char *once;             /* must appear exactly once (or NULL) */
	const char *also;             /* must appear (or NULL) */
};

static const char *churn_seconds = CHURN_DEFAULT_SECONDS;

static const struct compat_test compat_tests[] = {
	{ "forkprint", { NULL }, 0, "partial line, ", "parent" },
	{ "killprint", { NULL }, EXIT_KILLED, "printed before the fault", "to stderr" },
	{ "orphans", { NULL }, 0, "orphans: 200 rounds", NULL },
	{ "badptr", { NULL }, 0, "every bad pointer gave -1", NULL },
	{ "mmapcompat", { NULL }, 0, "behaves as the lab says", NULL },
	{ "semantics", { NULL }, 0, "all as in xv6", NULL },
	{ "churn", { SECONDS, "1", NULL }, 0, "no failure", NULL },
	{ "churn", { SECONDS, "2", NULL }, 0, "no failure", NULL },
	{ "churn", { SECONDS, "3", NULL }, 0, "no failure", NULL },
};
#define N_COMPAT (int)(sizeof(compat_tests) / sizeof(compat_tests[0]))

static const struct compat_test *running;

/* How many times needle occurs in hay. */
static int occurrences(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *at = hay; (at = strstr(at, needle)); at += strlen(needle))
		n++;
	return n;
}

/* In a child: run the program with stdout and stderr into the pipe's write end. */
static void exec_captured(const struct compat_test *t, int out)
{
	char path[64];
	const char *argv[ARGS_MAX + 1] = { t->program };
	for (int i = 0; i < ARGS_MAX - 1 && t->args[i]; i++)
		argv[i + 1] = strcmp(t->args[i], SECONDS) == 0 ? churn_seconds : t->args[i];
	snprintf(path, sizeof(path), "/tests/%s", t->program);
	close(1);
	close(2);
	if (dup(out) != 1 || dup(out) != 2)
		exit(2);
	exec(path, (char **)argv);
	exit(3);
}

/* The test: run the program, collect all it prints, check status and output. */
static void run_compat(void)
{
	static char output[OUTPUT_MAX];
	const struct compat_test *t = running;
	int p[2], n = 0, got, status = -100;
	CHECK(pipe(p) == 0);
	int pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		exec_captured(t, p[1]);
	}
	close(p[1]);
	while ((got = read(p[0], output + n, OUTPUT_MAX - 1 - n)) > 0)
		n = n + got < OUTPUT_MAX - 1 ? n + got : 0;     /* too much: start over, keep the latest */
	output[n] = '\0';
	close(p[0]);
	CHECK_EQ(wait(&status), pid);
	printf("%s%s", output, n && output[n - 1] != '\n' ? "\n" : "");
	CHECK_EQ(status, t->status);
	if (t->once)
		CHECK_EQ(occurrences(output, t->once), 1);
	if (t->also)
		CHECK(strstr(output, t->also) != NULL);
}

#define COMPAT_TEST(i) static void compat_##i(void) { running = &compat_tests[i]; run_compat(); }
COMPAT_TEST(0) COMPAT_TEST(1) COMPAT_TEST(2) COMPAT_TEST(3)
COMPAT_TEST(4) COMPAT_TEST(5) COMPAT_TEST(6) COMPAT_TEST(7) COMPAT_TEST(8)
_Static_assert(N_COMPAT == 9, "one COMPAT_TEST per table row");

static const struct test tests[] = {
	{ "fork_after_partial_printf", compat_0 },
	{ "killed_keeps_output", compat_1 },
	{ "orphans_reaped", compat_2 },
	{ "bad_pointers", compat_3 },
	{ "mmap_lab", compat_4 },
	{ "file_and_process_semantics", compat_5 },
	{ "churn_1", compat_6 },
	{ "churn_2", compat_7 },
	{ "churn_3", compat_8 },
};

int main(int argc, char **argv)
{
	char suite[64];
	int n = sizeof(tests) / sizeof(tests[0]);
	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], SECONDS_ARG, strlen(SECONDS_ARG)) == 0)
			churn_seconds = argv[i] + strlen(SECONDS_ARG);
	return run_tests(policy_suite_name("xv6compat", suite, sizeof(suite)), tests, n, argc, argv);
}
