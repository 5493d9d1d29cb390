build-debug/microkernel/arch/riscv/entry.o: \
 microkernel/arch/riscv/entry.S
