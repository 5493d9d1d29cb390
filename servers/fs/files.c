/*
 * Open files and the requests on them. Each client (a process, known by
 * its thread id) has a table of FS_MAX_FDS descriptors (the pager:
 * FS_PAGER_FDS, for the files it pages from) and a current
 * directory; a descriptor points at an open file (an inode with an
 * offset, a pipe end, or the console), which dup and fork share, offset
 * included, as in xv6. The pager creates, copies and ends the tables
 * (FS_SPAWN, FS_FORK, FS_EXIT) and opens clients' files for mmap
 * (FS_REOPEN) and takes the console's ^C and ^P (FS_CONSOLE_EVENTS,
 * console.c); no one else may. Any client may name the console's
 * foreground group (FS_CONSOLE_FG): the shell does, for each job.
 *
 * A read of an empty pipe or of the console before a line is typed, and
 * a write to a full pipe, are not answered at once: the request waits in
 * a small table, and is tried again whenever a pipe changes or the
 * console gets a line. A waiting write is answered "0 bytes, try again"
 * (libsys resends the rest), so the server never holds a writer's data.
 *
 * Table shares. The last FILE_RESERVE free open files are kept for the
 * pager and for clients whose descriptors hold few open files: a client
 * may take `need` new ones (open 1, pipe 2) only if it would then hold
 * at most FILE_FEW (each open file counted once), or if FILE_RESERVE
 * stay free after; else -E_NOMEM. A client comes to hold an open file
 * only by making it or by inheriting it at fork, so after the table last
 * had FILE_RESERVE free, each client has come to hold at most FILE_FEW
 * of the open files made since and the pager at most its FS_PAGER_FDS:
 * the reserve, FS_MAX_PROCS * FILE_FEW + FS_PAGER_FDS, outlasts them all.
 * The same rule guards the inode table (inode.c: a path request) and the
 * pipes (pipe.c); the server keeps tables for at most FS_MAX_PROCS
 * clients besides the pager, so the reserves hold however many
 * processes take part.
 */
#include <string.h>
#include "fsserver.h"
#include "sys.h"

#define FILE_FEW 4                     /* open files a client may hold and still draw on the reserve */
#define FILE_SHARED 128                /* open files anyone may take */
#define FILE_RESERVE (FS_MAX_PROCS * FILE_FEW + FS_PAGER_FDS)
#define MAX_FILES 448                  /* FILE_SHARED + FILE_RESERVE; xv6's NFILE (kernel/param.h) */
#define MAX_CLIENTS MAX_THREADS
#define MAX_WAITING 64
#define PIPE_FILES 2                   /* open files a pipe takes: its two ends */

enum file_type { FILE_FREE, FILE_INODE, FILE_PIPE, FILE_CONSOLE };

struct file {
	enum file_type type;
	int refs;                      /* descriptors sharing it */
	int readable, writable;
	struct inode *ip;              /* FILE_INODE, FILE_CONSOLE (may be NULL) */
	uint32_t off;                  /* FILE_INODE */
	struct pipe *pipe;             /* FILE_PIPE */
};

struct client {
	int64_t tid;                   /* 0 = free */
	int nfds;                      /* FS_MAX_FDS, or FS_PAGER_FDS for the pager */
	struct file **fds;             /* own_fds, or pager_fds for the pager */
	struct file *own_fds[FS_MAX_FDS];
	struct inode *cwd;
};

struct waiting {
	int64_t tid;                   /* 0 = free */
	struct file *file;
	uint64_t label, want;          /* FS_READ or FS_WRITE; bytes asked for */
};

_Static_assert(MAX_FILES == FILE_SHARED + FILE_RESERVE, "the open-file table is its shared part and its reserve");

static struct file files[MAX_FILES];
static int files_used;
static struct client clients[MAX_CLIENTS];
static struct file *pager_fds[FS_PAGER_FDS];
static int nclients;                   /* clients besides the pager */
static struct waiting waiting[MAX_WAITING];
static char retry_buf[IPC_BUF_MAX];

/* The client table of tid, or NULL. */
static struct client *client_of(int64_t tid)
{
	struct client *c = &clients[tid % MAX_CLIENTS];
	return tid > 0 && c->tid == tid ? c : NULL;
}

