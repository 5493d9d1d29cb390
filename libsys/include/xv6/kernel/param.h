/* xv6's limits, as this system has them. */
#ifndef XV6_PARAM_H
#define XV6_PARAM_H

#define NOFILE   16     /* open files per process (FS_MAX_FDS) */
#define MAXARG   16     /* exec arguments (START_MAX_ARGS) */
#define MAXPATH  128    /* longest path (FS_PATH_MAX) */

#endif
