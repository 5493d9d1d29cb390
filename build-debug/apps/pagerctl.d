build-debug/apps/pagerctl.o: apps/pagerctl.c libsys/include/sys.h \
 include/abi/syscall.h libsys/include/user.h \
 libsys/include/xv6/kernel/stat.h include/abi/pager.h
