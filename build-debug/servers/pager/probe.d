build-debug/servers/pager/probe.o: servers/pager/probe.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h \
 libsys/include/sys.h include/abi/bootinfo.h
