build-debug/apps/fstests.o: apps/fstests.c apps/lib/harness.h \
 libsys/include/sys.h include/abi/syscall.h libsys/include/user.h \
 libsys/include/xv6/kernel/stat.h include/abi/fs.h \
 include/abi/fs_format.h include/abi/pager.h
