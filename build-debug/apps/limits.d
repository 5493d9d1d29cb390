build-debug/apps/limits.o: apps/limits.c apps/lib/harness.h \
 libsys/include/sys.h include/abi/syscall.h libsys/include/user.h \
 libsys/include/xv6/kernel/stat.h include/abi/pager.h
