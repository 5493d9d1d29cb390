build-debug/servers/fs/balloc.o: servers/fs/balloc.c servers/fs/bio.h \
 include/abi/fs_format.h servers/fs/fs.h include/abi/syscall.h \
 servers/fs/log.h
