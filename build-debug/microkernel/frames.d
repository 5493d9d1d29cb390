build-debug/microkernel/frames.o: microkernel/frames.c \
 microkernel/kernel.h include/abi/syscall.h
