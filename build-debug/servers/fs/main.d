build-debug/servers/fs/main.o: servers/fs/main.c servers/fs/fsserver.h \
 include/abi/bootinfo.h include/abi/fs.h include/abi/syscall.h \
 include/abi/pager.h servers/fs/fs.h include/abi/fs_format.h \
 libsys/include/sys.h
