/*
 * The first program. It runs the shell on the console and starts it
 * again whenever it exits or dies. With the boot argument
 * init.script=PATH it runs `sh PATH` once instead and exits with the
 * script's status (the pager then powers the machine off): this is how
 * `make run CMD=...` runs a command line headless.
 */
#include <stdio.h>
#include <string.h>
#include "user.h"

#define SHELL "sh"
#define SCRIPT_ARG "init.script="
#define RETRY_TICKS 100

/* Run the shell with argv in a child; return its pid, or -1. */
static int start_shell(char **argv)
{
	int pid = fork();
	if (pid == 0) {
		exec(SHELL, argv);
		printf("init: cannot run %s\n", SHELL);
		exit(1);
	}
	return pid;
}

/* Wait for pid (reaping any orphans on the way); its status. */
static int wait_for(int pid)
{
	int status = 0, reaped;
	while ((reaped = wait(&status)) != pid)
		if (reaped < 0)
			return -1;
	return status;
}

/* The script named by init.script=, or NULL. */
static char *script_arg(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], SCRIPT_ARG, strlen(SCRIPT_ARG)) == 0)
			return argv[i] + strlen(SCRIPT_ARG);
	return NULL;
}

int main(int argc, char **argv)
{
	char *script = script_arg(argc, argv);
	if (script) {
		char *sh_argv[] = { SHELL, script, NULL };
		return wait_for(start_shell(sh_argv));
	}
	for (;;) {
		char *sh_argv[] = { SHELL, NULL };
		printf("init: starting %s\n", SHELL);
		int status = wait_for(start_shell(sh_argv));
		printf("init: %s exited with status %d; restarting it\n", SHELL, status);
		if (status != 0)
			sleep(RETRY_TICKS);
	}
}
