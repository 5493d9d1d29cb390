build-debug/microkernel/syscall.o: microkernel/syscall.c \
 microkernel/kernel.h include/abi/syscall.h \
 microkernel/arch/riscv/riscv.h
