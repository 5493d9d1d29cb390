/*
 * Mapped files (mmap, munmap), as the xv6 mmap lab defines them: private
 * mappings read lazily and written privately, shared mappings written
 * back at munmap, exec and exit and shared across fork, the descriptor's
 * mode checked (a shared writable mapping needs a writable descriptor),
 * write-back that does not depend on who opened the file first, files
 * that grow, shrink or fill the disk while mapped, and lengths that wrap;
 * and the pager's reader thread, which reads file pages while the
 * faults that need them wait and others are served (fileread.c).
 * Run by `make test` as the suite "mmaptests" (from the disk, /tests/mmaptests).
 */
#include <string.h>
#include "harness.h"
#include "user.h"
#include "abi/fs.h"
#include "abi/fs_format.h"
#include "abi/pager.h"

#define CHUNK 4096
#define READ_PAGES 96                   /* file_reads_beside_faults: pages of the mapped file */
#define ZERO_ROUNDS 16                  /* ... and rounds of zero-fill faults beside it */
#define ZERO_PAGES 32

/* Is the page at va present (asked of the pager)? */
static int resident(const void *va)
{
	struct msg m = msg_make(PAGER_RESIDENT, (uint64_t)va, 0, 0, 0);
	return (int)pager_request(&m, NULL, 0);
}

/* Make a file of `pages` pages, each page filled with its number's letter. */
static void make_paged_file(const char *path, int pages)
{
	static char page[PAGE_SIZE];
	int fd = open(path, FS_O_CREATE | FS_O_WRONLY | FS_O_TRUNC);
	CHECK(fd >= 0);
	for (int i = 0; i < pages; i++) {
		memset(page, 'A' + i, sizeof(page));
		CHECK_EQ(write(fd, page, PAGE_SIZE), (int)PAGE_SIZE);
	}
	close(fd);
}

/* The first byte of page i of a file. */
static char file_byte(const char *path, int i)
{
	char c = 0;
	int fd = open(path, FS_O_RDONLY);
	struct msg m = msg_make(FS_PREAD, (uint64_t)fd, (uint64_t)i * PAGE_SIZE, 1, 0);
	ipc_call(libsys_fs_tid, &m, NULL, &c, 1);
	close(fd);
	return c;
}

/* A private mapping reads the file lazily, page by page; its writes stay private. */
static void test_mmap_private(void)
{
	make_paged_file("mp", 4);
	int fd = open("mp", FS_O_RDWR);
	char *p = mmap(0, 6 * PAGE_SIZE, MMAP_PROT_READ | MMAP_PROT_WRITE, MMAP_PRIVATE, fd, 0);
	close(fd);                                   /* the mapping keeps the file */
	CHECK(p != (char *)-1);
	CHECK(!resident(p + 2 * PAGE_SIZE));
	CHECK_EQ(p[2 * PAGE_SIZE], 'C');
	CHECK(resident(p + 2 * PAGE_SIZE));
	CHECK(!resident(p + PAGE_SIZE));
	CHECK_EQ(p[5 * PAGE_SIZE], 0);               /* past the end of the file: zeros */
	p[0] = 'x';
	CHECK_EQ(munmap(p, 6 * PAGE_SIZE), 0);
	CHECK_EQ(file_byte("mp", 0), 'A');
	CHECK_EQ(unlink("mp"), 0);
}

/* Child: write into the shared mapping and exit without unmapping. */
static char *shared_map;
static void shared_writer(void)
{
	shared_map[PAGE_SIZE] = 'w';
}

/* A shared mapping's writes reach the file at munmap and at exit, and a forked child shares the pages. */
static void test_mmap_shared(void)
{
	make_paged_file("ms", 3);
	int fd = open("ms", FS_O_RDWR);
	shared_map = mmap(0, 3 * PAGE_SIZE, MMAP_PROT_READ | MMAP_PROT_WRITE, MMAP_SHARED, fd, 0);
	close(fd);
	CHECK(shared_map != (char *)-1);
	CHECK_EQ(shared_map[PAGE_SIZE], 'B');
	CHECK_EQ(run_child(shared_writer), 0);
	CHECK_EQ(shared_map[PAGE_SIZE], 'w');        /* the child wrote the same frame */
	shared_map[0] = 's';
	CHECK_EQ(munmap(shared_map, PAGE_SIZE), 0);  /* the first page only */
	CHECK_EQ(file_byte("ms", 0), 's');
	CHECK_EQ(shared_map[2 * PAGE_SIZE], 'C');
	CHECK_EQ(munmap(shared_map + PAGE_SIZE, 2 * PAGE_SIZE), 0);
	CHECK_EQ(file_byte("ms", 1), 'w');
	CHECK_EQ(unlink("ms"), 0);
}

