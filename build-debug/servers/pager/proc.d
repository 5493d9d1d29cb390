build-debug/servers/pager/proc.o: servers/pager/proc.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h \
 libsys/include/sys.h
