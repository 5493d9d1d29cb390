build-debug/microkernel/ipc.o: microkernel/ipc.c microkernel/kernel.h \
 include/abi/syscall.h
