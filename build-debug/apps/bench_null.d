build-debug/apps/bench_null.o: apps/bench_null.c apps/lib/bench.h \
 libsys/include/sys.h include/abi/syscall.h
