build-debug/microkernel/console.o: microkernel/console.c \
 microkernel/kernel.h include/abi/syscall.h
