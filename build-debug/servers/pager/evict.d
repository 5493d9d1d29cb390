build-debug/servers/pager/evict.o: servers/pager/evict.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h \
 libsys/include/sys.h
