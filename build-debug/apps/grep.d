build-debug/apps/grep.o: apps/grep.c libsys/include/xv6/kernel/types.h \
 libsys/include/xv6/kernel/stat.h libsys/include/xv6/kernel/fcntl.h \
 libsys/include/xv6/user/user.h
