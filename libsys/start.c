/*
 * Process start-up: TLS for picolibc, the start-up block from the pager,
 * then main(argc, argv) and exit with its result.
 */
#include <stdlib.h>
#include "sys.h"
#include "abi/pager.h"

int main(int argc, char **argv);
void _libsys_start(uint64_t a0, const struct start_info *si);


/* Entry from crt0 for every program started by the pager: the start-up block is at sp. */
void _libsys_start(uint64_t a0, const struct start_info *si)
{
	(void)a0;
	libsys_init_tls();
	if (!si || si->magic != START_MAGIC)
		exit(EXIT_FAILURE);
	libsys_pager_tid = si->pager_tid;
	libsys_fs_tid = si->fs_tid;
	exit(main((int)si->argc, (char **)si->argv));
}
