/*
 * Directories and paths. A directory is a file of struct dirent; a slot
 * with inum 0 is free and is reused before the directory grows. Every
 * directory holds "." (itself) and ".." (its parent; "/" is its own
 * parent), so a path walk needs no special cases for them: it looks
 * each component up in turn, starting at "/" for a path that begins
 * with '/' and at the caller's cwd otherwise. Repeated slashes count as
 * one. A component longer than DIRSIZ is an error, not truncated.
 *
 * An inode number read from a directory is checked by inode_get, so an
 * entry naming an inode that cannot exist is an error, not a wild read.
 */
#include <string.h>
#include "fs.h"

/* Read the entry at off; 0, -FS_E_CORRUPT if the directory ends mid-entry, or an error. */
static int read_entry(struct inode *dp, uint32_t off, struct dirent *de)
{
	int r = inode_read(dp, de, off, DIRENT_BYTES);
	if (r < 0)
		return r;
	return r == DIRENT_BYTES ? 0 : -FS_E_CORRUPT;
}

/* Does entry de carry name? */
static int name_is(const struct dirent *de, const char *name)
{
	return strncmp(de->name, name, DIRSIZ) == 0;
}

/* Is name "." or ".."? */
int dir_name_is_dot(const char *name)
{
	return strncmp(name, ".", DIRSIZ + 1) == 0 || strncmp(name, "..", DIRSIZ + 1) == 0;
}

/* Length of name if it can be a directory entry (1..DIRSIZ bytes, no '/'), else a negative error. */
static int name_check(const char *name)
{
	int n = 0;
	while (name[n] && n <= DIRSIZ) {
		if (name[n] == '/')
			return -E_INVAL;
		n++;
	}
	if (n == 0)
		return -E_INVAL;
	return n > DIRSIZ ? -FS_E_NAMELEN : n;
}

/* Load dp and check it is a directory; 0 or an error. */
static int load_dir(struct inode *dp)
{
	int r = inode_load(dp);
	if (r < 0)
		return r;
	return dp->d.type == T_DIR ? 0 : -FS_E_NOTDIR;
}

/* Find name in dp: hold its inode in *out and its entry's offset in *off (if off); 0, -E_NOENT, or an error. */
int dir_lookup(struct inode *dp, const char *name, struct inode **out, uint32_t *off)
{
	struct dirent de;
	int r = load_dir(dp);
	if (r < 0)
		return r;
	if ((r = name_check(name)) < 0)
		return r;
	for (uint32_t o = 0; o + DIRENT_BYTES <= dp->d.size; o += DIRENT_BYTES) {
		if ((r = read_entry(dp, o, &de)) < 0)
			return r;
		if (de.inum == 0 || !name_is(&de, name))
			continue;
		if (off)
			*off = o;
		return inode_get(de.inum, out);
	}
	return -E_NOENT;
}

/* Offset of the first free slot of dp, or its end; 0 or an error. */
static int free_slot(struct inode *dp, uint32_t *off)
{
	struct dirent de;
	uint32_t o;
	for (o = 0; o + DIRENT_BYTES <= dp->d.size; o += DIRENT_BYTES) {
		int r = read_entry(dp, o, &de);
		if (r < 0)
			return r;
		if (de.inum == 0)
			break;
	}
	*off = o;
	return 0;
}

/* Add entry name -> inum to dp (in a transaction); 0, -FS_E_EXIST, or an error. */
int dir_link(struct inode *dp, const char *name, uint32_t inum)
{
	struct inode *ip;
	struct dirent de;
	uint32_t off;
	int len = name_check(name);
	if (len < 0)
		return len;
	int r = dir_lookup(dp, name, &ip, NULL);
	if (r == 0) {
		inode_put(ip);
		return -FS_E_EXIST;
	}
	if (r != -E_NOENT)
		return r;
	if ((r = free_slot(dp, &off)) < 0)
		return r;
	memset(&de, 0, sizeof(de));
	de.inum = inum;
	memcpy(de.name, name, len);
	r = inode_write(dp, &de, off, DIRENT_BYTES);
	if (r < 0)
		return r;
	return r == DIRENT_BYTES ? 0 : -FS_E_NOSPACE;
}

/* Clear the entry at off in dp (in a transaction); 0 or an error. */
int dir_unlink(struct inode *dp, uint32_t off)
{
	struct dirent de;
	memset(&de, 0, sizeof(de));
	int r = inode_write(dp, &de, off, DIRENT_BYTES);
	if (r < 0)
		return r;
	return r == DIRENT_BYTES ? 0 : -FS_E_CORRUPT;
}

/* Does dp hold nothing but "." and ".."? 1, 0, or an error. */
int dir_is_empty(struct inode *dp)
{
	struct dirent de;
	char name[DIRSIZ + 1];
	int r = load_dir(dp);
	if (r < 0)
		return r;
	for (uint32_t o = 0; o + DIRENT_BYTES <= dp->d.size; o += DIRENT_BYTES) {
		if ((r = read_entry(dp, o, &de)) < 0)
			return r;
		memcpy(name, de.name, DIRSIZ);
		name[DIRSIZ] = '\0';
		if (de.inum != 0 && !dir_name_is_dot(name))
			return 0;
	}
	return 1;
}

/* Copy the next component of *path into name and step past it; 1, 0 at the end, or -FS_E_NAMELEN. */
static int next_name(const char **path, char name[DIRSIZ + 1])
{
	const char *p = *path, *start;
	while (*p == '/')
		p++;
	if (*p == '\0') {
		*path = p;
		return 0;
	}
	for (start = p; *p && *p != '/'; p++)
		if (p - start == DIRSIZ)
			return -FS_E_NAMELEN;
	memcpy(name, start, p - start);
	name[p - start] = '\0';
	while (*p == '/')
		p++;
	*path = p;
	return 1;
}

/* Where a walk starts: "/" for an absolute path or no cwd, else cwd; 0 or an error. */
static int walk_start(struct inode *cwd, const char *path, struct inode **out)
{
	if (*path == '/' || !cwd)
		return inode_get(ROOT_INUM, out);
	*out = inode_dup(cwd);
	return 0;
}

/* Walk path; if parent, stop at the directory holding the last component and leave its name in name. */
static int walk(struct inode *cwd, const char *path, int parent, char name[DIRSIZ + 1],
                struct inode **out)
{
	struct inode *ip, *next;
	if (*path == '\0')
		return -E_NOENT;
	int r = walk_start(cwd, path, &ip);
	if (r < 0)
		return r;
	while ((r = next_name(&path, name)) > 0) {
		if ((r = load_dir(ip)) < 0)
			break;
		if (parent && *path == '\0') {
			*out = ip;
			return 0;
		}
		if ((r = dir_lookup(ip, name, &next, NULL)) < 0)
			break;
		inode_put(ip);
		ip = next;
	}
	if (r == 0 && parent)
		r = -E_INVAL;                   /* "/": no last component */
	if (r < 0) {
		inode_put(ip);
		return r;
	}
	*out = ip;
	return 0;
}

/* Hold the inode path names in *out (not loaded); 0 or an error. */
int path_lookup(struct inode *cwd, const char *path, struct inode **out)
{
	char name[DIRSIZ + 1];
	return walk(cwd, path, 0, name, out);
}

/* Hold the directory that would hold path's last component in *out and copy that component to name; 0 or an error. */
int path_parent(struct inode *cwd, const char *path, char name[DIRSIZ + 1], struct inode **out)
{
	return walk(cwd, path, 1, name, out);
}
