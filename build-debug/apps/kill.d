build-debug/apps/kill.o: apps/kill.c libsys/include/xv6/kernel/types.h \
 libsys/include/xv6/kernel/stat.h libsys/include/xv6/user/user.h