/* The open file behind fd of client c, or NULL. */
static struct file *file_of(struct client *c, uint64_t fd)
{
	return fd < (uint64_t)c->nfds ? c->fds[fd] : NULL;
}

/* A free open-file slot with one reference, or NULL. */
static struct file *file_alloc(enum file_type type, int readable, int writable)
{
	for (int i = 0; i < MAX_FILES; i++)
		if (files[i].type == FILE_FREE) {
			memset(&files[i], 0, sizeof(files[i]));
			files[i].type = type;
			files[i].refs = 1;
			files[i].readable = readable;
			files[i].writable = writable;
			files_used++;
			return &files[i];
		}
	return NULL;
}

/* Give f's slot back (its inode or pipe already let go). */
static void file_free(struct file *f)
{
	f->type = FILE_FREE;
	files_used--;
}

/* Drop one reference; the last closes the inode or pipe end. */
static void file_put(struct file *f)
{
	if (--f->refs > 0)
		return;
	if (f->type == FILE_PIPE)
		pipe_close(f->pipe, f->writable);
	if (f->ip)
		inode_put(f->ip);
	file_free(f);
	files_retry_waiting();         /* a pipe end closing may end a wait */
}

static int64_t pager_threads[FS_PAGER_THREADS];   /* the pager's other threads (FS_PAGER_THREAD) */

/* From now on treat tid, another thread of the pager's, as the pager: 0, or -E_NOMEM when FS_PAGER_THREADS are named. */
static int64_t pager_thread_add(int64_t tid)
{
	for (int i = 0; i < FS_PAGER_THREADS; i++) {
		if (!pager_threads[i] || pager_threads[i] == tid) {
			pager_threads[i] = tid;
			return 0;
		}
	}
	return -E_NOMEM;
}

/* Whose request is it: the pager's if tid is one of the pager's threads, else tid's own. */
static int64_t client_tid(int64_t tid)
{
	for (int i = 0; i < FS_PAGER_THREADS && pager_threads[i]; i++)
		if (pager_threads[i] == tid)
			return libsys_pager_tid;
	return tid;
}

/* Is c the pager's table? */
static int is_pager(const struct client *c)
{
	return c->tid == libsys_pager_tid;
}

/* Is f among c's descriptors below fd? */
static int file_seen(const struct client *c, int fd, const struct file *f)
{
	for (int k = 0; k < fd; k++)
		if (c->fds[k] == f)
			return 1;
	return 0;
}

/* How many open files c's descriptors hold, each counted once. */
static int files_held(const struct client *c)
{
	int n = 0;
	for (int fd = 0; fd < c->nfds; fd++)
		n += c->fds[fd] && !file_seen(c, fd, c->fds[fd]);
	return n;
}

/* The pipe f is an end of, or NULL. */
static const struct pipe *pipe_of(const struct file *f)
{
	return f && f->type == FILE_PIPE ? f->pipe : NULL;
}

/* Is p a pipe one of c's descriptors below fd is an end of? */
static int pipe_seen(const struct client *c, int fd, const struct pipe *p)
{
	for (int k = 0; k < fd; k++)
		if (pipe_of(c->fds[k]) == p)
			return 1;
	return 0;
}

/* How many pipes c's descriptors are ends of, each counted once. */
static int pipes_held(const struct client *c)
{
	int n = 0;
	for (int fd = 0; fd < c->nfds; fd++) {
		const struct pipe *p = pipe_of(c->fds[fd]);
		n += p && !pipe_seen(c, fd, p);
	}
	return n;
}

/* Is ip c's cwd or the inode of one of c's descriptors below fd? */
static int inode_seen(const struct client *c, int fd, const struct inode *ip)
{
	for (int k = 0; k < fd; k++)
		if (c->fds[k] && c->fds[k]->ip == ip)
			return 1;
	return c->cwd == ip;
}

/* How many in-memory inodes c holds: its cwd and its open files' inodes, each counted once. */
static uint32_t inodes_held(const struct client *c)
{
	uint32_t n = c->cwd != NULL;
	for (int fd = 0; fd < c->nfds; fd++) {
		struct inode *ip = c->fds[fd] ? c->fds[fd]->ip : NULL;
		n += ip && !inode_seen(c, fd, ip);
	}
	return n;
}

