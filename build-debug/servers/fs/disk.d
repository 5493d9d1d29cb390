build-debug/servers/fs/disk.o: servers/fs/disk.c servers/fs/fsserver.h \
 include/abi/bootinfo.h include/abi/fs.h include/abi/syscall.h \
 include/abi/pager.h servers/fs/fs.h include/abi/fs_format.h \
 servers/fs/blk.h libsys/include/sys.h servers/drivers/virtio_blk.h
