build-debug/apps/sh.o: apps/sh.c libsys/include/xv6/kernel/types.h \
 libsys/include/xv6/kernel/stat.h libsys/include/xv6/kernel/fcntl.h \
 libsys/include/xv6/kernel/param.h libsys/include/xv6/user/user.h