/* May c take `need` new open files: the pager, a client that would hold few, or the reserve stays free? */
static int file_share_ok(const struct client *c, int need)
{
	return is_pager(c) || MAX_FILES - files_used - need >= FILE_RESERVE ||
	       files_held(c) + need <= FILE_FEW;
}

/* Put f in c's lowest free descriptor; the fd, or -E_NOMEM (f is then released). */
static int64_t fd_install(struct client *c, struct file *f)
{
	for (int fd = 0; fd < c->nfds; fd++)
		if (!c->fds[fd]) {
			c->fds[fd] = f;
			return fd;
		}
	file_put(f);
	return -E_NOMEM;
}

/* Make a table for tid (replacing nothing); with_console puts the console on 0, 1, 2. */
static int64_t client_spawn(int64_t tid, int with_console)
{
	struct client *c = &clients[tid % MAX_CLIENTS];
	int pager = tid == libsys_pager_tid;
	if (tid <= 0 || c->tid)
		return -E_INVAL;
	if (!pager && nclients >= FS_MAX_PROCS)
		return -E_NOMEM;               /* the table shares count on no more */
	memset(c, 0, sizeof(*c));
	if (fs_lookup(NULL, "/", &c->cwd) < 0)
		return -E_NOENT;
	c->tid = tid;
	c->nfds = pager ? FS_PAGER_FDS : FS_MAX_FDS;
	c->fds = pager ? pager_fds : c->own_fds;
	memset(c->fds, 0, (size_t)c->nfds * sizeof(c->fds[0]));
	nclients += !pager;
	struct file *con = with_console ? file_alloc(FILE_CONSOLE, 1, 1) : NULL;
	for (int fd = 0; con && fd < 3; fd++) {
		c->fds[fd] = con;
		con->refs += fd > 0;
	}
	return 0;
}

/* Child shares every open file of parent, and its directory. */
static int64_t client_fork(int64_t parent, int64_t child)
{
	struct client *p = client_of(parent);
	if (!p || client_spawn(child, 0) < 0)
		return -E_INVAL;
	struct client *c = client_of(child);
	inode_put(c->cwd);
	c->cwd = inode_dup(p->cwd);
	for (int fd = 0; fd < p->nfds && fd < c->nfds; fd++)
		if ((c->fds[fd] = p->fds[fd]))
			c->fds[fd]->refs++;
	return 0;
}

/* Forget tid's waiting requests, and the files they held. */
static void waiting_drop(int64_t tid)
{
	for (int i = 0; i < MAX_WAITING; i++)
		if (waiting[i].tid == tid) {
			waiting[i].tid = 0;
			file_put(waiting[i].file);
		}
}

/* Close everything of tid. */
static int64_t client_exit(int64_t tid)
{
	struct client *c = client_of(tid);
	if (!c)
		return -E_NOENT;
	waiting_drop(tid);
	nclients -= !is_pager(c);
	c->tid = 0;
	for (int fd = 0; fd < c->nfds; fd++)
		if (c->fds[fd])
			file_put(c->fds[fd]);
	inode_put(c->cwd);
	return 0;
}

/* A NUL-terminated path from a request buffer, or NULL. */
static const char *path_arg(const char *buf, uint64_t len)
{
	if (len == 0 || len > FS_PATH_MAX || buf[len - 1] != '\0')
		return NULL;
	return buf;
}

/* open(path, flags): a descriptor, or an error. */
static int64_t do_open(struct client *c, const char *path, uint64_t flags)
{
	struct inode *ip;
	int writable = (flags & (FS_O_WRONLY | FS_O_RDWR)) != 0;
	if (!file_share_ok(c, 1))
		return -E_NOMEM;               /* before O_CREATE makes anything */
	int err = (flags & FS_O_CREATE) ? fs_create(c->cwd, path, T_FILE, 0, 0, &ip)
	                                : fs_lookup(c->cwd, path, &ip);
	if (err < 0)
		return err;
	if ((ip->d.type == T_DIR && writable) ||
	    (ip->d.type == T_DEVICE && ip->d.major != CONSOLE_MAJOR)) {
		inode_put(ip);
		return -E_INVAL;
	}
	if ((flags & FS_O_TRUNC) && ip->d.type == T_FILE && (err = fs_truncate(ip)) < 0) {
		inode_put(ip);
		return err;
	}
	enum file_type type = ip->d.type == T_DEVICE ? FILE_CONSOLE : FILE_INODE;
	struct file *f = file_alloc(type, !(flags & FS_O_WRONLY), writable);
	if (!f) {
		inode_put(ip);
		return -E_NOMEM;
	}
	f->ip = ip;
	return fd_install(c, f);
}

