/*
 * sh: the shell, an xv6-style program. It reads command lines from the
 * console (prompting "$ " on fd 2), from a script (`sh FILE`), or takes
 * one line (`sh -c LINE`); script and -c runs exit with the last
 * command's status, end of input on the console with 0.
 *
 *   line     := { job | ';' }            (a newline in a -c line is a ';')
 *   job      := pipeline [ '&' ]
 *   pipeline := simple { '|' simple }
 *   simple   := { WORD | '<' WORD | '>' WORD | '>>' WORD }, at least one WORD
 *
 * A WORD is a run of characters other than blanks and | < > ; &, which
 * double quotes make ordinary; '#' where a word would start begins a
 * comment. sh_parse builds a tree of EXEC, PIPE (nested to the right),
 * LIST and BACK nodes in a fixed pool and touches nothing else, so
 * tests/host/test_sh.c runs it on the host. A pipeline runs one forked
 * child per stage, joined by pipes; its status is its last command's.
 * A command name without a '/' is looked for as given (in the current
 * directory), then in "/", then in "/tests/" (the test programs).
 * `cd`, `exit` and `policy SPEC` run in the shell itself; `policy` sets
 * the shell's own paging policy, which every command it starts from then
 * on inherits (a program may change only its own and its descendants').
 *
 * Jobs: every stage of a pipeline goes into one process group of its
 * own, named after its first stage (both the shell and the child set it,
 * so it holds whichever runs first). A job in the foreground is the
 * console's foreground group while the shell waits for it, so ^C ends
 * its every stage and not the shell, which then prompts again. A job
 * started with '&' is not waited for: the shell prints "[PID]", the pid
 * of its last stage, which ps shows and `kill PID` ends, and the word
 * `$!` stands for that pid in later commands.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/param.h"
#include "user/user.h"

#define LINE_MAX      512              /* longest command line */
#define MAX_NODES     64               /* command-tree nodes in one line */
#define POLICY_WHY_MAX 256             /* the pager's reason for refusing a policy */
#define FD_STDIN      0
#define FD_STDOUT     1
#define FD_STDERR     2
#define PROMPT        "$ "
#define ROOT_DIR      "/"
#define TESTS_DIR     "/tests/"        /* the test programs on the disk (the Makefile puts them there) */
#define STATUS_OK     0
#define STATUS_FAIL   1                /* a command could not run */
#define STATUS_SYNTAX 2                /* the line did not parse */
#define SKIP_CHUNK    512              /* bytes per read when seeking to the end for >> */

enum cmd_kind { CMD_EXEC, CMD_PIPE, CMD_LIST, CMD_BACK };

/* A node of the command tree. */
struct cmd {
	enum cmd_kind kind;
	struct cmd *left, *right;      /* PIPE, LIST; BACK uses left only */
	char *argv[MAXARG + 1];        /* EXEC: NULL-terminated arguments */
	int argc;
	char *in, *out;                /* EXEC: redirection files, or NULL */
	int append;                    /* EXEC: out was given with '>>' */
};

enum token { TOK_END, TOK_WORD, TOK_PIPE, TOK_IN, TOK_OUT, TOK_APPEND, TOK_SEQ, TOK_BACK };

/* The parser's state: the line, the current token, and the pools the tree lives in. */
struct parser {
	const char *s;                 /* next unread character of the line */
	enum token tok;                /* current token */
	char *word;                    /* its text, when tok is TOK_WORD */
	const char *error;             /* why the line failed to parse, or NULL */
	int text_used, nodes_used;
	char text[2 * LINE_MAX + 2];   /* words copied out, each NUL-terminated */
	struct cmd nodes[MAX_NODES];
};

/* ---- parsing -------------------------------------------------------- */

/* Record the first parse error; returns NULL for the caller to return. */
static struct cmd *fail(struct parser *p, const char *why)
{
	if (!p->error)
		p->error = why;
	p->tok = TOK_END;
	return 0;
}

