build-debug/libsys/string.o: libsys/string.c
