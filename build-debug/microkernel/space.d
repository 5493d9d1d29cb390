build-debug/microkernel/space.o: microkernel/space.c microkernel/kernel.h \
 include/abi/syscall.h microkernel/arch/riscv/riscv.h
