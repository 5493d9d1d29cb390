build-debug/microkernel/dtb.o: microkernel/dtb.c microkernel/dtb.h
