build-debug/servers/pager/control.o: servers/pager/control.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h \
 libsys/include/sys.h
