build-debug/servers/pager/regions.o: servers/pager/regions.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h
