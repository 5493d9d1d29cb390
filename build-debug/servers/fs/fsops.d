build-debug/servers/fs/fsops.o: servers/fs/fsops.c servers/fs/fs.h \
 include/abi/fs_format.h include/abi/syscall.h servers/fs/log.h \
 servers/fs/bio.h
