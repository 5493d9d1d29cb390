/*
 * Host unit test for the shell's parser (sh_parse in apps/sh.c) and its
 * search for a command (exec_program). The shell's source is included
 * whole, with its main renamed, so that the static functions can be
 * called; exec is a stand-in that records the paths it is asked for and
 * fails, and nothing else that touches the system is called here. Each
 * parser case renders the parsed tree as text:
 *
 *   EXEC  [argv0 argv1 <in >out]   ('>>out' for append)
 *   PIPE  (left | right)    LIST  (left ; right)    BACK  (left &)
 *
 * and compares it with the expected text, or checks the error for a line
 * that must be refused.
 *
 * Build and run from the top directory:
 *   gcc -Wall -Wextra -Werror -Iinclude -Ilibsys/include/xv6 -Itests/host \
 *       -o build/host/test_sh tests/host/test_sh.c && build/host/test_sh
 */
#include <stdarg.h>
#include "check.h"

#define main sh_main
int sh_main(int argc, char **argv);
#include "../../apps/sh.c"
#undef main
#undef printf                  /* xv6's user.h makes it xv6_printf; the test reports with the host's */

#define RENDER_MAX 1024

static struct parser test_parser;

/* Stand-ins for libsys calls with no host counterpart; never reached by the parser. */
void xv6_fprintf(int fd, const char *fmt, ...)
{
	(void)fd;
	(void)fmt;
}

/* printf, which the xv6 user.h names xv6_printf: the host's, for this test's "#" lines. */
int xv6_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

/* policy_set_why is not a host call: always fails, with a reason. */
long policy_set_why(int pid, const char *spec, char *why, unsigned long size)
{
	(void)pid;
	(void)spec;
	snprintf(why, size, "no pager on the host");
	return -1;
}

/* console_foreground is not a host call: always fails. */
int console_foreground(int pgid)
{
	(void)pgid;
	return -1;
}

/* Append s to the text in out. */
static void put(char *out, const char *s)
{
	strcpy(out + strlen(out), s);
}

#define TRIES_MAX 4

static char tried[TRIES_MAX][MAXPATH];   /* the paths exec was asked for, in order */
static int ntried;

/* exec is not a host call: records the path it was given and fails. */
int exec(const char *path, char **argv)
{
	(void)argv;
	if (ntried < TRIES_MAX)
		snprintf(tried[ntried], sizeof(tried[0]), "%s", path);
	ntried++;
	return -1;
}

/* Does exec_program(name) try exactly the paths in want (blank-separated), in order? */
static int searches(const char *name, const char *want)
{
	static char got[TRIES_MAX * MAXPATH];
	char *argv[] = { (char *)name, NULL };
	ntried = 0;
	exec_program(argv);
	got[0] = '\0';
	for (int i = 0; i < ntried && i < TRIES_MAX; i++) {
		put(got, i ? " " : "");
		put(got, tried[i]);
	}
	if (strcmp(got, want) != 0)
		printf("# exec %s tried \"%s\" (want \"%s\")\n", name, got, want);
	return ntried <= TRIES_MAX && strcmp(got, want) == 0;
}

/* Render the tree c into out (appending). */
static void render(const struct cmd *c, char *out)
{
	static const char *const ops[] = { [CMD_PIPE] = " | ", [CMD_LIST] = " ; " };
	if (c->kind == CMD_EXEC) {
		put(out, "[");
		for (int i = 0; i < c->argc; i++) {
			put(out, i ? " " : "");
			put(out, c->argv[i]);
		}
		if (c->in) {
			put(out, " <");
			put(out, c->in);
		}
		if (c->out) {
			put(out, c->append ? " >>" : " >");
			put(out, c->out);
		}
		put(out, "]");
		return;
	}
	put(out, "(");
	render(c->left, out);
	put(out, c->kind == CMD_BACK ? " &" : ops[c->kind]);
	if (c->kind != CMD_BACK)
		render(c->right, out);
	put(out, ")");
}

/* Does line parse to the tree rendered as want (want NULL: to an empty tree, without error)? */
static int parses_to(const char *line, const char *want)
{
	static char out[RENDER_MAX];
	struct cmd *c = sh_parse(&test_parser, line);
	if (test_parser.error)
		return 0;
	if (!want || !c)
		return !want && !c;
	out[0] = '\0';
	render(c, out);
	if (strcmp(out, want) != 0)
		printf("# %s -> %s (want %s)\n", line, out, want);
	return strcmp(out, want) == 0;
}

/* Is line refused with the error why? */
static int refused(const char *line, const char *why)
{
	return !sh_parse(&test_parser, line) && test_parser.error &&
	       strcmp(test_parser.error, why) == 0;
}

/* A line of n copies of word, separated by sep, in buf. */
static const char *repeat(char *buf, const char *word, const char *sep, int n)
{
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		put(buf, i ? sep : "");
		put(buf, word);
	}
	return buf;
}

