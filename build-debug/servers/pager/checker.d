build-debug/servers/pager/checker.o: servers/pager/checker.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h
