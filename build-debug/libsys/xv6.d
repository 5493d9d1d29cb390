build-debug/libsys/xv6.o: libsys/xv6.c
