/*
 * Booted with the fs server on a damaged copy of a real disk (boot
 * argument fs.slot=N naming an image made by tools/corrupt_fs.py): the
 * server either refuses to mount it, and then file calls fail cleanly as
 * in nofs, or mounts it, and then every file call on the damaged tree
 * returns. The tests walk "/" recursively (reading every directory,
 * stat-ing and reading every file), create, write, link and unlink files,
 * truncate and unlink damaged ones, and exec a program from the disk.
 * Any result is accepted, errors included: the point is that nothing
 * panics and nothing hangs (the runner's per-test timeout catches a hang,
 * and the pager stops the machine if the fs server dies). Memory and
 * processes must still work afterwards.
 *
 * Results are named fscorrupt/<image>/<test>, where <image> is the boot
 * argument fscorrupt.image=NAME, else slotN. Run by `make test` from the
 * boot archive, once per damaged image.
 */
#include <string.h>
#include "harness.h"
#include "user.h"
#include "abi/fs.h"
#include "abi/fs_format.h"
#include "abi/pager.h"

#define SLOT_ARG "fs.slot="
#define IMAGE_ARG "fscorrupt.image="
#define NAME_MAX_LEN 32
#define MAX_DEPTH 8                    /* directory levels the walk descends */
#define MAX_ENTRIES 256                /* entries of one directory the walk visits */
#define MAX_DIR_BYTES (64 * 1024)      /* bytes of one directory the walk reads */
#define MAX_FILE_BYTES (4 * 1024 * 1024)   /* bytes of one file the walk reads */
#define MAX_VISITED 1024               /* directories visited, by inode number */
#define CHUNK 8192
#define DAMAGE_FILES 8                 /* damaged files overwritten, truncated, unlinked */
#define EXEC_TICKS 300                 /* a program from the damaged disk gets this long */
#define EXEC_FAILED 99

/* What a walk saw. */
struct walk {
	int dirs, files, others, errors;
	long bytes;
	int nvisited;
	unsigned visited[MAX_VISITED];
	int nfound;
	char found[DAMAGE_FILES][FS_PATH_MAX];    /* regular files, for test_damage_files */
};

static struct walk walk;
static char chunk[CHUNK];

/* Is there a file system (the fs server mounted the image)? */
static int mounted(void)
{
	return libsys_fs_tid != 0;
}

/* Has the walk been in the directory with inode ino? If not, remember it. */
static int visited(unsigned ino)
{
	for (int i = 0; i < walk.nvisited; i++)
		if (walk.visited[i] == ino)
			return 1;
	if (walk.nvisited < MAX_VISITED)
		walk.visited[walk.nvisited++] = ino;
	return 0;
}

/* Read all of path (up to MAX_FILE_BYTES); count bytes and errors. */
static void read_whole(const char *path)
{
	int fd = open(path, FS_O_RDONLY), n = 0;
	long total = 0;
	if (fd < 0) {
		walk.errors++;
		return;
	}
	while (total < MAX_FILE_BYTES && (n = read(fd, chunk, CHUNK)) > 0)
		total += n;
	walk.errors += n < 0;
	walk.bytes += total;
	close(fd);
}

/* The live entries of directory path, at most MAX_ENTRIES into des; their number, or -1. */
static int read_dir(const char *path, struct dirent *des)
{
	int fd = open(path, FS_O_RDONLY), n = 0, got = 0;
	long seen = 0;
	if (fd < 0)
		return -1;
	while (n < MAX_ENTRIES && seen < MAX_DIR_BYTES && (got = read(fd, chunk, CHUNK)) > 0) {
		for (int off = 0; off + DIRENT_BYTES <= got && n < MAX_ENTRIES; off += DIRENT_BYTES) {
			memcpy(&des[n], chunk + off, DIRENT_BYTES);
			n += des[n].inum != 0;
		}
		seen += got;
	}
	walk.errors += got < 0;
	close(fd);
	return n;
}

/* Visit entry `name` of directory path: stat it, read it if a file, descend if a directory. */
static void visit(const char *path, const struct dirent *de, int depth);

