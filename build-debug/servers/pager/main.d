build-debug/servers/pager/main.o: servers/pager/main.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h \
 libsys/include/sys.h include/abi/bootinfo.h
