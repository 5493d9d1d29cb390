build-debug/servers/pager/policy_cow.o: servers/pager/policy_cow.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h \
 libsys/include/sys.h
