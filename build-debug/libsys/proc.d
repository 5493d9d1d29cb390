build-debug/libsys/proc.o: libsys/proc.c libsys/include/sys.h \
 include/abi/syscall.h include/abi/pager.h