/* Walk directory path: read its entries, then visit each. */
static void walk_dir(const char *path, int depth)
{
	struct dirent *des = malloc(MAX_ENTRIES * sizeof(*des));
	CHECK(des != NULL);
	int n = read_dir(path, des);
	walk.dirs++;
	if (n < 0)
		walk.errors++;
	for (int i = 0; i < n; i++)
		visit(path, &des[i], depth);
	free(des);
}

static void visit(const char *path, const struct dirent *de, int depth)
{
	char name[DIRSIZ + 1], child[FS_PATH_MAX];
	struct stat st;
	memcpy(name, de->name, DIRSIZ);
	name[DIRSIZ] = '\0';
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return;
	if (snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ? path : "", name) >=
	    (int)sizeof(child))
		return;
	if (stat(child, &st) < 0) {
		walk.errors++;
		return;
	}
	if (st.type == T_DIR) {
		if (depth < MAX_DEPTH && !visited(st.ino))
			walk_dir(child, depth + 1);
	} else if (st.type == T_FILE) {
		walk.files++;
		read_whole(child);
		if (walk.nfound < DAMAGE_FILES)
			strcpy(walk.found[walk.nfound++], child);
	} else {
		walk.others++;                 /* a device (the console would wait for input) */
	}
}

/* Walk the whole tree from "/"; print what it saw. */
static void walk_tree(const char *when)
{
	struct stat st;
	memset(&walk, 0, sizeof(walk));
	if (stat("/", &st) == 0)
		visited(st.ino);
	walk_dir("/", 0);
	printf("fscorrupt: walk %s: %d directories, %d files (%ld bytes), %d others, %d errors\n",
	       when, walk.dirs, walk.files, walk.bytes, walk.others, walk.errors);
}

/* Refused: file calls fail cleanly. Mounted: the console works through the fs server. */
static void test_file_calls(void)
{
	char buf[4];
	int fds[2];
	if (mounted()) {
		CHECK_EQ(write(1, "fscorrupt: the fs server answers\n", 33), 33);
		return;
	}
	CHECK_EQ(open("/init", FS_O_RDONLY), -1);
	CHECK_EQ(read(0, buf, 1), -1);
	CHECK_EQ(pipe(fds), -1);
	CHECK_EQ(mkdir("/d"), -1);
	CHECK_EQ(unlink("/init"), -1);
	char *argv[] = { "echo", NULL };
	CHECK_EQ(exec("echo", argv), -1);
}

/* Walk "/" recursively: every directory read, every file stat-ed and read. */
static void test_walk_tree(void)
{
	if (mounted())
		walk_tree("before writing");
}

/* Fill chunk with a pattern for offset off. */
static void pattern(int off)
{
	for (int i = 0; i < CHUNK; i++)
		chunk[i] = (char)((off + i) * 29 + (off + i) / 509);
}

/* Create, write, read back, link and unlink a file and a directory; any result goes. */
static void test_create_write_unlink(void)
{
	if (!mounted())
		return;
	int fd = open("/fscorrupt.f", FS_O_CREATE | FS_O_RDWR | FS_O_TRUNC), written = 0, same = 0;
	if (fd >= 0) {
		for (int off = 0; off < 3 * CHUNK; off += CHUNK) {
			pattern(off);
			written += write(fd, chunk, CHUNK) == CHUNK;
		}
		close(fd);
	}
	if ((fd = open("/fscorrupt.f", FS_O_RDONLY)) >= 0) {
		for (int off = 0; off < 3 * CHUNK; off += CHUNK) {
			static char want[CHUNK];
			pattern(off);
			memcpy(want, chunk, CHUNK);
			same += read(fd, chunk, CHUNK) == CHUNK && memcmp(chunk, want, CHUNK) == 0;
		}
		close(fd);
	}
	int linked = link("/fscorrupt.f", "/fscorrupt.l");
	int dir = mkdir("/fscorrupt.d");
	int inner = open("/fscorrupt.d/f", FS_O_CREATE | FS_O_WRONLY);
	if (inner >= 0)
		close(inner);
	int r1 = unlink("/fscorrupt.d/f"), r2 = unlink("/fscorrupt.d");
	int r3 = unlink("/fscorrupt.l"), r4 = unlink("/fscorrupt.f");
	printf("fscorrupt: create %s, %d of 3 chunks written, %d read back; link %d, mkdir %d, "
	       "create in it %s; unlinks %d %d %d %d\n", fd >= 0 ? "ok" : "failed", written, same,
	       linked, dir, inner >= 0 ? "ok" : "failed", r1, r2, r3, r4);
}

