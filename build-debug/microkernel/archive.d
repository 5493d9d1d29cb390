build-debug/microkernel/archive.o: microkernel/archive.S
