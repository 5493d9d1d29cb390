build-debug/servers/pager/requests.o: servers/pager/requests.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h \
 libsys/include/sys.h