/* Read from f into out: bytes, or an error, or a *_WAIT value. */
static int64_t file_read(struct file *f, char *out, uint64_t n, uint64_t off, int positioned)
{
	if (!f->readable)
		return -E_INVAL;
	if (f->type == FILE_PIPE) {
		int64_t r = positioned ? -E_INVAL : pipe_read(f->pipe, out, n);
		if (r > 0)
			files_retry_waiting();      /* room for a waiting writer */
		return r;
	}
	if (f->type == FILE_CONSOLE)
		return positioned ? -E_INVAL : console_read(out, n);
	if (positioned && off > MAXFILE_BYTES)
		return -E_INVAL;                /* past the largest file: not cut to 32 bits */
	int r = fs_read(f->ip, out, positioned ? (uint32_t)off : f->off, (uint32_t)n);
	if (r > 0 && !positioned)
		f->off += (uint32_t)r;
	return r;
}

/* Write data to f: bytes, or an error, or PIPE_WAIT. */
static int64_t file_write(struct file *f, const char *data, uint64_t n, uint64_t off, int positioned)
{
	if (!f->writable)
		return -E_INVAL;
	if (f->type == FILE_PIPE) {
		int64_t r = positioned ? -E_INVAL : pipe_write(f->pipe, data, n);
		if (r > 0)
			files_retry_waiting();      /* data for a waiting reader */
		return r;
	}
	if (f->type == FILE_CONSOLE)
		return positioned ? -E_INVAL : console_write(data, n);
	if (positioned && off > MAXFILE_BYTES)
		return -E_INVAL;                /* past the largest file: not cut to 32 bits */
	int r = fs_write(f->ip, data, positioned ? (uint32_t)off : f->off, (uint32_t)n);
	if (r > 0 && !positioned)
		f->off += (uint32_t)r;
	return r;
}

/* Park a request that cannot be answered yet; REPLY_LATER, or -E_NOMEM. */
static int64_t wait_for(int64_t tid, struct file *f, uint64_t label, uint64_t want)
{
	for (int i = 0; i < MAX_WAITING; i++)
		if (!waiting[i].tid) {
			waiting[i] = (struct waiting){ tid, f, label, want };
			f->refs++;             /* keep the file while the request waits */
			return REPLY_LATER;
		}
	return -E_NOMEM;
}

/* Try one waiting request again; 1 if it was answered. */
static int retry_one(struct waiting *w)
{
	int64_t r;
	if (w->label == FS_READ)
		r = file_read(w->file, retry_buf, w->want, 0, 0);
	else                             /* a writer is told to send again once it can go on */
		r = pipe_full(w->file->pipe) ? PIPE_WAIT : 0;
	if (r == PIPE_WAIT || r == CONSOLE_WAIT)
		return 0;
	uint64_t len = r > 0 ? (uint64_t)r : 0;
	struct msg m = msg_make(0, (uint64_t)r, 0, 0, 0);
	m.tag = TAG(0, len);
	ipc_reply(w->tid, &m, retry_buf);
	return 1;
}

/*
 * Answer every waiting request that can be answered now. Answering one
 * can make another answerable (and calls back here): a nested call only
 * asks the running one for another pass.
 */
void files_retry_waiting(void)
{
	static int running, again;
	if (running) {
		again = 1;
		return;
	}
	running = 1;
	do {
		again = 0;
		for (int i = 0; i < MAX_WAITING; i++) {
			struct waiting *w = &waiting[i];
			if (!w->tid || !retry_one(w))
				continue;
			w->tid = 0;
			file_put(w->file);
		}
	} while (again);
	running = 0;
}

