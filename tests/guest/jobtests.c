/*
 * Jobs and the process table, end to end through the shell: ps lists
 * itself and the shell that started it with sane fields; `cmd &` prints
 * the pid of the job, which ps shows and kill ends; a foreground
 * pipeline is the console's foreground group while the shell waits, and
 * ending that group (what ^C on the console asks the pager to do) ends
 * its every stage but not the shell. And the rules: setpgid only on
 * oneself or a descendant and only into one's own groups, a group kill
 * never ends a server, a forged console notification ends nothing.
 * Run as the suite "jobtests".
 */
#include <string.h>
#include "harness.h"
#include "user.h"
#include "abi/pager.h"

#define SHELL "sh"
#define OUT_MAX 4096
#define POLL_TICKS 2
#define POLL_TRIES 500                  /* 10 s at most */
#define STAGES 3
#define FD_STDOUT 1
#define FD_STDERR 2
#define FS_PID 1                        /* the fs server, the first process the pager starts */

static char out[OUT_MAX];

/* Start `sh -c line` with stdout and stderr into a pipe; its pid, and the read end in *fd. */
static int start_shell(const char *line, int *fd)
{
	int fds[2];
	CHECK_EQ(pipe(fds), 0);
	int pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		char *argv[] = { SHELL, "-c", (char *)line, NULL };
		close(fds[0]);
		close(FD_STDOUT);
		dup(fds[1]);
		close(FD_STDERR);
		dup(fds[1]);
		close(fds[1]);
		exec(SHELL, argv);
		exit(99);
	}
	close(fds[1]);
	*fd = fds[0];
	return pid;
}

/* Read fd into out until end of input or until the text holds `until` (NULL: to the end); its length. */
static int read_until(int fd, const char *until)
{
	int n = 0, got;
	out[0] = '\0';
	while (n < OUT_MAX - 1 && (!until || !strstr(out, until)) &&
	       (got = read(fd, out + n, OUT_MAX - 1 - n)) > 0) {
		n += got;
		out[n] = '\0';
	}
	return n;
}

/* Wait for child pid (collecting any others on the way); its status. */
static int wait_for(int pid)
{
	int status = 0, got;
	while ((got = wait(&status)) != pid)
		CHECK(got >= 0);
	return status;
}

/* Run `sh -c line` to the end, its output in out; the shell's status. */
static int run_shell(const char *line)
{
	int fd, pid = start_shell(line, &fd);
	read_until(fd, NULL);
	close(fd);
	return wait_for(pid);
}

/* The ps line of pid in out, parsed; 1 if found. */
static int ps_line(int pid, int *parent, int *pgid, char *state, char *name, long *frames)
{
	for (char *line = out; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		int p;
		if (sscanf(line, "%d %d %d %15s %15s %ld", &p, parent, pgid, state, name, frames) == 6 && p == pid)
			return 1;
	}
	return 0;
}

/* The pid of the first ps line in out naming program name, or -1. */
static int ps_find(const char *name)
{
	for (char *line = out; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		int pid, parent, pgid;
		char state[16], who[16];
		long frames;
		if (sscanf(line, "%d %d %d %15s %15s %ld", &pid, &parent, &pgid, state, who, &frames) == 6 &&
		    strcmp(who, name) == 0)
			return pid;
	}
	return -1;
}

/* The pager's entry for pid (any state); 1 if there is one. */
static int find_proc(int pid, struct proc_info *info)
{
	for (int slot = 0; (slot = procinfo(slot, info)) >= 0; slot++)
		if (info->pid == pid)
			return 1;
	return 0;
}

/* Is pid a live (not ended) process? */
static int alive(int pid)
{
	struct proc_info info;
	return find_proc(pid, &info) && info.state != PROC_INFO_ZOMBIE;
}

/* ps run by the shell lists itself and that shell: parent, group, state, name, frames. */
static void test_ps_lists_itself_and_shell(void)
{
	CHECK_EQ(run_shell("ps"), 0);
	int ps = ps_find("ps"), parent, pgid, sh_parent, sh_pgid;
	char state[16], name[16];
	long frames;
	CHECK(ps > 0);
	CHECK(ps_line(ps, &parent, &pgid, state, name, &frames));
	CHECK(strcmp(state, "run") == 0 && frames > 0);
	CHECK_EQ(pgid, ps);                       /* a job of its own */
	CHECK(ps_line(parent, &sh_parent, &sh_pgid, state, name, &frames));
	CHECK(strcmp(name, SHELL) == 0 && strcmp(state, "wait") == 0 && frames > 0);
	CHECK_EQ(sh_parent, getpid());
	CHECK(sh_pgid != pgid);                   /* the shell is not in its job's group */
	CHECK(ps_line(getpid(), &parent, &pgid, state, name, &frames));   /* and us */
	CHECK(is_own_name(name) && strcmp(state, "run") == 0);   /* reading the pipe */
	CHECK(ps_find("fs") > 0);
}

/* The pid in the first "[PID]" line of out, or -1. */
static int background_pid(void)
{
	char *open = strchr(out, '[');
	return open ? atoi(open + 1) : -1;
}

/*
 * `sleep 1000 &` prints a pid that ps shows sleeping, and kill ends it.
 * The shell naps 20 ticks before ps, so the job has exec'd and gone to
 * sleep by then even on a loaded machine (the shell does not wait for it).
 */
