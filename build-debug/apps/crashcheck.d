build-debug/apps/crashcheck.o: apps/crashcheck.c libsys/include/user.h \
 libsys/include/xv6/kernel/stat.h include/abi/fs.h include/abi/syscall.h \
 include/abi/fs_format.h apps/crashmodel.h
