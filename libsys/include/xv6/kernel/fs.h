/* Directory entries as read() returns them from a directory (the on-disk format). */
#ifndef XV6_FS_H
#define XV6_FS_H

#include "abi/fs_format.h"

#endif
