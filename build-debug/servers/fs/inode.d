build-debug/servers/fs/inode.o: servers/fs/inode.c servers/fs/bio.h \
 include/abi/fs_format.h servers/fs/fs.h include/abi/syscall.h \
 servers/fs/log.h
