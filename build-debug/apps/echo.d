build-debug/apps/echo.o: apps/echo.c libsys/include/xv6/kernel/types.h \
 libsys/include/xv6/kernel/stat.h libsys/include/xv6/user/user.h
