build-debug/apps/ls.o: apps/ls.c libsys/include/xv6/kernel/types.h \
 libsys/include/xv6/kernel/stat.h libsys/include/xv6/kernel/fcntl.h \
 libsys/include/xv6/kernel/param.h libsys/include/xv6/kernel/fs.h \
 include/abi/fs_format.h libsys/include/xv6/user/user.h
