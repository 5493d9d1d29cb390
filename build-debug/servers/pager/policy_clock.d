build-debug/servers/pager/policy_clock.o: servers/pager/policy_clock.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h \
 libsys/include/sys.h
