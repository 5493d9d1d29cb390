build-debug/apps/protofuzz.o: apps/protofuzz.c apps/lib/harness.h \
 libsys/include/sys.h include/abi/syscall.h libsys/include/user.h \
 libsys/include/xv6/kernel/stat.h include/abi/fs.h include/abi/pager.h
