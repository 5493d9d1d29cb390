build-debug/servers/pager/fault.o: servers/pager/fault.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h \
 libsys/include/sys.h
