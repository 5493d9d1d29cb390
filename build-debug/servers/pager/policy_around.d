build-debug/servers/pager/policy_around.o: servers/pager/policy_around.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h
