build-debug/apps/bench_cow.o: apps/bench_cow.c apps/lib/bench.h \
 libsys/include/sys.h include/abi/syscall.h libsys/include/user.h \
 libsys/include/xv6/kernel/stat.h
