build-debug/servers/pager/policy_fifo.o: servers/pager/policy_fifo.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h
