build-debug/libsys/crt0.o: libsys/crt0.S
