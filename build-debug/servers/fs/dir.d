build-debug/servers/fs/dir.o: servers/fs/dir.c servers/fs/fs.h \
 include/abi/fs_format.h include/abi/syscall.h
