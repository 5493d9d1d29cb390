build-debug/servers/pager/devices.o: servers/pager/devices.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h \
 libsys/include/sys.h include/abi/bootinfo.h
