build-debug/microkernel/main.o: microkernel/main.c microkernel/kernel.h \
 include/abi/syscall.h microkernel/dtb.h microkernel/arch/riscv/riscv.h
