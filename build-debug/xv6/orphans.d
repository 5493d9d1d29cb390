build-debug/xv6/orphans.o: tests/xv6/orphans.c \
 libsys/include/xv6/kernel/types.h libsys/include/xv6/user/user.h
