build-debug/servers/pager/swap.o: servers/pager/swap.c \
 servers/pager/pager.h include/abi/syscall.h include/abi/pager.h \
 libsys/include/sys.h servers/drivers/virtio_blk.h include/abi/bootinfo.h
