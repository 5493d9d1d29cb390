/*
 * Minimal unit-test helper for host C tests, run by tools/runtests.py.
 *
 * Usage (a test program of one .c file, or several that all include this):
 *
 *	#include "check.h"
 *
 *	int main(void)
 *	{
 *		CHECK("align_up", align_up(5, 8) == 8);
 *		CHECK("dtb/memory", dtb_memory(blob, &base, &size) == 0);
 *		return check_summary();
 *	}
 *
 * Every CHECK prints one line and evaluates to its condition (0 or 1):
 *
 *	@@ PASS host/<name>
 *	@@ FAIL host/<name> <file>:<line> <expr>
 *
 * Names must not contain spaces. check_summary() returns the exit status:
 * 0 if every check passed, 1 otherwise.
 */
#ifndef TESTS_HOST_CHECK_H
#define TESTS_HOST_CHECK_H

#include <stdio.h>

int check_failures __attribute__((weak));   /* weak: one counter for every file of a test */

#define CHECK(name, cond) check_report((name), !!(cond), __FILE__, __LINE__, #cond)

/* Print one result line; flush so it survives a later crash. */
static inline int check_report(const char *name, int ok, const char *file,
			       int line, const char *expr)
{
	if (ok)
		printf("@@ PASS host/%s\n", name);
	else
		printf("@@ FAIL host/%s %s:%d %s\n", name, file, line, expr);
	check_failures += !ok;
	fflush(stdout);
	return ok;
}

/* Exit status for main: nonzero if any check failed. */
static inline int check_summary(void)
{
	return check_failures ? 1 : 0;
}

#endif