int main(void)
{
	static char buf[4 * LINE_MAX], name[MAXPATH], want[4 * MAXPATH];
	CHECK("sh_simple", parses_to("echo hi there", "[echo hi there]"));
	CHECK("sh_blanks", parses_to("  \techo   hi\r", "[echo hi]"));
	CHECK("sh_empty", parses_to("", NULL));
	CHECK("sh_only_blanks", parses_to("   ", NULL));
	CHECK("sh_only_seps", parses_to(" ; ;; ", NULL));
	CHECK("sh_comment", parses_to("# nothing | here", NULL));
	CHECK("sh_trailing_comment", parses_to("ls # list", "[ls]"));
	CHECK("sh_hash_inside_word", parses_to("echo a#b", "[echo a#b]"));
	CHECK("sh_pipe", parses_to("a | b", "([a] | [b])"));
	CHECK("sh_pipe3_right_nested", parses_to("a|b|c", "([a] | ([b] | [c]))"));
	CHECK("sh_redirect", parses_to("cat < in > out", "[cat <in >out]"));
	CHECK("sh_redirect_tight", parses_to("cat<in>out x", "[cat x <in >out]"));
	CHECK("sh_redirect_first", parses_to("> out echo hi", "[echo hi >out]"));
	CHECK("sh_append", parses_to("echo x >> log", "[echo x >>log]"));
	CHECK("sh_last_redirect_wins", parses_to("echo > a > b", "[echo >b]"));
	CHECK("sh_pipe_redirect", parses_to("a < f | b > g", "([a <f] | [b >g])"));
	CHECK("sh_seq", parses_to("a ; b", "([a] ; [b])"));
	CHECK("sh_seq_left_nested", parses_to("a;b;c;", "(([a] ; [b]) ; [c])"));
	CHECK("sh_back", parses_to("a &", "([a] &)"));
	CHECK("sh_back_then", parses_to("a & b", "(([a] &) ; [b])"));
	CHECK("sh_back_pipe", parses_to("a | b &", "(([a] | [b]) &)"));
	CHECK("sh_newline_is_seq", parses_to("a\nb", "([a] ; [b])"));
	CHECK("sh_comment_to_newline", parses_to("a # x ; y\nb", "([a] ; [b])"));
	CHECK("sh_quotes", parses_to("echo \"a b|c;d\" e", "[echo a b|c;d e]"));
	CHECK("sh_quotes_join", parses_to("echo x\"y z\"w", "[echo xy zw]"));
	CHECK("sh_empty_quotes", parses_to("echo \"\"", "[echo ]"));
	CHECK("sh_argv_terminated", sh_parse(&test_parser, "a b")->argv[2] == NULL);
	CHECK("sh_max_args", sh_parse(&test_parser, repeat(buf, "x", " ", MAXARG)) &&
	      test_parser.nodes[0].argc == MAXARG);
	CHECK("sh_too_many_args", refused(repeat(buf, "x", " ", MAXARG + 1), "too many arguments"));
	CHECK("sh_too_many_commands", refused(repeat(buf, "x", ";", MAX_NODES + 1), "too many commands"));
	CHECK("sh_long_pipeline", refused(repeat(buf, "x", "|", MAX_NODES), "too many commands"));
	CHECK("sh_longest_line", sh_parse(&test_parser, repeat(buf, "x", "", LINE_MAX)) != NULL);
	CHECK("sh_line_too_long", refused(repeat(buf, "x", "", LINE_MAX + 1), "line too long"));
	CHECK("sh_pipe_missing_left", refused("| a", "missing command"));
	CHECK("sh_pipe_missing_right", refused("a |", "missing command"));
	CHECK("sh_lone_back", refused("&", "missing command"));
	CHECK("sh_double_back", refused("a && b", "missing command"));
	CHECK("sh_redirect_only", refused("> f", "missing command"));
	CHECK("sh_redirect_no_file", refused("cat >", "missing file name after redirection"));
	CHECK("sh_redirect_to_op", refused("cat < | b", "missing file name after redirection"));
	CHECK("sh_open_quote", refused("echo \"abc", "unterminated quote"));
	CHECK("sh_ok_after_error", parses_to("echo ok", "[echo ok]"));
	/* exec_program: as given, then in /, then in /tests/ (where usertests is). */
	CHECK("sh_exec_search", searches("usertests", "usertests /usertests /tests/usertests"));
	CHECK("sh_exec_path_as_given", searches("tests/usertests", "tests/usertests"));
	CHECK("sh_exec_absolute_as_given", searches("/bench/bench_null", "/bench/bench_null"));
	/* "/tests/" and the name and its NUL: MAXPATH bytes fit, one more does not */
	repeat(name, "x", "", MAXPATH - strlen("/tests/") - 1);
	snprintf(want, sizeof(want), "%s /%s /tests/%s", name, name, name);
	CHECK("sh_exec_longest_name", searches(name, want));
	put(name, "x");
	snprintf(want, sizeof(want), "%s /%s", name, name);
	CHECK("sh_exec_name_too_long", searches(name, want));
	return check_summary();
}
