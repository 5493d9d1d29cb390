build-debug/microkernel/pool.o: microkernel/pool.c microkernel/kernel.h \
 include/abi/syscall.h
