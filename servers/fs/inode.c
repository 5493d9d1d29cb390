/*
 * Inodes. The inode table holds NINODE inodes in memory, each with a
 * reference count: inode_get finds or claims a slot for an inode number
 * without touching the disk, inode_load copies the dinode in (checking
 * it, since the disk may be corrupt), inode_put lets go. When the last
 * reference to an inode with no links goes, its blocks and the inode
 * itself are freed, in a transaction of their own (or the caller's).
 * The server is single-threaded, so loading takes the place of xv6's
 * ilock: there is nothing to lock, only a copy to fetch.
 *
 * Table share. Of the NINODE slots, the last INODE_RESERVE free ones are
 * kept for clients that hold fewer than INODE_FEW inodes (their cwd and
 * their open files' inodes, each counted once) and for the pager: while
 * no more than INODE_RESERVE slots are free, files.c refuses any other
 * client's path request (-E_NOMEM) before it looks anything up, even an
 * inode already in the table, which it would otherwise come to hold. A
 * request keeps at most one inode more than it had (open; chdir trades
 * one for another) and holds at most INODE_TRANSIENT at once while it
 * walks, all given back when it ends. So, after the table last had more
 * than INODE_RESERVE free, each client has come to hold at most
 * INODE_FEW of the slots taken since, the pager at most FS_PAGER_FDS
 * files' inodes and its cwd, and one request its transient ones: the
 * reserve (FS_MAX_PROCS * INODE_FEW + FS_PAGER_FDS + 1 + INODE_TRANSIENT)
 * outlasts them all, so a client holding few can always walk a path and
 * open a file, and the pager can always open a program for exec.
 *
 * A file's blocks: addrs[0..NDIRECT) name data blocks directly,
 * addrs[INDIRECT_SLOT] an indirect block of NINDIRECT addresses, and
 * addrs[DINDIRECT_SLOT] a double-indirect block of NINDIRECT indirect
 * blocks. Address 0 is a hole, read as zeros. Every address read from
 * the inode or an indirect block is checked to be a data block before
 * it is used, so a corrupt one is an error, never a wild read.
 */
#include <string.h>
#include "bio.h"
#include "fs.h"
#include "log.h"

#define INDIRECT_LEVELS 1              /* levels of indirect blocks under addrs[INDIRECT_SLOT] */
#define DINDIRECT_LEVELS 2

static struct inode itable[NINODE];

/* Empty the table (at mount). */
void inode_table_init(void)
{
	memset(itable, 0, sizeof(itable));
}

/* Forget every loaded copy: a transaction was thrown away. */
void inode_invalidate_all(void)
{
	for (int i = 0; i < NINODE; i++)
		itable[i].valid = 0;
}

/* How many table slots are held (0 between operations: a leak check). */
uint32_t inode_table_used(void)
{
	uint32_t n = 0;
	for (int i = 0; i < NINODE; i++)
		n += itable[i].ref != 0;
	return n;
}

/*
 * May a client holding `held` inodes make a path request now: does it
 * hold few, or is the table above its reserve?
 */
int inode_share_ok(uint32_t held)
{
	return held < INODE_FEW || NINODE - inode_table_used() > INODE_RESERVE;
}

/* Hold inode inum in *out, not loaded; 0, -FS_E_CORRUPT for no such inode number, or -E_NOMEM. */
int inode_get(uint32_t inum, struct inode **out)
{
	struct inode *empty = NULL;
	if (inum < ROOT_INUM || inum >= fs_sb.ninodes)
		return -FS_E_CORRUPT;
	for (int i = 0; i < NINODE; i++) {
		struct inode *ip = &itable[i];
		if (ip->ref && ip->inum == inum) {
			ip->ref++;
			*out = ip;
			return 0;
		}
		if (!ip->ref && !empty)
			empty = ip;
	}
	if (!empty)
		return -E_NOMEM;
	*empty = (struct inode){ .inum = inum, .ref = 1 };
	*out = empty;
	return 0;
}

/* One more reference to ip; returns ip. */
struct inode *inode_dup(struct inode *ip)
{
	ip->ref++;
	return ip;
}

/* Can d be the dinode of an inode in use? */
static int dinode_ok(const struct dinode *d)
{
	if (d->type != T_DIR && d->type != T_FILE && d->type != T_DEVICE)
		return 0;
	if (d->size > MAXFILE_BYTES)
		return 0;
	for (int i = 0; i < NADDRS; i++)
		if (d->addrs[i] && !block_ok(d->addrs[i]))
			return 0;
	return 1;
}

/* Byte offset of inum's dinode in its block. */
static uint32_t dinode_offset(uint32_t inum)
{
	return inum % INODES_PER_BLOCK * DINODE_BYTES;
}