/* Child: write into a private mapping inherited from the parent. */
static void private_writer(void)
{
	CHECK_EQ(shared_map[0], 'P');
	shared_map[0] = 'c';
}

/* After fork, a private mapping is each process's own. */
static void test_mmap_private_fork(void)
{
	make_paged_file("mf", 1);
	int fd = open("mf", FS_O_RDWR);
	shared_map = mmap(0, PAGE_SIZE, MMAP_PROT_READ | MMAP_PROT_WRITE, MMAP_PRIVATE, fd, 0);
	close(fd);
	shared_map[0] = 'P';
	CHECK_EQ(run_child(private_writer), 0);
	CHECK_EQ(shared_map[0], 'P');
	CHECK_EQ(munmap(shared_map, PAGE_SIZE), 0);
	CHECK_EQ(file_byte("mf", 0), 'A');
	CHECK_EQ(unlink("mf"), 0);
}

/* Child: write to a read-only mapping (must be killed). */
static void readonly_writer(void)
{
	shared_map[0] = 'x';
}

/* Bad mmap and munmap arguments fail; a write to a read-only mapping kills. */
static void test_mmap_errors(void)
{
	make_paged_file("me", 1);
	int fd = open("me", FS_O_RDONLY);
	CHECK(mmap(0, PAGE_SIZE, MMAP_PROT_READ, MMAP_SHARED, 42, 0) == (void *)-1);
	CHECK(mmap(0, PAGE_SIZE, 0, MMAP_SHARED, fd, 0) == (void *)-1);
	CHECK(mmap(0, PAGE_SIZE, MMAP_PROT_READ, 3, fd, 0) == (void *)-1);
	CHECK(mmap(0, 0, MMAP_PROT_READ, MMAP_SHARED, fd, 0) == (void *)-1);
	CHECK(mmap(0, PAGE_SIZE, MMAP_PROT_READ, MMAP_SHARED, fd, 1) == (void *)-1);
	CHECK(mmap(0, PAGE_SIZE, MMAP_PROT_READ, MMAP_SHARED, 0, 0) == (void *)-1);   /* the console */
	shared_map = mmap(0, PAGE_SIZE, MMAP_PROT_READ, MMAP_SHARED, fd, 0);
	CHECK(shared_map != (char *)-1);
	CHECK_EQ(run_child(readonly_writer), EXIT_KILLED);
	CHECK_EQ(munmap(shared_map + PAGE_SIZE, PAGE_SIZE), -1);
	CHECK_EQ(munmap((char *)sbrk(0), PAGE_SIZE), -1);
	CHECK_EQ(munmap(shared_map, PAGE_SIZE), 0);
	close(fd);
	CHECK_EQ(unlink("me"), 0);
}

/* Write n bytes of buf at offset off of fd (FS_PWRITE); bytes written, or a negative error. */
static long pwrite_at(int fd, uint64_t off, const void *buf, uint64_t n)
{
	struct msg m = msg_make(FS_PWRITE, (uint64_t)fd, off, 0, 0);
	return fs_request(&m, buf, n, NULL, 0);
}

/* The size of a file, or -1. */
static long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) < 0 ? -1 : (long)st.size;
}

