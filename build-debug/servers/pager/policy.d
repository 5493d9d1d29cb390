build-debug/servers/pager/policy.o: servers/pager/policy.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h
