build-debug/apps/mkdir.o: apps/mkdir.c libsys/include/xv6/kernel/types.h \
 libsys/include/xv6/kernel/stat.h libsys/include/xv6/user/user.h
