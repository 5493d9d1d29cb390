build-debug/servers/fs/fs.o: servers/fs/fs.c servers/fs/bio.h \
 include/abi/fs_format.h servers/fs/blk.h servers/fs/fs.h \
 include/abi/syscall.h servers/fs/log.h
