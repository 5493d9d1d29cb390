build-debug/servers/fs/files.o: servers/fs/files.c servers/fs/fsserver.h \
 include/abi/bootinfo.h include/abi/fs.h include/abi/syscall.h \
 include/abi/pager.h servers/fs/fs.h include/abi/fs_format.h \
 libsys/include/sys.h
