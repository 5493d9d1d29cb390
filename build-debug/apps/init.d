build-debug/apps/init.o: apps/init.c libsys/include/user.h \
 libsys/include/xv6/kernel/stat.h
