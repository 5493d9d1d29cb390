build-debug/libsys/start.o: libsys/start.c libsys/include/sys.h \
 include/abi/syscall.h include/abi/pager.h
