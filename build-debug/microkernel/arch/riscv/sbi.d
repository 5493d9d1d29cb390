build-debug/microkernel/arch/riscv/sbi.o: microkernel/arch/riscv/sbi.c \
 microkernel/kernel.h include/abi/syscall.h