/* Overwrite, truncate and unlink damaged files (freeing whatever blocks their inodes name). */
static void test_damage_files(void)
{
	if (!mounted())
		return;
	int truncated = 0, written = 0, unlinked = 0;
	walk_tree("to find files");
	for (int i = 0; i < walk.nfound; i++) {
		const char *path = walk.found[i];
		int fd = open(path, FS_O_WRONLY | (i % 2 ? FS_O_TRUNC : 0));
		if (fd >= 0) {
			truncated += i % 2;
			pattern(i);
			written += write(fd, chunk, CHUNK) == CHUNK;
			close(fd);
		}
		if (i % 4 == 0)
			unlinked += unlink(path) == 0;
	}
	printf("fscorrupt: %d files: %d truncated, %d written, %d unlinked\n", walk.nfound, truncated,
	       written, unlinked);
	int fds[2];
	CHECK_EQ(pipe(fds), 0);                 /* the server still serves */
	CHECK_EQ(write(fds[1], "x", 1), 1);
	CHECK_EQ(read(fds[0], chunk, 1), 1);
	close(fds[0]);
	close(fds[1]);
}

/* Walk the tree again after all that writing. */
static void test_walk_again(void)
{
	if (mounted())
		walk_tree("after writing");
}

/* Exec echo from the damaged disk in a child, killed if it runs too long; any outcome goes. */
static void test_exec_from_disk(void)
{
	if (!mounted())
		return;
	int pid = fork();
	if (pid == 0) {
		char *argv[] = { "echo", "fscorrupt: echo from the damaged disk ran", NULL };
		exec("/echo", argv);
		exit(EXEC_FAILED);
	}
	CHECK(pid > 0);
	int killer = fork();
	if (killer == 0) {
		sleep(EXEC_TICKS);
		kill(pid);
		exit(0);
	}
	CHECK(killer > 0);
	int first_status = -100, second_status = -100;
	int first = wait(&first_status);
	CHECK(first == pid || first == killer);
	if (first == pid)
		kill(killer);                   /* fails if it is just ending by itself */
	CHECK_EQ(wait(&second_status), first == pid ? killer : pid);
	int status = first == pid ? first_status : second_status;
	printf("fscorrupt: exec /echo: %s (status %d)\n",
	       status == 0 ? "ran" : status == EXEC_FAILED ? "refused" :
	       status == EXIT_KILLED ? "killed" : "failed", status);
}

/* Memory, processes and the console still work. */
static void test_memory_and_processes_work(void)
{
	check_system_works("fscorrupt");
}

static const struct test tests[] = {
	{ "file_calls", test_file_calls },
	{ "walk_tree", test_walk_tree },
	{ "create_write_unlink", test_create_write_unlink },
	{ "damage_files", test_damage_files },
	{ "walk_again", test_walk_again },
	{ "exec_from_disk", test_exec_from_disk },
	{ "memory_and_processes_work", test_memory_and_processes_work },
};

/* The value of boot argument `prefix`VALUE, or NULL. */
static const char *boot_arg(int argc, char **argv, const char *prefix)
{
	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], prefix, strlen(prefix)) == 0)
			return argv[i] + strlen(prefix);
	return NULL;
}

int main(int argc, char **argv)
{
	char suite[NAME_MAX_LEN + 16];
	const char *slot = boot_arg(argc, argv, SLOT_ARG), *image = boot_arg(argc, argv, IMAGE_ARG);
	if (image)
		snprintf(suite, sizeof(suite), "fscorrupt/%.*s", NAME_MAX_LEN, image);
	else
		snprintf(suite, sizeof(suite), "fscorrupt/slot%.*s", NAME_MAX_LEN, slot ? slot : "0");
	printf("fscorrupt: virtio slot %s: %s\n", slot ? slot : "0",
	       mounted() ? "the fs server mounted the damaged image" :
	                   "the fs server refused the image (no file system)");
	return run_tests(suite, tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
