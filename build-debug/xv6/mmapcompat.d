build-debug/xv6/mmapcompat.o: tests/xv6/mmapcompat.c \
 libsys/include/xv6/kernel/types.h libsys/include/xv6/kernel/stat.h \
 libsys/include/xv6/kernel/fcntl.h libsys/include/xv6/kernel/riscv.h \
 libsys/include/xv6/user/user.h
