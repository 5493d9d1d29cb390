/*
 * Booted with a disk the fs server cannot use (boot argument fs.slot=N
 * naming a corrupt image or an empty slot): the server reports it and
 * exits, and the kernel, the pager and programs from the boot archive go
 * on. Run by `make test` as the suites "nofs:fs.slot=2" (corrupt image)
 * and "nofs:fs.slot=3" (no disk).
 */
#include <string.h>
#include "harness.h"
#include "user.h"
#include "abi/fs.h"

/* File calls fail cleanly; there is no file system. */
static void test_file_calls_fail(void)
{
	char buf[4];
	int fds[2];
	CHECK_EQ(libsys_fs_tid, 0);
	CHECK_EQ(open("/init", FS_O_RDONLY), -1);
	CHECK_EQ(read(0, buf, 1), -1);
	CHECK_EQ(pipe(fds), -1);
	char *argv[] = { "sh", NULL };
	CHECK_EQ(exec("sh", argv), -1);
}

/* Memory, processes and the console still work. */
static void test_memory_and_processes_work(void)
{
	check_system_works("nofs");
}

static const struct test tests[] = {
	{ "file_calls_fail", test_file_calls_fail },
	{ "memory_and_processes_work", test_memory_and_processes_work },
};

int main(int argc, char **argv)
{
	return run_tests("nofs", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
