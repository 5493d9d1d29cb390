build-debug/xv6/semantics.o: tests/xv6/semantics.c \
 libsys/include/xv6/kernel/types.h libsys/include/xv6/kernel/stat.h \
 libsys/include/xv6/kernel/fcntl.h libsys/include/xv6/user/user.h
