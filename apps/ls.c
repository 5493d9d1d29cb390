/*
 * ls [PATH...]: list each directory (default ".") one entry to a line,
 * as xv6's ls does: name padded to DIRSIZ, type (T_DIR, T_FILE,
 * T_DEVICE), inode number, size in bytes. A path that is not a directory
 * lists itself. Entries are read from the directory as struct dirent
 * records (kernel/fs.h); a free slot has inum 0. Errors are reported and
 * the rest still listed; the exit status is then 1. An xv6-style program.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/param.h"
#include "kernel/fs.h"
#include "user/user.h"

#define FD_STDERR 2
#define DEFAULT_PATH "."

/* Print one listing line. */
static void print_entry(const char *name, const struct stat *st)
{
	printf("%-*s %d %u %lu\n", DIRSIZ, name, st->type, st->ino, st->size);
}

/* List the entries of directory path, open as fd; 0, or -1 if any failed (reported). */
static int ls_dir(const char *path, int fd)
{
	char full[MAXPATH], name[DIRSIZ + 1];
	struct dirent de;
	struct stat st;
	int status = 0, len = (int)strlen(path);
	if (len + 1 + DIRSIZ + 1 > (int)sizeof(full)) {
		fprintf(FD_STDERR, "ls: path too long: %s\n", path);
		return -1;
	}
	strcpy(full, path);
	if (len == 0 || full[len - 1] != '/')
		full[len++] = '/';
	while (read(fd, &de, sizeof(de)) == sizeof(de)) {
		if (de.inum == 0)
			continue;
		memcpy(name, de.name, DIRSIZ);
		name[DIRSIZ] = '\0';
		strcpy(full + len, name);
		if (stat(full, &st) < 0) {
			fprintf(FD_STDERR, "ls: cannot stat %s\n", full);
			status = -1;
			continue;
		}
		print_entry(name, &st);
	}
	return status;
}

/* List path: a directory's entries, or the file itself; 0, or -1 (reported). */
static int ls(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY), r;
	if (fd < 0) {
		fprintf(FD_STDERR, "ls: cannot open %s\n", path);
		return -1;
	}
	if ((r = fstat(fd, &st)) < 0)
		fprintf(FD_STDERR, "ls: cannot stat %s\n", path);
	else if (st.type == T_DIR)
		r = ls_dir(path, fd);
	else
		print_entry(path, &st);
	close(fd);
	return r;
}

/* ls [PATH...]: list each path, or ".". */
int main(int argc, char **argv)
{
	int status = 0;
	if (argc < 2)
		exit(ls(DEFAULT_PATH) < 0 ? 1 : 0);
	for (int i = 1; i < argc; i++)
		if (ls(argv[i]) < 0)
			status = 1;
	exit(status);
}