/* Is c a blank between words? */
static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The token a single operator character starts, or TOK_WORD if c starts a word. */
static enum token op_token(char c)
{
	switch (c) {
	case '\0': return TOK_END;
	case '|':  return TOK_PIPE;
	case '<':  return TOK_IN;
	case '>':  return TOK_OUT;
	case '&':  return TOK_BACK;
	case ';':
	case '\n': return TOK_SEQ;
	default:   return TOK_WORD;
	}
}

/* Copy the word at p->s into the text pool, dropping quotes; 0, or -1 if a quote is open. */
static int scan_word(struct parser *p)
{
	char *w = p->text + p->text_used;
	int quoted = 0;
	p->word = w;
	for (; *p->s && (quoted || (!is_blank(*p->s) && op_token(*p->s) == TOK_WORD)); p->s++) {
		if (*p->s == '"')
			quoted = !quoted;
		else
			*w++ = *p->s;
	}
	*w++ = '\0';
	p->text_used = (int)(w - p->text);
	return quoted ? -1 : 0;
}

/* Advance p->tok to the next token, skipping blanks and comments. */
static void next(struct parser *p)
{
	while (is_blank(*p->s))
		p->s++;
	if (*p->s == '#')
		while (*p->s && *p->s != '\n')
			p->s++;
	p->tok = op_token(*p->s);
	if (p->tok == TOK_WORD) {
		if (scan_word(p) < 0)
			fail(p, "unterminated quote");
		return;
	}
	if (p->tok != TOK_END)
		p->s++;
	if (p->tok == TOK_OUT && *p->s == '>') {
		p->tok = TOK_APPEND;
		p->s++;
	}
}

