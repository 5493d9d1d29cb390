build-debug/servers/pager/loader.o: servers/pager/loader.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h \
 include/elf.h include/abi/syscall.h libsys/include/sys.h
