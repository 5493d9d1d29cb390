/*
 * The operations the server calls. Each runs as one transaction: it
 * checks what it needs, changes blocks through the log, and returns its
 * result through log_end, which commits, or throws every change away if
 * the result is an error. So an operation that fails has changed
 * nothing on disk, and there is no undo code on the error paths.
 *
 * Link counts follow xv6: a file's nlink counts the entries naming it;
 * a directory's counts its entry in its parent plus the ".." of each
 * subdirectory, and "." is not counted.
 *
 * Budget per transaction (OP_MAX_BLOCKS = 32 distinct blocks): a write of
 * FS_OP_WRITE_MAX bytes touches at most 9 data blocks, 3 indirect blocks,
 * the inode and one bitmap block per allocation (12): 25. Create, mkdir,
 * link and unlink touch a handful, plus, when unlink frees a file, one
 * block per bitmap block (MAX_BITMAP_BLOCKS at most).
 */
#include "fs.h"
#include "log.h"

#define LINK_MAX 0xffff                /* nlink is 16 bits */

/* Hold path's inode, loaded, in *out; 0 or an error. */
int fs_lookup(struct inode *cwd, const char *path, struct inode **out)
{
	struct inode *ip;
	int r = path_lookup(cwd, path, &ip);
	if (r < 0)
		return r;
	if ((r = inode_load(ip)) < 0) {
		inode_put(ip);
		return r;
	}
	*out = ip;
	return 0;
}

/* Give directory ip its "." and ".." and count its ".." in parent dp (in a transaction). */
static int make_dir_entries(struct inode *ip, struct inode *dp)
{
	if (dp->d.nlink >= LINK_MAX)
		return -FS_E_NOSPACE;
	int r = dir_link(ip, ".", ip->inum);
	if (r >= 0)
		r = dir_link(ip, "..", dp->inum);
	if (r < 0)
		return r;
	dp->d.nlink++;
	return inode_update(dp);
}

/* An existing name: a file wanted as a file is returned (held in *out), anything else is -FS_E_EXIST. */
static int create_existing(struct inode *ip, int type, struct inode **out)
{
	int r = inode_load(ip);
	if (r >= 0 && type == T_FILE && (ip->d.type == T_FILE || ip->d.type == T_DEVICE)) {
		*out = ip;
		return 0;
	}
	inode_put(ip);
	return r < 0 ? r : -FS_E_EXIST;
}

/* The body of fs_create, in its transaction; dp is the loaded parent, name the new entry. */
static int create_in(struct inode *dp, const char *name, int type, int major, int minor,
                     struct inode **out)
{
	struct inode *ip;
	int r = dir_lookup(dp, name, &ip, NULL);
	if (r == 0)
		return create_existing(ip, type, out);
	if (r != -E_NOENT)
		return r;
	if (dp->d.nlink == 0)
		return -E_NOENT;                /* the directory was removed */
	if ((r = inode_alloc(type, &ip)) < 0)
		return r;
	ip->d.major = major;
	ip->d.minor = minor;
	ip->d.nlink = 1;
	r = inode_update(ip);
	if (r >= 0 && type == T_DIR)
		r = make_dir_entries(ip, dp);
	if (r >= 0)
		r = dir_link(dp, name, ip->inum);
	if (r < 0) {
		inode_put(ip);                  /* the transaction is thrown away */
		return r;
	}
	*out = ip;
	return 0;
}

/* Create path as type (T_FILE, T_DIR, T_DEVICE with major, minor), held in *out. As open(O_CREATE): an existing file or device asked for as T_FILE is returned; else an existing name is -FS_E_EXIST. */
int fs_create(struct inode *cwd, const char *path, int type, int major, int minor,
              struct inode **out)
{
	char name[DIRSIZ + 1];
	struct inode *dp, *ip = NULL;
	if ((type != T_FILE && type != T_DIR && type != T_DEVICE) ||
	    major < 0 || major > UINT16_MAX || minor < 0 || minor > UINT16_MAX)
		return -E_INVAL;
	int r = log_begin();
	if (r < 0)
		return r;
	if ((r = path_parent(cwd, path, name, &dp)) >= 0) {
		r = create_in(dp, name, type, major, minor, &ip);
		inode_put(dp);
	}
	if ((r = log_end(r)) < 0) {
		if (ip)
			inode_put(ip);
		return r;
	}
	*out = ip;
	return 0;
}

/* Make directory path; 0, -FS_E_EXIST, or an error. */
int fs_mkdir(struct inode *cwd, const char *path)
{
	struct inode *ip;
	int r = fs_create(cwd, path, T_DIR, 0, 0, &ip);
	if (r < 0)
		return r;
	inode_put(ip);
	return 0;
}

