build-debug/servers/pager/policy_copy.o: servers/pager/policy_copy.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h