/* fstat: w1 = dev << 32 | inum, w2 = type << 16 | nlink, w3 = size. */
static int64_t do_fstat(struct file *f, struct msg *m)
{
	struct fs_stat st = { 0, 0, 0, 0, 0, 0 };
	int err = f->ip ? fs_stat(f->ip, &st) : 0;
	if (!f->ip)
		st.type = f->type == FILE_CONSOLE ? T_DEVICE : T_FILE;
	m->w[1] = st.inum;
	m->w[2] = (uint64_t)st.type << 16 | st.nlink;
	m->w[3] = st.size;
	return err;
}

/* pipe(): two descriptors, in w1 (read end) and w2 (write end). */
static int64_t do_pipe(struct client *c, struct msg *m)
{
	if (!file_share_ok(c, PIPE_FILES) || !pipe_share_ok(pipes_held(c)))
		return -E_NOMEM;
	struct pipe *p = pipe_alloc();
	struct file *r = p ? file_alloc(FILE_PIPE, 1, 0) : NULL;
	struct file *w = r ? file_alloc(FILE_PIPE, 0, 1) : NULL;
	if (!w) {
		if (r)
			file_free(r);
		if (p) {
			pipe_close(p, 0);
			pipe_close(p, 1);
		}
		return -E_NOMEM;
	}
	r->pipe = w->pipe = p;
	int64_t rfd = fd_install(c, r);
	int64_t wfd = rfd < 0 ? -E_NOMEM : fd_install(c, w);
	if (rfd < 0 || wfd < 0) {
		if (rfd >= 0) {
			c->fds[rfd] = NULL;
			file_put(r);
		} else {
			file_put(w);
		}
		return -E_NOMEM;
	}
	m->w[1] = (uint64_t)rfd;
	m->w[2] = (uint64_t)wfd;
	return 0;
}

/* chdir(path). */
static int64_t do_chdir(struct client *c, const char *path)
{
	struct inode *ip;
	int err = fs_lookup(c->cwd, path, &ip);
	if (err < 0)
		return err;
	if (ip->d.type != T_DIR) {
		inode_put(ip);
		return -E_INVAL;
	}
	inode_put(c->cwd);
	c->cwd = ip;
	return 0;
}

/* link("old\0new\0"). */
static int64_t do_link(struct client *c, const char *buf, uint64_t len)
{
	size_t first = strnlen(buf, len);
	if (first + 1 >= len || first + 1 > FS_PATH_MAX)
		return -E_INVAL;
	const char *second = path_arg(buf + first + 1, len - first - 1);
	return second ? fs_link(c->cwd, buf, second) : -E_INVAL;
}

/*
 * The pager opens a client's open disk file afresh, to page a mapping
 * from it: a new open file of the same inode (its own offset), readable,
 * and writable if mode is FS_O_RDWR. The client's descriptor must allow
 * as much: a mapping reads, and a shared writable one writes back.
 * The pager's new fd, or an error.
 */
static int64_t reopen(int64_t pager, int64_t tid, uint64_t fd, uint64_t mode)
{
	struct client *c = client_of(tid), *p = client_of(pager);
	struct file *f = c && p ? file_of(c, fd) : NULL;
	int writable = mode == FS_O_RDWR;
	if (!f || f->type != FILE_INODE || (mode != FS_O_RDONLY && !writable))
		return -E_INVAL;
	if (!f->readable || (writable && !f->writable))
		return -E_PERM;
	struct file *mine = file_alloc(FILE_INODE, 1, writable);
	if (!mine)
		return -E_NOMEM;
	mine->ip = inode_dup(f->ip);
	return fd_install(p, mine);
}

/* The pager's requests: start, fork and end of processes, and opening a client's file for mmap. */
static int64_t pager_request_fs(int64_t pager, uint64_t label, const uint64_t *w)
{
	switch (label) {
	case FS_SPAWN: return client_spawn((int64_t)w[0], w[1] != 0);
	case FS_FORK: return client_fork((int64_t)w[0], (int64_t)w[1]);
	case FS_EXIT: return client_exit((int64_t)w[0]);
	case FS_REOPEN: return reopen(pager, (int64_t)w[0], w[1], w[2]);
	case FS_PAGER_THREAD: return pager_thread_add((int64_t)w[0]);
	default: return -E_NOSYS;
	}
}

