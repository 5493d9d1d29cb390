build-debug/xv6/killprint.o: tests/xv6/killprint.c \
 libsys/include/xv6/kernel/types.h libsys/include/xv6/user/user.h
