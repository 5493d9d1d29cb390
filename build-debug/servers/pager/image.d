build-debug/servers/pager/image.o: servers/pager/image.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h \
 include/abi/bootinfo.h
