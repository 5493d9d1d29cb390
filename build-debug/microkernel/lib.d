build-debug/microkernel/lib.o: microkernel/lib.c microkernel/kernel.h \
 include/abi/syscall.h
