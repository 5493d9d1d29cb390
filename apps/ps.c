/*
 * ps: list every process the pager knows, one line each: pid, parent,
 * process group, state (run, sleep, wait, zombie), name, frames present,
 * pages in swap, and its paging policy ("server" for the boot servers,
 * which are never paged). A process reading the console or a pipe shows
 * as "run": it waits on the fs server, which the pager does not see.
 * The table comes from the pager one entry at a time (PAGER_PROC_INFO);
 * ^P on the console prints the same table from the pager itself.
 */
#include <stdio.h>
#include "user.h"
#include "abi/pager.h"

/* The name of a process state. */
static const char *state_name(int32_t state)
{
	switch (state) {
	case PROC_INFO_RUNNING: return "run";
	case PROC_INFO_SLEEPING: return "sleep";
	case PROC_INFO_WAITING: return "wait";
	case PROC_INFO_ZOMBIE: return "zombie";
	default: return "?";
	}
}

/* ps: print the process table; 0, or 1 if the pager gave no entry at all. */
int main(void)
{
	struct proc_info info;
	int shown = 0;
	printf("  PID  PPID  PGID STATE  NAME             FRAMES SWAPPED POLICY\n");
	for (int slot = 0; (slot = procinfo(slot, &info)) >= 0; slot++, shown++)
		printf("%5d %5d %5d %-6s %-16s %6lu %7lu %s\n", (int)info.pid, (int)info.parent,
		       (int)info.pgid, state_name(info.state), info.name, (unsigned long)info.frames,
		       (unsigned long)info.swapped, info.server ? "server" : info.policy);
	return shown ? 0 : 1;
}