/* Requests that name a path (in the buffer). */
static int64_t path_request(struct client *c, uint64_t label, const uint64_t *w, const char *buf,
                            uint64_t len)
{
	const char *path = path_arg(buf, len);
	if (!path && label != FS_LINK)
		return -E_INVAL;
	if (!is_pager(c) && !inode_share_ok(inodes_held(c)))
		return -E_NOMEM;               /* the inode reserve is for clients holding few */
	if (label == FS_LINK)
		return do_link(c, buf, len);
	switch (label) {
	case FS_OPEN: return do_open(c, path, w[0]);
	case FS_UNLINK: return fs_unlink(c->cwd, path);
	case FS_MKDIR: return fs_mkdir(c->cwd, path);
	case FS_CHDIR: return do_chdir(c, path);
	case FS_MKNOD: {
		struct inode *ip;
		int err = fs_create(c->cwd, path, T_DEVICE, (int)w[0], (int)w[1], &ip);
		if (err >= 0)
			inode_put(ip);
		return err < 0 ? err : 0;
	}
	default: return -E_NOSYS;
	}
}

/* Requests on a descriptor; read data goes to reply, its length to *reply_len. */
static int64_t fd_request(int64_t tid, struct client *c, struct msg *m, const char *buf,
                          uint64_t len, char *reply, uint64_t *reply_len)
{
	uint64_t label = TAG_LABEL(m->tag), fd = m->w[0];
	struct file *f = file_of(c, fd);
	uint64_t want = 0;
	int64_t r;
	if (!f)
		return -E_INVAL;
	switch (label) {
	case FS_READ:
		want = m->w[1] < IPC_BUF_MAX ? m->w[1] : IPC_BUF_MAX;
		r = file_read(f, reply, want, 0, 0);
		break;
	case FS_PREAD:
		want = m->w[2] < IPC_BUF_MAX ? m->w[2] : IPC_BUF_MAX;
		r = file_read(f, reply, want, m->w[1], 1);
		break;
	case FS_WRITE:
	case FS_PWRITE:
		r = file_write(f, buf, len, m->w[1], label == FS_PWRITE);
		break;
	case FS_CLOSE:
		c->fds[fd] = NULL;
		file_put(f);
		return 0;
	case FS_DUP:
		f->refs++;
		return fd_install(c, f);
	case FS_FSTAT:
		return do_fstat(f, m);
	default:
		return -E_NOSYS;
	}
	if (r == PIPE_WAIT || r == CONSOLE_WAIT)
		return wait_for(tid, f, label, want);
	*reply_len = label == FS_READ || label == FS_PREAD ? (r > 0 ? (uint64_t)r : 0) : 0;
	return r;
}

/*
 * Handle request m from tid, with request data buf[0..len). The result
 * goes in the reply's w[0] (the rest of *m may be set too); read data is
 * put in reply. Returns REPLY_LATER if the request waits.
 */
int64_t files_request(int64_t tid, struct msg *m, char *buf, uint64_t len, char *reply,
                      uint64_t *reply_len)
{
	tid = client_tid(tid);
	uint64_t label = TAG_LABEL(m->tag);
	struct client *c = client_of(tid);
	*reply_len = 0;
	if (label == FS_CONSOLE_EVENTS && tid == libsys_pager_tid) {
		int dump = 0;
		int64_t pgid = console_take_events(&dump);
		m->w[1] = (uint64_t)dump;
		return pgid;
	}
	if (label >= FS_SPAWN && label <= FS_PAGER_THREAD)
		return tid == libsys_pager_tid ? pager_request_fs(tid, label, m->w) : -E_PERM;
	if (!c)
		return -E_PERM;
	switch (label) {
	case FS_CONSOLE_FG:
		return m->w[0] <= INT32_MAX ? console_set_foreground((int)m->w[0]) : -E_INVAL;
	case FS_OPEN: case FS_LINK: case FS_UNLINK: case FS_MKDIR: case FS_CHDIR: case FS_MKNOD:
		return path_request(c, label, m->w, buf, len);
	case FS_PIPE:
		return do_pipe(c, m);
	default:
		return fd_request(tid, c, m, buf, len, reply, reply_len);
	}
}
