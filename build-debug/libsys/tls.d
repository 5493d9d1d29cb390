build-debug/libsys/tls.o: libsys/tls.c libsys/include/sys.h \
 include/abi/syscall.h
