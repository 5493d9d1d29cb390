/*
 * The block device the file system runs on: whole BLOCK_SIZE blocks,
 * numbered from 0. In the guest a virtio-blk driver implements it; on
 * the host, mkfs implements it over an image in memory and the unit
 * test over a RAM disk that can also simulate a crash.
 *
 * A call returns only when the transfer is done (a write is on the
 * disk, in the order the calls were made); the log depends on that.
 */
#ifndef FS_BLK_H
#define FS_BLK_H

#include <stdint.h>

/* Read block blockno into buf (BLOCK_SIZE bytes); 0 or a negative E_ code. */
int blk_read(uint32_t blockno, void *buf);

/* Write buf (BLOCK_SIZE bytes) to block blockno; 0 or a negative E_ code. */
int blk_write(uint32_t blockno, const void *buf);

#endif
