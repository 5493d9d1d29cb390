build-debug/microkernel/thread.o: microkernel/thread.c \
 microkernel/kernel.h include/abi/syscall.h \
 microkernel/arch/riscv/riscv.h
