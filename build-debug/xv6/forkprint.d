build-debug/xv6/forkprint.o: tests/xv6/forkprint.c \
 libsys/include/xv6/kernel/types.h libsys/include/xv6/user/user.h
