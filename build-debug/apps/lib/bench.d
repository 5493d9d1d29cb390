build-debug/apps/lib/bench.o: apps/lib/bench.c apps/lib/bench.h \
 libsys/include/sys.h include/abi/syscall.h libsys/include/user.h \
 libsys/include/xv6/kernel/stat.h include/abi/pager.h
