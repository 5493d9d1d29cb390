build-debug/microkernel/irq.o: microkernel/irq.c microkernel/kernel.h \
 include/abi/syscall.h
