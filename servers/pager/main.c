/*
 * The pager: root task and memory manager. It takes the frames and the
 * boot archive from the boot-information page, starts the first program
 * (boot argument run=NAME, default "init") and then serves messages
 * forever: FAULT and EXCEPTION from the kernel, requests from processes,
 * and timer notifications for sleep().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pager.h"
#include "sys.h"
#include "abi/bootinfo.h"
#include "abi/pager.h"

#define DEFAULT_INIT "init"
#define MIN_FRAMES 100                /* pager.frames below this cannot boot the servers */
#define ZERO_POOL 4096                /* frames to keep zeroed ahead of zero-fill faults */
#define ZERO_BATCH 64                 /* frames zeroed per idle notification */
#define FS_SERVER "fs"
#define POLICY_ARG "pager.policy="
#define TEST_HOOKS_ARG "pager.test_hooks=1"  /* kill may end a server; damage injection; kernel probes */
#define CHECK_FAULTS_ARG "pager.check_faults=1"  /* the state checker after every fault */
#define FRAMES_ARG "pager.frames="
#define ZERO_POOL_ARG "pager.zero_pool="   /* frames to keep zeroed in idle time (0: none) */
#define MAX_BOOT_ARGS START_MAX_ARGS

HOT_DATA struct stats stats;
int pager_test_hooks;
int64_t pager_tid;
uint64_t root_space;
static char request_buf[IPC_BUF_MAX];
static char *boot_argv[MAX_BOOT_ARGS + 1];
static int boot_argc;
void _libsys_start(const struct bootinfo *bi, uint64_t sp);

/* Reply now to a thread whose request was deferred. */
void reply_later(int64_t tid, struct msg *m)
{
	ipc_reply(tid, m, NULL);
}

/* Split the boot arguments into words (in place); return how many. */
static int split_args(char *s, char *argv[], int max)
{
	int n = 0;
	while (*s && n < max) {
		while (*s == ' ')
			*s++ = '\0';
		if (!*s)
			break;
		argv[n++] = s;
		while (*s && *s != ' ')
			s++;
	}
	return n;
}

/* Start a program from the boot archive, or else from the file system. */
static struct proc *start_program(const char *name, int argc, char *const argv[], int system)
{
	char path[ARCHIVE_NAME_MAX + 2] = "/";
	int img = image_open_archive(name);
	if (img < 0 && fs_tid && strlen(name) <= ARCHIVE_NAME_MAX)
		img = image_open_file(strcat(path, name));
	struct proc *p = img >= 0 ? proc_alloc(proc_name_of(name), 0) : NULL;
	if (p)
		p->system = system;
	int err = !p ? (img < 0 ? img : -E_NOMEM) : proc_load(p, img, argc, argv);
	if (err) {
		printf("pager: cannot start %s (error %d)\n", name, err);
		if (p)
			proc_exit(p, EXIT_KILLED);
		return NULL;
	}
	if (fs_tid)
		fs_spawn(p->tid, 1);            /* its files (the console) before it runs */
	proc_start(p, 0);
	return p;
}

/* Start the first program (boot argument run=NAME) with the boot arguments as argv. */
void start_init(void)
{
	if (fs_tid)
		fs_spawn(pager_tid, 0);
	struct proc *p = start_program(boot_argv[0], boot_argc, boot_argv, 0);
	if (!p) {
		fflush(stdout);
		sys_poweroff(1);
	}
	init_pid = p->pid;
	printf("pager: %lu frames free; started %s as pid %d%s\n", (unsigned long)frames_free(),
	       boot_argv[0], p->pid, (fault_hooks & FAULT_HOOK_TRACE) ? " (tracing faults)" : "");
}

/* The boot argument pager.test_hooks=1: kill may end a server, PAGER_CHECK may inject damage, PAGER_PROBE answers. */
static void set_test_hooks(void)
{
	pager_test_hooks = 1;
}