/* A mapping needs a readable fd; a shared writable one a writable fd too; a private one may be written anyway. */
static void test_mmap_fd_modes(void)
{
	make_paged_file("mm", 1);
	int ro = open("mm", FS_O_RDONLY), wo = open("mm", FS_O_WRONLY), rw = open("mm", FS_O_RDWR);
	CHECK(mmap(0, PAGE_SIZE, MMAP_PROT_READ | MMAP_PROT_WRITE, MMAP_SHARED, ro, 0) == (void *)-1);
	CHECK(mmap(0, PAGE_SIZE, MMAP_PROT_WRITE, MMAP_SHARED, ro, 0) == (void *)-1);
	CHECK(mmap(0, PAGE_SIZE, MMAP_PROT_READ, MMAP_SHARED, wo, 0) == (void *)-1);
	CHECK(mmap(0, PAGE_SIZE, MMAP_PROT_READ | MMAP_PROT_WRITE, MMAP_SHARED, wo, 0) == (void *)-1);
	CHECK(mmap(0, PAGE_SIZE, MMAP_PROT_READ, MMAP_PRIVATE, wo, 0) == (void *)-1);
	char *p = mmap(0, PAGE_SIZE, MMAP_PROT_READ | MMAP_PROT_WRITE, MMAP_PRIVATE, ro, 0);
	CHECK(p != (char *)-1);
	CHECK_EQ(p[0], 'A');
	p[0] = 'p';                                  /* private: never goes back */
	CHECK_EQ(munmap(p, PAGE_SIZE), 0);
	p = mmap(0, PAGE_SIZE, MMAP_PROT_READ, MMAP_SHARED, ro, 0);
	CHECK(p != (char *)-1);
	CHECK_EQ(p[1], 'A');
	CHECK_EQ(munmap(p, PAGE_SIZE), 0);
	p = mmap(0, PAGE_SIZE, MMAP_PROT_WRITE, MMAP_SHARED, rw, 0);   /* write alone maps read-write */
	CHECK(p != (char *)-1);
	CHECK_EQ(p[2], 'A');
	p[2] = 'w';
	CHECK_EQ(munmap(p, PAGE_SIZE), 0);
	close(ro);
	close(wo);
	close(rw);
	CHECK_EQ(file_byte("mm", 0), 'A');
	char buf[4];
	int fd = open("mm", FS_O_RDONLY);
	CHECK_EQ(read(fd, buf, 3), 3);
	CHECK_EQ(buf[2], 'w');
	close(fd);
	CHECK_EQ(unlink("mm"), 0);
}

/* Only the pager may open a client's file for itself (FS_REOPEN), or name a thread of its own (FS_PAGER_THREAD). */
static void test_reopen_pager_only(void)
{
	int fd = open("mr", FS_O_CREATE | FS_O_RDWR);
	CHECK(fd >= 0);
	struct msg m = msg_make(FS_REOPEN, (uint64_t)sys_gettid(), (uint64_t)fd, FS_O_RDWR, 0);
	CHECK_EQ(fs_request(&m, NULL, 0, NULL, 0), -E_PERM);
	m = msg_make(FS_REOPEN, (uint64_t)sys_gettid(), (uint64_t)fd, FS_O_RDONLY, 0);
	CHECK_EQ(fs_request(&m, NULL, 0, NULL, 0), -E_PERM);
	m = msg_make(FS_REOPEN, (uint64_t)libsys_pager_tid, 0, FS_O_RDONLY, 0);
	CHECK_EQ(fs_request(&m, NULL, 0, NULL, 0), -E_PERM);
	m = msg_make(FS_PAGER_THREAD, (uint64_t)sys_gettid(), 0, 0, 0);   /* nor pass itself off as the pager's */
	CHECK_EQ(fs_request(&m, NULL, 0, NULL, 0), -E_PERM);
	m = msg_make(FS_REOPEN, (uint64_t)sys_gettid(), (uint64_t)fd, FS_O_RDONLY, 0);
	CHECK_EQ(fs_request(&m, NULL, 0, NULL, 0), -E_PERM);
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(close(fd + 1), -1);                 /* no descriptor was made */
	CHECK_EQ(unlink("mr"), 0);
}

/* A shared writable mapping writes back even when the file was first mapped through a read-only fd. */
static void test_mmap_shared_after_readonly_mapping(void)
{
	make_paged_file("mo", 2);
	int ro = open("mo", FS_O_RDONLY), rw = open("mo", FS_O_RDWR);
	char *r = mmap(0, 2 * PAGE_SIZE, MMAP_PROT_READ, MMAP_SHARED, ro, 0);
	CHECK(r != (char *)-1);
	CHECK_EQ(r[0], 'A');
	char *w = mmap(0, 2 * PAGE_SIZE, MMAP_PROT_READ | MMAP_PROT_WRITE, MMAP_SHARED, rw, 0);
	close(ro);
	close(rw);
	CHECK(w != (char *)-1);
	CHECK_EQ(w[PAGE_SIZE], 'B');
	w[PAGE_SIZE] = 'm';
	CHECK_EQ(munmap(w, 2 * PAGE_SIZE), 0);
	CHECK_EQ(file_byte("mo", 1), 'm');
	CHECK_EQ(r[PAGE_SIZE], 'm');                 /* read in after the write-back */
	CHECK_EQ(munmap(r, 2 * PAGE_SIZE), 0);
	CHECK_EQ(unlink("mo"), 0);
}

