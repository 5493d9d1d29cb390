build-debug/microkernel/arch/riscv/trap.o: microkernel/arch/riscv/trap.c \
 microkernel/kernel.h include/abi/syscall.h \
 microkernel/arch/riscv/riscv.h
