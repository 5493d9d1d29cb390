build-debug/servers/fs/pipe.o: servers/fs/pipe.c servers/fs/fsserver.h \
 include/abi/bootinfo.h include/abi/fs.h include/abi/syscall.h \
 include/abi/pager.h servers/fs/fs.h include/abi/fs_format.h