/* Copy file from to file to; its size. */
static int copy_file(const char *from, const char *to)
{
	static char buf[CHUNK];
	int in = open(from, FS_O_RDONLY), out = open(to, FS_O_CREATE | FS_O_WRONLY | FS_O_TRUNC);
	int n, total = 0;
	CHECK(in >= 0 && out >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		CHECK_EQ(write(out, buf, n), n);
		total += n;
	}
	close(in);
	close(out);
	return total;
}

/* Child: run program path with stdin from pipe in and stdout to pipe out. */
static int spawn_filter(const char *path, int in[2], int out[2])
{
	int pid = fork();
	if (pid == 0) {
		close(0);
		CHECK_EQ(dup(in[0]), 0);
		close(1);
		CHECK_EQ(dup(out[1]), 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		char *argv[] = { (char *)path, NULL };
		exec(path, argv);
		exit(1);
	}
	close(in[0]);
	close(out[1]);
	return pid;
}

/* A shared writable mapping of a program file that is running writes back. */
static void test_mmap_shared_while_exec(void)
{
	int in[2], out[2], status = -100;
	char c = 0;
	int size = copy_file("/cat", "mcat");
	CHECK_EQ(pipe(in), 0);
	CHECK_EQ(pipe(out), 0);
	int pid = spawn_filter("mcat", in, out);
	CHECK_EQ(write(in[1], "x", 1), 1);
	CHECK_EQ(read(out[0], &c, 1), 1);            /* mcat runs: the pager holds its image */
	CHECK_EQ(c, 'x');
	int fd = open("mcat", FS_O_RDWR);
	char *p = mmap(0, (size_t)size, MMAP_PROT_READ | MMAP_PROT_WRITE, MMAP_SHARED, fd, 0);
	close(fd);
	CHECK(p != (char *)-1);
	char last = (char)~p[size - 1];              /* section headers: not loaded */
	p[size - 1] = last;
	CHECK_EQ(munmap(p, (size_t)size), 0);
	fd = open("mcat", FS_O_RDONLY);
	struct msg m = msg_make(FS_PREAD, (uint64_t)fd, (uint64_t)size - 1, 1, 0);
	CHECK_EQ(fs_request(&m, NULL, 0, &c, 1), 1);
	close(fd);
	CHECK_EQ(c, last);
	close(in[1]);                                /* end of input: mcat exits */
	CHECK_EQ(read(out[0], &c, 1), 0);
	close(out[0]);
	CHECK_EQ(wait(&status), pid);
	CHECK_EQ(status, 0);
	CHECK_EQ(unlink("mcat"), 0);
}

/* munmap says when the write-back failed: a page of a hole written back on a full disk. */
static void test_mmap_write_back_fails(void)
{
	static char chunk[2 * CHUNK];
	int fd = open("mh", FS_O_CREATE | FS_O_RDWR | FS_O_TRUNC);
	CHECK_EQ(pwrite_at(fd, 2 * PAGE_SIZE - 1, "e", 1), 1);    /* the first page is a hole */
	char *p = mmap(0, 2 * PAGE_SIZE, MMAP_PROT_READ | MMAP_PROT_WRITE, MMAP_SHARED, fd, 0);
	close(fd);
	CHECK(p != (char *)-1);
	CHECK_EQ(p[2 * PAGE_SIZE - 1], 'e');
	p[0] = 'h';
	fd = open("mfull", FS_O_CREATE | FS_O_WRONLY | FS_O_TRUNC);
	while (write(fd, chunk, sizeof(chunk)) == (int)sizeof(chunk))
		;                                    /* fill the disk */
	close(fd);
	int unmapped = munmap(p, 2 * PAGE_SIZE);
	CHECK_EQ(unlink("mfull"), 0);                /* the disk back first, whatever happened */
	CHECK_EQ(unmapped, -1);
	CHECK(!resident(p));                         /* unmapped all the same */
	CHECK_EQ(file_byte("mh", 0), 0);
	CHECK_EQ(unlink("mh"), 0);
}

/* A file the pager already holds is mapped with its size now: a grown part reads and writes back. */
static void test_mmap_file_grown(void)
{
	static char page[PAGE_SIZE];
	make_paged_file("mg", 1);
	int fd = open("mg", FS_O_RDWR);
	char *a = mmap(0, PAGE_SIZE, MMAP_PROT_READ, MMAP_SHARED, fd, 0);
	CHECK(a != (char *)-1);
	CHECK_EQ(a[0], 'A');
	memset(page, 'B', sizeof(page));
	CHECK_EQ(pwrite_at(fd, PAGE_SIZE, page, PAGE_SIZE), PAGE_SIZE);
	char *b = mmap(0, 2 * PAGE_SIZE, MMAP_PROT_READ | MMAP_PROT_WRITE, MMAP_SHARED, fd, 0);
	close(fd);
	CHECK(b != (char *)-1);
	CHECK_EQ(b[PAGE_SIZE], 'B');
	b[PAGE_SIZE] = 'g';
	CHECK_EQ(munmap(b, 2 * PAGE_SIZE), 0);
	CHECK_EQ(file_byte("mg", 1), 'g');
	CHECK_EQ(munmap(a, PAGE_SIZE), 0);
	CHECK_EQ(unlink("mg"), 0);
}

/* Lengths that wrap around the address space fail and change nothing. */
static void test_mmap_lengths_wrap(void)
{
	make_paged_file("mw", 3);
	int fd = open("mw", FS_O_RDWR);
	CHECK(mmap(0, (size_t)-1, MMAP_PROT_READ, MMAP_SHARED, fd, 0) == (void *)-1);
	CHECK(mmap(0, (size_t)-PAGE_SIZE, MMAP_PROT_READ, MMAP_SHARED, fd, 0) == (void *)-1);
	char *p = mmap(0, 3 * PAGE_SIZE, MMAP_PROT_READ | MMAP_PROT_WRITE, MMAP_SHARED, fd, 0);
	close(fd);
	CHECK(p != (char *)-1);
	p[0] = 'w';
	CHECK_EQ(munmap(p, (size_t)-PAGE_SIZE), -1);
	CHECK_EQ(munmap(p, (size_t)-1), -1);
	CHECK_EQ(munmap(p + PAGE_SIZE, (size_t)-PAGE_SIZE), -1);
	CHECK_EQ(munmap(p + 2 * PAGE_SIZE, (size_t)-2 * PAGE_SIZE), -1);
	CHECK_EQ(munmap(p, 4 * PAGE_SIZE), -1);      /* past the mapping */
	CHECK_EQ(munmap(p + PAGE_SIZE, PAGE_SIZE), -1);   /* a hole in the middle */
	CHECK(resident(p));
	CHECK_EQ(p[0], 'w');
	CHECK_EQ(p[2 * PAGE_SIZE], 'C');
	CHECK_EQ(munmap(p, 3 * PAGE_SIZE), 0);
	CHECK_EQ(file_byte("mw", 0), 'w');
	CHECK_EQ(unlink("mw"), 0);
}

/* Write-back stops at the file's end now: a file truncated while mapped stays short. */
static void test_mmap_file_truncated(void)
{
	make_paged_file("mt", 2);
	int fd = open("mt", FS_O_RDWR);
	char *p = mmap(0, 2 * PAGE_SIZE, MMAP_PROT_READ | MMAP_PROT_WRITE, MMAP_SHARED, fd, 0);
	close(fd);
	CHECK(p != (char *)-1);
	p[0] = 't';
	p[PAGE_SIZE] = 't';
	CHECK_EQ(close(open("mt", FS_O_WRONLY | FS_O_TRUNC)), 0);
	CHECK_EQ(munmap(p, 2 * PAGE_SIZE), 0);
	CHECK_EQ(file_size("mt"), 0);
	make_paged_file("mt", 2);
	fd = open("mt", FS_O_RDWR);
	p = mmap(0, 2 * PAGE_SIZE, MMAP_PROT_READ | MMAP_PROT_WRITE, MMAP_SHARED, fd, 0);
	close(fd);
	p[0] = 'u';
	p[PAGE_SIZE] = 'u';
	make_paged_file("mt", 1);                    /* truncated and written again: one page */
	CHECK_EQ(munmap(p, 2 * PAGE_SIZE), 0);
	CHECK_EQ(file_size("mt"), PAGE_SIZE);
	CHECK_EQ(file_byte("mt", 0), 'u');
	CHECK_EQ(unlink("mt"), 0);
}

static int report_fd;                  /* where file_reader writes how many of its faults waited */

/* Map READ_PAGES pages of file "fr" privately, read-only; the address (the file stays open in the mapping). */
static const char *map_reader_file(void)
{
	int fd = open("fr", FS_O_RDONLY);
	CHECK(fd >= 0);
	char *p = mmap(0, READ_PAGES * PAGE_SIZE, MMAP_PROT_READ, MMAP_PRIVATE, fd, 0);
	close(fd);
	CHECK(p != (char *)-1);
	return p;
}

/* Child: read every page of the mapped file (each read by the reader thread while the fault waits); report the waits. */
static void file_reader(void)
{
	const char *p = map_reader_file();
	for (int i = 0; i < READ_PAGES; i++)
		CHECK(p[i * PAGE_SIZE] == (char)('A' + i) && p[i * PAGE_SIZE + PAGE_SIZE - 1] == (char)('A' + i));
	uint64_t waited = pager_stats_of(getpid()).swap_waits;
	CHECK_EQ(write(report_fd, &waited, sizeof(waited)), (int)sizeof(waited));
}

/* Child: zero-fill faults in rounds, each page read zero; none of them waits for the disk. */
static void zero_filler(void)
{
	for (int r = 0; r < ZERO_ROUNDS; r++) {
		char *base = sbrk((int)(ZERO_PAGES * PAGE_SIZE));
		CHECK(base != (char *)-1);
		for (int i = 0; i < ZERO_PAGES; i++) {
			CHECK_EQ(base[i * PAGE_SIZE], 0);
			base[i * PAGE_SIZE] = 1;
		}
		CHECK(sbrk(-(int)(ZERO_PAGES * PAGE_SIZE)) != (char *)-1);
	}
	CHECK_EQ(pager_stats_of(getpid()).swap_waits, 0);
}

/* File pages are read while their faults wait, beside another process's zero-fill faults, which never wait. */
static void test_file_reads_beside_faults(void)
{
	int fds[2];
	make_paged_file("fr", READ_PAGES);
	CHECK_EQ(pipe(fds), 0);
	report_fd = fds[1];
	int reader = spawn_child(file_reader), filler = spawn_child(zero_filler);
	for (int i = 0; i < 2; i++) {                 /* in the order they end */
		int status = -1, pid = wait(&status);
		CHECK(pid == reader || pid == filler);
		CHECK_EQ(status, 0);
	}
	uint64_t waited = 0;
	CHECK_EQ(read(fds[0], &waited, sizeof(waited)), (int)sizeof(waited));
	CHECK(waited >= READ_PAGES);                  /* every page: a read the fault waited for */
	close(fds[0]);
	close(fds[1]);
	CHECK_EQ(unlink("fr"), 0);
}

/* Child: map the file and read it, again and again, each time afresh. */
static void endless_file_reader(void)
{
	for (;;) {
		const char *p = map_reader_file();
		for (int i = 0; i < READ_PAGES; i++)
			CHECK_EQ(p[i * PAGE_SIZE], (char)('A' + i));
		CHECK_EQ(munmap((void *)p, READ_PAGES * PAGE_SIZE), 0);
	}
}

/* Processes killed while their file reads are under way: nothing is lost (the harness counts the frames). */
static void test_kill_during_file_read(void)
{
	make_paged_file("fr", READ_PAGES);
	for (int i = 0; i < 4; i++) {
		int pid = spawn_child(endless_file_reader);
		sleep(1 + i % 2);
		CHECK_EQ(kill(pid), 0);
		reap_child(pid, EXIT_KILLED);
	}
	sleep(1);                                     /* the last reads finish for nobody */
	CHECK_EQ(unlink("fr"), 0);
}

static const struct test tests[] = {
	{ "mmap_private", test_mmap_private },
	{ "mmap_shared", test_mmap_shared },
	{ "mmap_private_fork", test_mmap_private_fork },
	{ "mmap_errors", test_mmap_errors },
	{ "mmap_fd_modes", test_mmap_fd_modes },
	{ "reopen_pager_only", test_reopen_pager_only },
	{ "mmap_shared_after_readonly_mapping", test_mmap_shared_after_readonly_mapping },
	{ "mmap_shared_while_exec", test_mmap_shared_while_exec },
	{ "mmap_write_back_fails", test_mmap_write_back_fails },
	{ "mmap_file_grown", test_mmap_file_grown },
	{ "mmap_lengths_wrap", test_mmap_lengths_wrap },
	{ "mmap_file_truncated", test_mmap_file_truncated },
	{ "file_reads_beside_faults", test_file_reads_beside_faults },
	{ "kill_during_file_read", test_kill_during_file_read },
};

int main(int argc, char **argv)
{
	return run_tests("mmaptests", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