/* The boot argument pager.frames=N: a cap on the frames the pager hands out. */
static void set_frame_limit(const char *n)
{
	long frames = atol(n);
	if (frames < MIN_FRAMES)
		printf("pager: pager.frames=%s ignored; it must be at least %d\n", n, MIN_FRAMES);
	else
		frames_limit((uint64_t)frames);
}

static uint64_t zero_pool = ZERO_POOL;  /* frames to keep zeroed ahead of zero-fill faults (pager.zero_pool=) */

/* The boot argument pager.zero_pool=N: N from 0 (every fault zeroes its frame) to ZERO_POOL. */
static void set_zero_pool(const char *n)
{
	char *end;
	unsigned long frames = strtoul(n, &end, 10);
	if (!*n || *end || frames > ZERO_POOL)
		printf("pager: pager.zero_pool=%s ignored; it must be a number from 0 to %d\n", n, ZERO_POOL);
	else
		zero_pool = frames;
}

/* The boot argument pager.policy=SPEC. */
static void set_boot_policy(const char *spec)
{
	char why[POLICY_ERROR_MAX], choices[POLICY_ERROR_MAX];
	if (policy_parse_why(spec, &default_policy, why, sizeof(why))) {
		policy_choices(choices, sizeof(choices));
		printf("pager: unknown policy \"%s\" (%s); the choices are %s\n", spec, why, choices);
	}
}

/*
 * Read the boot arguments: run=NAME picks the first program, pager.trace=1
 * traces faults, pager.check_faults=1 runs the state checker after every
 * fault, pager.test_hooks=1 turns on the test hooks, pager.policy=SPEC and pager.frames=N set the paging
 * policy and a cap on frames, pager.zero_pool=N the frames zeroed in idle time; the rest is the first
 * program's argv.
 */
static void read_boot_args(const char *args)
{
	static char copy[BOOT_ARGS_MAX];
	memcpy(copy, args, sizeof(copy) - 1);
	char *words[MAX_BOOT_ARGS];
	int n = split_args(copy, words, MAX_BOOT_ARGS - 1);
	boot_argv[0] = DEFAULT_INIT;
	boot_argc = 1;
	for (int i = 0; i < n; i++) {
		if (strncmp(words[i], "run=", 4) == 0)
			boot_argv[0] = words[i] + 4;
		else if (strcmp(words[i], "pager.trace=1") == 0)
			fault_hooks |= FAULT_HOOK_TRACE;
		else if (strcmp(words[i], TEST_HOOKS_ARG) == 0)
			set_test_hooks();
		else if (strcmp(words[i], CHECK_FAULTS_ARG) == 0)
			fault_hooks |= FAULT_HOOK_CHECK;
		else if (strncmp(words[i], POLICY_ARG, strlen(POLICY_ARG)) == 0)
			set_boot_policy(words[i] + strlen(POLICY_ARG));
		else if (strncmp(words[i], FRAMES_ARG, strlen(FRAMES_ARG)) == 0)
			set_frame_limit(words[i] + strlen(FRAMES_ARG));
		else if (strncmp(words[i], ZERO_POOL_ARG, strlen(ZERO_POOL_ARG)) == 0)
			set_zero_pool(words[i] + strlen(ZERO_POOL_ARG));
		else                  /* the rest is for the first program */
			boot_argv[boot_argc++] = words[i];
	}
}

static int idle_armed;                 /* asked the kernel to tell us when it idles; not told yet */

/* Ask to hear when the CPU would idle, if the zeroed pool is short and we have not asked yet. */
static HOT_PATH void arm_idle_zeroing(void)
{
	if (!idle_armed && frames_zero_wanted(zero_pool)) {
		idle_armed = 1;
		sys_idle_notify(NOTIFY_IDLE);
	}
}

/*
 * Use idle time: zero a batch of free frames, and ask again while the
 * pool is short. A frame at a time, letting the pager lock go between
 * them: on several harts a hart idles while fault threads want the lock.
 */