/* Copy inum's dinode from disk into *d; 0 or an error. */
static int dinode_read(uint32_t inum, struct dinode *d)
{
	struct buf *b;
	int r = bio_read(INODE_BLOCK(inum, fs_sb), &b);
	if (r < 0)
		return r;
	memcpy(d, b->data + dinode_offset(inum), DINODE_BYTES);
	bio_release(b);
	return 0;
}

/* Make ip's copy of its dinode current; 0, -FS_E_CORRUPT for a free or impossible dinode, or an error. */
int inode_load(struct inode *ip)
{
	if (ip->valid)
		return 0;
	int r = dinode_read(ip->inum, &ip->d);
	if (r < 0)
		return r;
	if (!dinode_ok(&ip->d))
		return -FS_E_CORRUPT;
	ip->valid = 1;
	return 0;
}

/* Write ip's copy back to disk (in a transaction); 0 or an error. */
int inode_update(struct inode *ip)
{
	struct buf *b;
	int r = bio_read(INODE_BLOCK(ip->inum, fs_sb), &b);
	if (r < 0)
		return r;
	memcpy(b->data + dinode_offset(ip->inum), &ip->d, DINODE_BYTES);
	log_write(b);
	bio_release(b);
	return 0;
}

/* Free ip's blocks and the inode itself, in its own transaction or the caller's. */
static void inode_free(struct inode *ip)
{
	if (log_begin() < 0)
		return;                         /* stays an orphan; mount reclaims it */
	int r = inode_truncate(ip);
	if (r >= 0) {
		ip->d.type = T_FREE;
		r = inode_update(ip);
	}
	log_end(r);
}

/* Drop a reference; the last one to an unlinked inode frees it. */
void inode_put(struct inode *ip)
{
	if (ip->ref == 0)
		return;
	if (ip->ref == 1 && ip->inum != ROOT_INUM && inode_load(ip) == 0 && ip->d.nlink == 0)
		inode_free(ip);
	if (--ip->ref == 0)
		ip->valid = 0;
}

/* Allocate a free inode of type (in a transaction), held and loaded in *out; 0, -FS_E_NOSPACE, or an error. */
int inode_alloc(uint16_t type, struct inode **out)
{
	struct dinode d;
	for (uint32_t inum = ROOT_INUM; inum < fs_sb.ninodes; inum++) {
		int r = dinode_read(inum, &d);
		if (r < 0)
			return r;
		if (d.type != T_FREE)
			continue;
		if ((r = inode_get(inum, out)) < 0)
			return r;
		memset(&(*out)->d, 0, sizeof(d));
		(*out)->d.type = type;
		(*out)->valid = 1;
		return inode_update(*out);
	}
	return -FS_E_NOSPACE;
}

/* The address in the inode's slot, allocating a block there if alloc; 0 means a hole. */
static int slot_addr(struct inode *ip, int slot, int alloc, uint32_t *out)
{
	uint32_t addr = ip->d.addrs[slot];
	if (addr && !block_ok(addr))
		return -FS_E_CORRUPT;
	if (!addr && alloc) {
		int r = block_alloc(&addr);
		if (r < 0)
			return r;
		ip->d.addrs[slot] = addr;       /* the caller writes the inode */
	}
	*out = addr;
	return 0;
}

/* The address in entry idx of indirect block ind, allocating a block there if alloc; 0 means a hole. */
static int entry_addr(uint32_t ind, uint32_t idx, int alloc, uint32_t *out)
{
	struct buf *b;
	uint32_t addr;
	int r = bio_read(ind, &b);
	if (r < 0)
		return r;
	memcpy(&addr, b->data + idx * ADDR_BYTES, ADDR_BYTES);
	if (addr && !block_ok(addr))
		r = -FS_E_CORRUPT;
	else if (!addr && alloc && (r = block_alloc(&addr)) >= 0) {
		memcpy(b->data + idx * ADDR_BYTES, &addr, ADDR_BYTES);
		log_write(b);
	}
	bio_release(b);
	if (r >= 0)
		*out = addr;
	return r;
}

/* The disk block of file block bn (< MAXFILE_BLOCKS), allocating if alloc; 0 means a hole. */
static int bmap(struct inode *ip, uint32_t bn, int alloc, uint32_t *out)
{
	uint32_t ind;
	int r;
	if (bn < NDIRECT)
		return slot_addr(ip, bn, alloc, out);
	bn -= NDIRECT;
	int slot = bn < NINDIRECT ? INDIRECT_SLOT : DINDIRECT_SLOT;
	if (slot == DINDIRECT_SLOT)
		bn -= NINDIRECT;
	*out = 0;
	if ((r = slot_addr(ip, slot, alloc, &ind)) < 0 || !ind)
		return r;
	if (slot == DINDIRECT_SLOT) {
		if ((r = entry_addr(ind, bn / NINDIRECT, alloc, &ind)) < 0 || !ind)
			return r;
		bn %= NINDIRECT;
	}
	return entry_addr(ind, bn, alloc, out);
}