/* The body of fs_link, in its transaction: name new_path for ip. */
static int link_in(struct inode *cwd, struct inode *ip, const char *new_path)
{
	char name[DIRSIZ + 1];
	struct inode *dp;
	int r = inode_load(ip);
	if (r < 0)
		return r;
	if (ip->d.type == T_DIR)
		return -FS_E_ISDIR;
	if (ip->d.nlink >= LINK_MAX)
		return -FS_E_NOSPACE;
	if ((r = path_parent(cwd, new_path, name, &dp)) < 0)
		return r;
	if (dp->d.nlink == 0)
		r = -E_NOENT;
	else if ((r = dir_link(dp, name, ip->inum)) >= 0) {
		ip->d.nlink++;
		r = inode_update(ip);
	}
	inode_put(dp);
	return r;
}

/* Give the file at old_path the second name new_path; 0 or an error (-FS_E_ISDIR for a directory). */
int fs_link(struct inode *cwd, const char *old_path, const char *new_path)
{
	struct inode *ip;
	int r = log_begin();
	if (r < 0)
		return r;
	if ((r = path_lookup(cwd, old_path, &ip)) >= 0) {
		r = link_in(cwd, ip, new_path);
		inode_put(ip);
	}
	return log_end(r);
}

/* The body of fs_unlink, in its transaction: remove the entry name from dp. */
static int unlink_in(struct inode *dp, const char *name)
{
	struct inode *ip;
	uint32_t off;
	if (dir_name_is_dot(name))
		return -E_INVAL;
	int r = dir_lookup(dp, name, &ip, &off);
	if (r < 0)
		return r;
	if ((r = inode_load(ip)) >= 0 && ip->d.type == T_DIR) {
		int empty = dir_is_empty(ip);
		r = empty < 0 ? empty : empty ? 0 : -FS_E_NOTEMPTY;
	}
	if (r >= 0)
		r = dir_unlink(dp, off);
	if (r >= 0 && ip->d.type == T_DIR && dp->d.nlink > 0) {
		dp->d.nlink--;                  /* ip's ".." */
		r = inode_update(dp);
	}
	if (r >= 0 && ip->d.nlink > 0) {
		ip->d.nlink--;
		r = inode_update(ip);
	}
	inode_put(ip);                          /* frees it if that was the last name and use */
	return r;
}

/* Remove the name path; the file goes when its last name and last holder do. 0 or an error. */
int fs_unlink(struct inode *cwd, const char *path)
{
	char name[DIRSIZ + 1];
	struct inode *dp;
	int r = log_begin();
	if (r < 0)
		return r;
	if ((r = path_parent(cwd, path, name, &dp)) >= 0) {
		r = unlink_in(dp, name);
		inode_put(dp);
	}
	return log_end(r);
}

/* Read up to n bytes at off; the count (0 at the end) or an error. */
int fs_read(struct inode *ip, void *dst, uint32_t off, uint32_t n)
{
	return inode_read(ip, dst, off, n);
}

/* Write n bytes at off, one transaction per FS_OP_WRITE_MAX bytes; the count (short if the disk fills) or an error. */
int fs_write(struct inode *ip, const void *src, uint32_t off, uint32_t n)
{
	uint32_t done = 0;
	int r = inode_load(ip);
	if (r < 0)
		return r;
	if (ip->d.type == T_DIR)
		return -FS_E_ISDIR;
	if (n > MAXFILE_BYTES)
		return -E_INVAL;
	while (done < n) {
		uint32_t chunk = n - done < FS_OP_WRITE_MAX ? n - done : FS_OP_WRITE_MAX;
		if ((r = log_begin()) < 0)
			break;
		r = log_end(inode_write(ip, (const uint8_t *)src + done, off + done, chunk));
		if (r <= 0)
			break;
		done += r;
		if ((uint32_t)r < chunk)
			break;
	}
	return done ? (int)done : r;
}

/* Empty a file (open with O_TRUNC); 0 or an error. */
int fs_truncate(struct inode *ip)
{
	int r = log_begin();
	if (r < 0)
		return r;
	if ((r = inode_load(ip)) >= 0)
		r = ip->d.type == T_DIR ? -FS_E_ISDIR : inode_truncate(ip);
	return log_end(r);
}

/* Describe ip in *st; 0 or an error. */
int fs_stat(struct inode *ip, struct fs_stat *st)
{
	int r = inode_load(ip);
	if (r < 0)
		return r;
	st->inum = ip->inum;
	st->type = ip->d.type;
	st->nlink = ip->d.nlink;
	st->major = ip->d.major;
	st->minor = ip->d.minor;
	st->size = ip->d.size;
	return 0;
}
