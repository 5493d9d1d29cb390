build-debug/libsys/usercheck.o: libsys/usercheck.c libsys/include/sys.h \
 include/abi/syscall.h
