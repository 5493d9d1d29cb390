build-debug/servers/fs/log.o: servers/fs/log.c include/abi/syscall.h \
 servers/fs/blk.h servers/fs/log.h servers/fs/bio.h \
 include/abi/fs_format.h