/* Free block addr and, levels deep, the blocks it lists (in a transaction); 0 or an error. */
static int free_tree(uint32_t addr, int levels)
{
	struct buf *b;
	int r = 0;
	if (!block_ok(addr))
		return -FS_E_CORRUPT;
	if (levels > 0) {
		if ((r = bio_read(addr, &b)) < 0)
			return r;
		for (uint32_t i = 0; i < NINDIRECT && r >= 0; i++) {
			uint32_t e;
			memcpy(&e, b->data + i * ADDR_BYTES, ADDR_BYTES);
			if (e)
				r = free_tree(e, levels - 1);
		}
		bio_release(b);
		if (r < 0)
			return r;
	}
	return block_free(addr);
}

/* Free all of a loaded inode's blocks and make it empty (in a transaction); 0 or an error. */
int inode_truncate(struct inode *ip)
{
	static const int levels[NADDRS] = {
		[INDIRECT_SLOT] = INDIRECT_LEVELS, [DINDIRECT_SLOT] = DINDIRECT_LEVELS,
	};
	for (int i = 0; i < NADDRS; i++) {
		if (!ip->d.addrs[i])
			continue;
		int r = free_tree(ip->d.addrs[i], levels[i]);
		if (r < 0)
			return r;
		ip->d.addrs[i] = 0;
	}
	ip->d.size = 0;
	return inode_update(ip);
}

/* Read up to n bytes at off into dst; the count (0 at or past the end), or an error. */
int inode_read(struct inode *ip, void *dst, uint32_t off, uint32_t n)
{
	int r = inode_load(ip);
	if (r < 0)
		return r;
	if (off >= ip->d.size)
		return 0;
	if (n > ip->d.size - off)
		n = ip->d.size - off;
	uint32_t done = 0;
	while (done < n) {
		uint32_t pos = off + done, addr;
		uint32_t m = BLOCK_SIZE - pos % BLOCK_SIZE;
		if (m > n - done)
			m = n - done;
		struct buf *b;
		if ((r = bmap(ip, pos / BLOCK_SIZE, 0, &addr)) < 0)
			break;
		if (!addr) {
			memset((uint8_t *)dst + done, 0, m);
		} else {
			if ((r = bio_read(addr, &b)) < 0)
				break;
			memcpy((uint8_t *)dst + done, b->data + pos % BLOCK_SIZE, m);
			bio_release(b);
		}
		done += m;
	}
	return done ? (int)done : r;
}

/* Write n <= FS_OP_WRITE_MAX bytes from src at off (in a transaction); the count, short if the disk fills, or an error. */
int inode_write(struct inode *ip, const void *src, uint32_t off, uint32_t n)
{
	int r = log_active() ? inode_load(ip) : -E_INVAL;
	if (r < 0)
		return r;
	if (n > FS_OP_WRITE_MAX || off > MAXFILE_BYTES || n > MAXFILE_BYTES - off)
		return -E_INVAL;
	uint32_t done = 0;
	while (done < n) {
		uint32_t pos = off + done, addr;
		uint32_t m = BLOCK_SIZE - pos % BLOCK_SIZE;
		if (m > n - done)
			m = n - done;
		struct buf *b;
		if ((r = bmap(ip, pos / BLOCK_SIZE, 1, &addr)) < 0 || (r = bio_read(addr, &b)) < 0)
			break;
		memcpy(b->data + pos % BLOCK_SIZE, (const uint8_t *)src + done, m);
		log_write(b);
		bio_release(b);
		done += m;
	}
	if (done && off + done > ip->d.size)
		ip->d.size = off + done;
	int u = inode_update(ip);               /* new sizes and addresses */
	if (u < 0)
		return u;
	return done ? (int)done : r;
}

/* Count free inodes into *out; 0 or an error. */
int inode_count_free(uint32_t *out)
{
	struct dinode d;
	uint32_t n = 0;
	for (uint32_t inum = ROOT_INUM; inum < fs_sb.ninodes; inum++) {
		int r = dinode_read(inum, &d);
		if (r < 0)
			return r;
		n += d.type == T_FREE;
	}
	*out = n;
	return 0;
}

/* Free inodes in use but with no links, left by a crash while a removed file was open; 0 or an error. */
int inode_reclaim_orphans(void)
{
	struct dinode d;
	struct inode *ip;
	for (uint32_t inum = ROOT_INUM + 1; inum < fs_sb.ninodes; inum++) {
		int r = dinode_read(inum, &d);
		if (r < 0)
			return r;
		if (d.type == T_FREE || d.nlink != 0)
			continue;
		if ((r = inode_get(inum, &ip)) < 0)
			return r;
		inode_put(ip);                  /* the last reference: frees it */
	}
	return 0;
}
