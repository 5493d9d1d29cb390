build-debug/servers/pager/pmap.o: servers/pager/pmap.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h
