build-debug/libsys/console.o: libsys/console.c libsys/include/sys.h \
 include/abi/syscall.h
