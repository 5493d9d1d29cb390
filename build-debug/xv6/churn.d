build-debug/xv6/churn.o: tests/xv6/churn.c \
 libsys/include/xv6/kernel/types.h libsys/include/xv6/kernel/stat.h \
 libsys/include/xv6/kernel/fcntl.h libsys/include/xv6/user/user.h
