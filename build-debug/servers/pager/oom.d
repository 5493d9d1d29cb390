build-debug/servers/pager/oom.o: servers/pager/oom.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h