static void zero_while_idle(void)
{
	idle_armed = 0;
	for (int i = 0; i < ZERO_BATCH && frames_zero_wanted(zero_pool); i++) {
		frames_zero_some(1, zero_pool);
		pager_unlock();
		pager_lock();
	}
	arm_idle_zeroing();
}

/* Notification bits from the kernel: the swap disk, the timer (sleepers), idle time (zeroing), the console. */
void pager_notified(uint64_t bits)
{
	if (bits & swap_notify_bits)
		swap_poll();
	if (bits & NOTIFY_TIMER)
		requests_timer();
	if (bits & NOTIFY_IDLE)
		zero_while_idle();
	if (bits & NOTIFY_CONSOLE)
		jobs_console_events();
	if (bits & NOTIFY_FILE_READ)
		swap_resume_waiting();
}

/* Act on one message; return 1 to reply with *m. */
static int dispatch(int64_t from, struct msg *m, uint64_t len)
{
	struct msg reply;
	if (TAG_LABEL(m->tag) != LABEL_FAULT)
		return request_handle(from, m, request_buf, len);
	if (!fault_handle(from, m, &reply))        /* the request table's FAULT row, without the lookup: the hot path */
		return 0;
	*m = reply;
	return 1;
}

/*
 * The kernel refused a reply with this label to tid. A fault's answer
 * (MAP, FAIL) that is refused would leave the thread waiting for ever, so
 * its process dies.
 */
void pager_reply_refused(int64_t tid, long err, uint64_t label)
{
	struct proc *p = proc_by_tid(tid);
	if (!p || (label != LABEL_MAP && label != LABEL_FAIL))
		return;
	if (err == -E_NOMEM)
		printf("pager: killed pid %d (%s): out of kernel memory\n", p->pid, p->name);
	else
		printf("pager: killed pid %d (%s): the kernel refused its fault's answer (error %ld)\n", p->pid,
		       p->name, err);
	proc_exit(p, EXIT_KILLED);
}

/* Send the reply in *m to client now (not combined with a receive). */
void pager_reply_now(int64_t client, struct msg *m)
{
	m->tag = TAG(TAG_LABEL(m->tag), reply_len);
	long err = ipc_reply(client, m, reply_data);
	if (err < 0)
		pager_reply_refused(client, err, TAG_LABEL(m->tag));
}

/* Receive the next message, without the pager lock while waiting (threads.c). */
static HOT_PATH long serve_recv(struct msg *m)
{
	pager_unlock();
	long from = ipc_recv(TID_ANY, m, request_buf, sizeof(request_buf));
	pager_lock();
	return from;
}

/*
 * Reply m to client and receive the next message. With fault threads the
 * reply goes with the lock held (threads.c says why), on its own; so does
 * a reply with data, so that its buffer does not change under the copy.
 */
static long serve_reply_recv(int64_t client, struct msg *m)
{
	if (reply_len || pager_threaded()) {
		pager_reply_now(client, m);
		return serve_recv(m);
	}
	m->tag = TAG(TAG_LABEL(m->tag), 0);
	long from = ipc_reply_recv(client, m, NULL, request_buf, sizeof(request_buf));
	if (from < 0)
		pager_reply_refused(client, from, TAG_LABEL(m->tag));
	return from;
}

/*
 * An answer sent late, to a fault that waited for the swap disk or for
 * frames: a MAP puts the process behind the threads already ready
 * (MAP_TAKE_TURN) rather than before them. When the disk finishes, the
 * process it interrupted goes on, and the one that waited runs in its
 * turn: a process that swaps all the time gets one swap-in per turn while
 * others want the CPU, and costs them that, not a swap-in's work at every
 * disk answer (docs/SWAP.md, "Who runs when the disk answers"). A fault
 * that waited for a page of a file (a program starting, a mapped file)
 * runs next, as an answer at once would.
 */
