build-debug/apps/bench_ipc.o: apps/bench_ipc.c apps/lib/bench.h \
 libsys/include/sys.h include/abi/syscall.h libsys/include/user.h \
 libsys/include/xv6/kernel/stat.h
