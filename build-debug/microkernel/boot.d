build-debug/microkernel/boot.o: microkernel/boot.c microkernel/kernel.h \
 include/abi/syscall.h microkernel/dtb.h include/elf.h \
 include/abi/syscall.h include/abi/bootinfo.h