static struct msg *late_answer(struct msg *m)
{
	if (TAG_LABEL(m->tag) == LABEL_MAP && !resumed_after_file_read)
		m->w[MAP_RIGHTS] |= MAP_TAKE_TURN;
	return m;
}

/*
 * Serve messages forever: the main thread (me < 0), holding the pager
 * lock but while waiting for a message, and on several harts each fault
 * thread (me its index; threads.c receives and answers for it). One loop
 * for both, so that fault_handle has one caller and is compiled into it.
 * After swap requests finish, the faults that waited for them come back
 * to the main thread one by one, before anything new is received, as if
 * the kernel had just sent them (swap_next_fault); their answers take
 * their turn, but for those that waited for a file page (late_answer).
 */
_Noreturn HOT_PATH void pager_serve(int me)
{
	struct msg m;
	long from = me < 0 ? serve_recv(&m) : fault_thread_recv(me, &m);
	for (;;) {
		if (from < 0) {
			from = serve_recv(&m);
			continue;
		}
		int64_t client = from;
		int replies = dispatch(client, &m, TAG_LENGTH(m.tag));
		if (me >= 0) {
			from = fault_thread_answer(me, client, &m, replies);
			continue;
		}
		uint64_t pending = swap_take_pending();  /* what arrived while waiting for the swap disk */
		if (pending)
			pager_notified(pending);
		arm_idle_zeroing();              /* the pool may have shrunk: refill it when idle */
		if (__builtin_expect(swap_finished != 0, 0)) {   /* swap requests finished: the faults that wait go on */
			if (replies)
				pager_reply_now(client, late_answer(&m));
			if ((from = swap_next_fault(&m)) < 0)
				from = serve_recv(&m);
			continue;
		}
		from = replies ? serve_reply_recv(client, &m) : serve_recv(&m);
	}
}

/* Root-task entry from crt0, with the boot-information page. */
void _libsys_start(const struct bootinfo *bi, uint64_t sp)
{
	(void)sp;
	libsys_init_tls();
	libsys_kernel_console = 1;
	if (bi->magic != BOOTINFO_MAGIC)
		sys_poweroff(1);
	pager_tid = (int64_t)bi->root_tid;
	root_space = bi->root_space;
	timebase_hz = bi->timebase_hz;
	frames_init((void *)ROOT_WINDOW_VA, bi->ram_base, bi->owned_base, bi->owned_pages, policies_frame_bytes());
	for (uint64_t i = 0; i < bi->nfree && i < BOOT_MAX_RANGES; i++)
		frames_add_free(bi->free[i].base, bi->free[i].pages);
	policies_attach();
	bootinfo = bi;
	image_init_archive(frame_ptr(bi->archive_pa), bi->archive_size);
	read_boot_args(bi->args);
	char spec[POLICY_SPEC_MAX];
	policy_format(&default_policy, spec, sizeof(spec));
	int swap_err = swap_init();
	if (swap_err)
		printf("pager: policy %s; no swap disk (error %d)\n", spec, swap_err);
	else
		printf("pager: policy %s; swap %lu slots\n", spec, (unsigned long)swap_total());
	char *fs_argv[MAX_BOOT_ARGS + 1];
	memcpy(fs_argv, boot_argv, sizeof(fs_argv));
	fs_argv[0] = FS_SERVER;               /* the fs server sees the boot arguments too */
	if (!image_in_archive(FS_SERVER) || (!start_program(FS_SERVER, boot_argc, fs_argv, 1) && !init_pid))
		start_init();        /* no file system: programs come from the archive alone */
	arm_idle_zeroing();
	requests_timer();                    /* the policies' ticks, if the default policy has them */
	file_reads_start();                  /* the reader thread (fileread.c) */
	pager_threads_start(bi->harts);      /* several harts: fault threads (threads.c), and the lock held */
	pager_serve(-1);
}
