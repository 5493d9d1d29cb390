build-debug/libsys/file.o: libsys/file.c libsys/include/sys.h \
 include/abi/syscall.h include/abi/fs.h include/abi/pager.h \
 libsys/include/user.h libsys/include/xv6/kernel/stat.h