static void test_background_pid_ps_kill(void)
{
	int fd, sh = start_shell("sleep 1000 & sleep 20; ps; echo END", &fd);
	read_until(fd, "END\n");
	int pid = background_pid(), parent, pgid;
	char state[16], name[16];
	long frames;
	CHECK(pid > 0);
	CHECK(ps_line(pid, &parent, &pgid, state, name, &frames));
	CHECK(strcmp(name, "sleep") == 0 && strcmp(state, "sleep") == 0);
	CHECK_EQ(parent, sh);
	CHECK_EQ(pgid, pid);
	wait_for(sh);                             /* the shell does not wait for a '&' job */
	CHECK(alive(pid));
	CHECK_EQ(kill(pid), 0);
	CHECK(!alive(pid));
	close(fd);
}

/* `kill $!` in the shell ends the background job it just started. */
static void test_kill_last_background(void)
{
	CHECK_EQ(run_shell("sleep 1000 & kill $!; ps"), 0);
	int pid = background_pid();
	CHECK(pid > 0);
	CHECK(!alive(pid));
}

/* Wait until STAGES sleeps, children of sh, run in one group; that group, or fail. */
static int pipeline_group(int sh, int *stages)
{
	struct proc_info info;
	for (int tries = 0; tries < POLL_TRIES; tries++, sleep(POLL_TICKS)) {
		int n = 0, pgid = 0;
		for (int slot = 0; (slot = procinfo(slot, &info)) >= 0; slot++)
			if (info.parent == sh && info.state == PROC_INFO_SLEEPING && strcmp(info.name, "sleep") == 0 &&
			    (!pgid || pgid == info.pgid) && n < STAGES) {
				pgid = info.pgid;
				stages[n++] = info.pid;
			}
		if (n == STAGES)
			return pgid;
	}
	CHECK(!"the pipeline never started");
	return -1;
}

/* The console's foreground group now (set and put back). */
static int foreground_now(void)
{
	int fg = console_foreground(0);
	CHECK(fg >= 0);
	CHECK(console_foreground(fg) == 0);
	return fg;
}

/* A foreground pipeline is the console's foreground group; ending the group (^C) ends every stage, not the shell. */
static void test_group_kill_pipeline(void)
{
	int fd, stages[STAGES], previous = console_foreground(0);
	int sh = start_shell("sleep 1000 | sleep 1000 | sleep 1000; echo survived", &fd);
	int pgid = pipeline_group(sh, stages);
	struct proc_info info;
	CHECK(find_proc(sh, &info));
	CHECK(info.pgid != pgid);
	CHECK_EQ(foreground_now(), pgid);
	CHECK_EQ(kill(-pgid), 0);
	for (int i = 0; i < STAGES; i++)
		CHECK(!alive(stages[i]));
	read_until(fd, NULL);
	close(fd);
	CHECK(strstr(out, "survived") != NULL);
	CHECK_EQ(wait_for(sh), 0);
	CHECK_EQ(foreground_now(), 0);            /* the shell gave the console back */
	console_foreground(previous);
}

/* A forged console notification makes the pager ask the fs server, which has no ^C: nothing ends. */
static void test_forged_console_notification(void)
{
	int fd, stages[STAGES];
	int sh = start_shell("sleep 1000 | sleep 1000 | sleep 1000", &fd);
	int pgid = pipeline_group(sh, stages);
	CHECK_EQ(sys_notify(libsys_pager_tid, NOTIFY_CONSOLE), 0);
	sleep(POLL_TICKS);
	CHECK(alive(sh));
	for (int i = 0; i < STAGES; i++)
		CHECK(alive(stages[i]));
	CHECK_EQ(kill(-pgid), 0);
	read_until(fd, NULL);
	close(fd);
	wait_for(sh);
}

/* setpgid: oneself or a descendant only, into one's own groups only; a group kill spares servers. */
static void test_group_rules(void)
{
	CHECK_EQ(setpgid(FS_PID, 0), -1);         /* not ours */
	CHECK_EQ(setpgid(getpid(), FS_PID), -1);  /* a stranger's group */
	CHECK_EQ(setpgid(getpid(), 0), 0);        /* a group of our own */
	struct proc_info info;
	CHECK(find_proc(getpid(), &info));
	CHECK_EQ(info.pgid, getpid());
	CHECK_EQ(kill(-FS_PID), -1);              /* the fs server's group: no one to end */
	CHECK(alive(FS_PID));
	CHECK_EQ(procinfo(-1, &info), -1);
	CHECK_EQ(procinfo(0, (struct proc_info *)0x10), -1);
	CHECK_EQ(procinfo(1 << 20, &info), -1);
	check_system_works("jobtests");
}

static const struct test tests[] = {
	{ "ps_lists_itself_and_shell", test_ps_lists_itself_and_shell },
	{ "background_pid_ps_kill", test_background_pid_ps_kill },
	{ "kill_last_background", test_kill_last_background },
	{ "group_kill_pipeline", test_group_kill_pipeline },
	{ "forged_console_notification", test_forged_console_notification },
	{ "group_rules", test_group_rules },
};

int main(int argc, char **argv)
{
	return run_tests("jobtests", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
