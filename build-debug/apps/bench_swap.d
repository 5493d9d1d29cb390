build-debug/apps/bench_swap.o: apps/bench_swap.c apps/lib/bench.h \
 libsys/include/sys.h include/abi/syscall.h libsys/include/user.h \
 libsys/include/xv6/kernel/stat.h include/abi/pager.h
