build-debug/servers/pager/policy_lazy.o: servers/pager/policy_lazy.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h
