build-debug/apps/pagercheck.o: apps/pagercheck.c apps/lib/harness.h \
 libsys/include/sys.h include/abi/syscall.h libsys/include/user.h \
 libsys/include/xv6/kernel/stat.h include/elf.h include/abi/syscall.h \
 include/abi/fs.h include/abi/pager.h
