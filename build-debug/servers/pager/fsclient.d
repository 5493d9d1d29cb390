build-debug/servers/pager/fsclient.o: servers/pager/fsclient.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h \
 libsys/include/sys.h include/abi/fs.h
