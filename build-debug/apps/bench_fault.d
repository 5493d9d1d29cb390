build-debug/apps/bench_fault.o: apps/bench_fault.c apps/lib/bench.h \
 libsys/include/sys.h include/abi/syscall.h libsys/include/user.h \
 libsys/include/xv6/kernel/stat.h
