build-debug/servers/pager/mmap.o: servers/pager/mmap.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h \
 libsys/include/sys.h