/* A fresh node from the pool, or NULL (error set) if the pool is used up. */
static struct cmd *new_node(struct parser *p, enum cmd_kind kind,
                            struct cmd *left, struct cmd *right)
{
	if (p->nodes_used == MAX_NODES)
		return fail(p, "too many commands");
	struct cmd *c = &p->nodes[p->nodes_used++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->left = left;
	c->right = right;
	return c;
}

/* Add the current word or redirection to c; 0, or -1 on error. */
static int parse_item(struct parser *p, struct cmd *c)
{
	enum token t = p->tok;
	char *word = p->word;
	next(p);
	if (t == TOK_WORD) {
		if (c->argc == MAXARG) {
			fail(p, "too many arguments");
			return -1;
		}
		c->argv[c->argc++] = word;
		return 0;
	}
	if (p->tok != TOK_WORD) {
		fail(p, "missing file name after redirection");
		return -1;
	}
	if (t == TOK_IN) {
		c->in = p->word;
	} else {
		c->out = p->word;
		c->append = t == TOK_APPEND;
	}
	next(p);
	return 0;
}

/* simple := { WORD | redirection }, with at least one WORD. */
static struct cmd *parse_simple(struct parser *p)
{
	struct cmd *c = new_node(p, CMD_EXEC, 0, 0);
	while (c && (p->tok == TOK_WORD || p->tok == TOK_IN || p->tok == TOK_OUT || p->tok == TOK_APPEND))
		if (parse_item(p, c) < 0)
			return 0;
	if (c && c->argc == 0)
		return fail(p, "missing command");
	return c;
}

/* pipeline := simple { '|' simple }, as PIPE nodes nested to the right. */
static struct cmd *parse_pipeline(struct parser *p)
{
	struct cmd *c = parse_simple(p);
	if (!c || p->tok != TOK_PIPE)
		return c;
	next(p);
	struct cmd *rest = parse_pipeline(p);
	return rest ? new_node(p, CMD_PIPE, c, rest) : 0;
}

/* job := pipeline [ '&' ]. */
static struct cmd *parse_job(struct parser *p)
{
	struct cmd *c = parse_pipeline(p);
	if (!c || p->tok != TOK_BACK)
		return c;
	next(p);
	return new_node(p, CMD_BACK, c, 0);
}

/* Parse line into a tree in p's pools; the tree, or NULL if the line is empty or bad (p->error). */
static struct cmd *sh_parse(struct parser *p, const char *line)
{
	struct cmd *tree = 0, *job;
	p->s = line;
	p->error = 0;
	p->text_used = p->nodes_used = 0;
	if (strlen(line) > LINE_MAX)
		return fail(p, "line too long");
	for (next(p); p->tok != TOK_END;) {
		if (p->tok == TOK_SEQ) {
			next(p);
			continue;
		}
		if (!(job = parse_job(p)))
			break;
		tree = tree ? new_node(p, CMD_LIST, tree, job) : job;
	}
	return p->error ? 0 : tree;
}

/* ---- running -------------------------------------------------------- */

static struct parser parser;
static int last_status;
static int last_background = -1;       /* pid of the last stage of the latest '&' job, for $! */
#define LAST_BG_WORD  "$!"
#define PID_DIGITS    12

/* The policy builtin: the shell, and so every command it starts, takes policy spec; a status. */
static int set_policy(struct cmd *c)
{
	if (c->argc != 2) {
		fprintf(FD_STDERR, "usage: policy SPEC   (e.g. policy lazy,cow,clock)\n");
		return STATUS_FAIL;
	}
	char why[POLICY_WHY_MAX];
	if (policy_set_why(getpid(), c->argv[1], why, sizeof(why)) < 0) {
		fprintf(FD_STDERR, "policy: %s\n", why[0] ? why : "bad policy");
		return STATUS_FAIL;
	}
	return STATUS_OK;
}

/* If c is a builtin (cd, exit, policy), run it in this process, store its status and return 1; else 0. */
static int run_builtin(struct cmd *c, int *status)
{
	const char *dir = c->argc > 1 ? c->argv[1] : ROOT_DIR;
	if (strcmp(c->argv[0], "exit") == 0)
		exit(c->argc > 1 ? atoi(c->argv[1]) : last_status);
	if (strcmp(c->argv[0], "policy") == 0) {
		*status = set_policy(c);
		return 1;
	}
	if (strcmp(c->argv[0], "cd") != 0)
		return 0;
	*status = chdir(dir) < 0 ? STATUS_FAIL : STATUS_OK;
	if (*status != STATUS_OK)
		fprintf(FD_STDERR, "cd: cannot change to %s\n", dir);
	return 1;
}

/* Make descriptor from into descriptor to, closing from; 0, or -1 if dup did not give to. */
static int move_fd(int from, int to)
{
	if (from == to)
		return 0;
	close(to);
	int fd = dup(from);
	close(from);
	return fd == to ? 0 : -1;
}

/* Close every descriptor above stderr, so a child holds no pipe ends it does not use. */
static void close_spare_fds(void)
{
	for (int fd = FD_STDERR + 1; fd < NOFILE; fd++)
		close(fd);
}

/* Move fd's offset to the end of its file, for '>>' (there is no lseek): read through it. */
static void skip_to_end(int fd)
{
	static char scratch[SKIP_CHUNK];
	struct stat st;
	if (fstat(fd, &st) < 0 || st.type != T_FILE)
		return;
	while (read(fd, scratch, sizeof(scratch)) > 0)
		;
}

/* Open path with flags as descriptor fd; 0, or -1 (reported). */
static int open_onto(const char *path, int flags, int fd)
{
	int opened = open(path, flags);
	if (opened < 0 || move_fd(opened, fd) < 0) {
		fprintf(FD_STDERR, "sh: cannot open %s\n", path);
		return -1;
	}
	return 0;
}

/* Apply c's '<', '>' and '>>' to stdin and stdout; 0, or -1 (reported). */
static int redirect(struct cmd *c)
{
	int out_flags = c->append ? O_RDWR | O_CREATE : O_WRONLY | O_CREATE | O_TRUNC;
	if (c->in && open_onto(c->in, O_RDONLY, FD_STDIN) < 0)
		return -1;
	if (c->out && open_onto(c->out, out_flags, FD_STDOUT) < 0)
		return -1;
	if (c->out && c->append)
		skip_to_end(FD_STDOUT);
	return 0;
}

/*
 * exec argv[0] as given, then in each of SEARCH_DIRS: "/argv[0]", and last
 * "/tests/argv[0]", where the test programs are, so that `usertests` runs
 * as on xv6. A name with a '/' in it is tried as given only. Returns only
 * if every try fails.
 */
static void exec_program(char **argv)
{
	static const char *const search_dirs[] = { ROOT_DIR, TESTS_DIR };
	char path[MAXPATH];
	exec(argv[0], argv);
	if (strchr(argv[0], '/'))
		return;
	for (int i = 0; i < (int)(sizeof(search_dirs) / sizeof(search_dirs[0])); i++) {
		int dir_len = strlen(search_dirs[i]);
		if (dir_len + strlen(argv[0]) + 1 > sizeof(path))
			return;
		strcpy(path, search_dirs[i]);
		strcpy(path + dir_len, argv[0]);
		exec(path, argv);
	}
}

/* Write n in decimal into buf (at least PID_DIGITS bytes); buf. */
static char *decimal(int n, char *buf)
{
	char digits[PID_DIGITS];
	int len = 0, neg = n < 0;
	unsigned int u = neg ? 0u - (unsigned int)n : (unsigned int)n;
	do {
		digits[len++] = (char)('0' + u % 10);
		u /= 10;
	} while (u && len < PID_DIGITS - 2);
	char *p = buf;
	if (neg)
		*p++ = '-';
	while (len)
		*p++ = digits[--len];
	*p = '\0';
	return buf;
}

/* Replace every word "$!" of c with the pid of the latest background job (left as is without one). */
static void expand_words(struct cmd *c)
{
	static char pid_text[PID_DIGITS];
	if (last_background < 0)
		return;
	decimal(last_background, pid_text);
	for (int i = 0; i < c->argc; i++)
		if (strcmp(c->argv[i], LAST_BG_WORD) == 0)
			c->argv[i] = pid_text;
}

/* In a forked child: join job group pgid (0: a new one), take stdin from in and stdout to out (-1: keep), redirect, run c. */
static void run_child(struct cmd *c, int pgid, int in, int out)
{
	int status;
	setpgid(getpid(), pgid);
	expand_words(c);
	if ((in >= 0 && move_fd(in, FD_STDIN) < 0) || (out >= 0 && move_fd(out, FD_STDOUT) < 0)) {
		fprintf(FD_STDERR, "sh: cannot connect a pipe\n");
		exit(STATUS_FAIL);
	}
	close_spare_fds();
	if (redirect(c) < 0)
		exit(STATUS_FAIL);
	if (run_builtin(c, &status))
		exit(status);
	exec_program(c->argv);
	fprintf(FD_STDERR, "exec %s failed\n", c->argv[0]);
	exit(STATUS_FAIL);
}

/* Fork a child running EXEC node c between in and out, in job group *pgid (0: its own, stored); its pid, or -1 (reported). */
static int spawn(struct cmd *c, int *pgid, int in, int out)
{
	int pid = fork();
	if (pid == 0)
		run_child(c, *pgid, in, out);
	if (pid < 0) {
		fprintf(FD_STDERR, "sh: fork failed\n");
		return pid;
	}
	if (!*pgid)
		*pgid = pid;
	setpgid(pid, *pgid);               /* the child does too: whichever runs first */
	return pid;
}

/* Wait for every started pid in pids[0..n) (reaping background jobs too); pids[n-1]'s status. */
static int wait_stages(const int *pids, int n)
{
	int status = STATUS_FAIL, running = 0, st, pid;
	for (int i = 0; i < n; i++)
		running += pids[i] > 0;
	while (running > 0 && (pid = wait(&st)) >= 0)
		for (int i = 0; i < n; i++)
			if (pids[i] == pid) {
				running--;
				status = i == n - 1 ? st : status;
			}
	return status;
}

static int job_control;                /* stdin is the console: ^C ends the foreground job */

/* Wait for the job in group pgid, whose stages are pids[0..n), as the console's foreground; its status. */
static int wait_foreground(const int *pids, int n, int pgid)
{
	int previous = job_control && pgid > 0 ? console_foreground(pgid) : -1;
	int status = wait_stages(pids, n);
	if (previous >= 0)
		console_foreground(previous);
	return status;
}

/* Run a pipeline (PIPE or EXEC node); wait for it, or with background set print its pid and go on. Its status (0 in the background). */
static int run_pipeline(struct cmd *c, int background)
{
	int pids[MAX_NODES], n = 0, in = -1, fds[2], status, pgid = 0;
	if (c->kind == CMD_EXEC && !background && run_builtin(c, &status))
		return status;
	for (; c->kind == CMD_PIPE; c = c->right) {
		if (pipe(fds) < 0) {
			fprintf(FD_STDERR, "sh: pipe failed\n");
			c = 0;
			break;
		}
		pids[n++] = spawn(c->left, &pgid, in, fds[1]);
		close(fds[1]);
		if (in >= 0)
			close(in);
		in = fds[0];
	}
	pids[n++] = c ? spawn(c, &pgid, in, -1) : -1;
	if (in >= 0)
		close(in);
	if (!background)
		return wait_foreground(pids, n, pgid);
	if (pids[n - 1] > 0) {
		last_background = pids[n - 1];
		fprintf(FD_STDERR, "[%d]\n", last_background);
	}
	return pids[n - 1] > 0 ? STATUS_OK : STATUS_FAIL;
}

/* Run a command tree; the status of its last job (0 for a job started in the background). */
static int run_tree(struct cmd *c)
{
	if (c->kind == CMD_LIST) {
		last_status = run_tree(c->left);
		return run_tree(c->right);
	}
	return c->kind == CMD_BACK ? run_pipeline(c->left, 1) : run_pipeline(c, 0);
}

/* Parse and run one command line, updating last_status. */
static void run_line(const char *line)
{
	struct cmd *tree = sh_parse(&parser, line);
	if (tree) {
		last_status = run_tree(tree);
	} else if (parser.error) {
		fprintf(FD_STDERR, "sh: %s\n", parser.error);
		last_status = STATUS_SYNTAX;
	}
}

/* Read a line from fd into buf (no newline, cut at max - 1 bytes); its length, or -1 at the end. */
static int read_line(int fd, char *buf, int max)
{
	int n = 0, got = 0;
	char c;
	while (read(fd, &c, 1) == 1) {
		got = 1;
		if (c == '\n')
			break;
		if (n < max - 1)
			buf[n++] = c;
	}
	buf[n] = '\0';
	return got ? n : -1;
}

/* Run every line read from fd, prompting on stderr if prompt is set, until end of input. */
static void run_input(int fd, int prompt)
{
	/* One byte more than sh_parse accepts, so that an overlong line is refused, not cut. */
	static char line[LINE_MAX + 2];
	for (;;) {
		if (prompt)
			fprintf(FD_STDERR, PROMPT);
		if (read_line(fd, line, sizeof(line)) < 0)
			return;
		run_line(line);
	}
}

/* sh FILE: run the script; the last command's status. */
static int run_script(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(FD_STDERR, "sh: cannot open %s\n", path);
		return STATUS_FAIL;
	}
	run_input(fd, 0);
	close(fd);
	return last_status;
}

/* sh [-c LINE | FILE]: run a line, a script or the console; the last status (0 at console end). */
int main(int argc, char **argv)
{
	struct stat st;
	job_control = fstat(FD_STDIN, &st) == 0 && st.type == T_DEVICE;
	if (argc > 1 && strcmp(argv[1], "-c") == 0) {
		if (argc < 3) {
			fprintf(FD_STDERR, "usage: sh [-c LINE | FILE]\n");
			return STATUS_SYNTAX;
		}
		run_line(argv[2]);
		return last_status;
	}
	if (argc > 1)
		return run_script(argv[1]);
	run_input(FD_STDIN, 1);
	return STATUS_OK;
}
