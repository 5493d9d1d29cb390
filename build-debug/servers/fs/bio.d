build-debug/servers/fs/bio.o: servers/fs/bio.c include/abi/syscall.h \
 servers/fs/bio.h include/abi/fs_format.h servers/fs/blk.h
