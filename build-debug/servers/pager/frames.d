build-debug/servers/pager/frames.o: servers/pager/frames.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h
