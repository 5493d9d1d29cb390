build-debug/servers/pager/policy_none.o: servers/pager/policy_none.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h
