build-debug/servers/drivers/virtio_blk.o: servers/drivers/virtio_blk.c \
 libsys/include/sys.h include/abi/syscall.h servers/drivers/virtio_blk.h
