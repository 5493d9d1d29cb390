build-debug/microkernel/fault.o: microkernel/fault.c microkernel/kernel.h \
 include/abi/syscall.h
