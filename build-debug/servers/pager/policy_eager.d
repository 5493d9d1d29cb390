build-debug/servers/pager/policy_eager.o: servers/pager/policy_eager.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h
