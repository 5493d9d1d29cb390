build-debug/apps/crashwork.o: apps/crashwork.c libsys/include/user.h \
 libsys/include/xv6/kernel/stat.h include/abi/fs.h include/abi/syscall.h \
 apps/crashmodel.h
