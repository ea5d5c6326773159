#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "gobuildinfo.h"
#include "ingest.h"
#include "xalloc.h"
#include "banned.h"

extern char **environ;

#define RUN_DEFAULT_SCHEDTRACE_MS 1000
#define RUN_EXIT_CANNOT_EXECUTE 126	/* as sh(1) and env(1) */
#define RUN_EXIT_NOT_FOUND 127

/* The options, set by the table of cmd_run_entry; -1: not given. */
static int run_opt_gctrace;
static int run_opt_schedtrace = -1;
static int run_opt_scheddetail;
static int run_opt_quiet;
static int run_opt_echo;
static const char *run_opt_name;
static struct option_list run_opt_labels;
static int run_opt_hold = -1;

/* The signals sent to tracestat alone that are passed on to CMD. */
static const int run_forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define RUN_NFORWARDED (sizeof run_forwarded / sizeof run_forwarded[0])

static volatile sig_atomic_t run_child;

/*
 * A signal from the terminal (si_code SI_KERNEL) went to the whole
 * foreground process group: CMD has it already and decides what to do,
 * tracestat keeps reading its last words.  A signal sent by a process
 * (kill(2), sigqueue(3): si_code <= 0) to tracestat alone is passed on.
 */
static void
run_on_signal(int sig, siginfo_t *info, void *uctx)
{
	int saved = errno;
	pid_t child = (pid_t)run_child;

	(void)uctx;
	if (child > 0 && info != NULL && info->si_code <= 0 &&
	    info->si_pid != child)
		kill(child, sig);
	errno = saved;
}

struct run_options {
	struct buf	 ingest;	/* ingest options, '\0'-separated */
	int		 ningest;
	int		 gctrace;	/* --gctrace given */
	long		 schedtrace;	/* --schedtrace MS, or -1 */
	int		 scheddetail;
	const char	*name;		/* --name, NULL if not given */
};

static void
run_add_ingest(struct run_options *o, const char *opt, const char *arg)
{
	buf_add(&o->ingest, opt, strlen(opt) + 1);
	o->ningest++;
	if (arg != NULL) {
		buf_add(&o->ingest, arg, strlen(arg) + 1);
		o->ningest++;
	}
}

static int
cmd_run_check(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc == 0)
		return cmd_usage_error(ctx->cmd, "no command to run (tracestat "
		    "run [options] -- CMD [ARGS...])");
	return EXIT_OK;
}

/*
 * The options as the table set them (checked there: CMD must not start
 * on a typo); those of ingest as its options.
 */
static void
run_options(struct run_options *o)
{
	char hold[24];
	int i;

	o->gctrace = run_opt_gctrace;
	o->schedtrace = run_opt_schedtrace;
	o->scheddetail = run_opt_scheddetail;
	o->name = run_opt_name;
	if (run_opt_quiet)
		run_add_ingest(o, "--quiet", NULL);
	if (run_opt_echo)
		run_add_ingest(o, "--echo", NULL);
	for (i = 0; i < run_opt_labels.n; i++)
		run_add_ingest(o, "--label", run_opt_labels.items[i]);
	if (run_opt_hold >= 0) {
		snprintf(hold, sizeof hold, "%d", run_opt_hold);
		run_add_ingest(o, "--hold", hold);
	}
}

/* Is key (up to '=' or the end) the key of the GODEBUG entry e? */
static int
run_same_key(const char *e, size_t elen, const char *key)
{
	size_t klen = strcspn(key, "=");
	const char *eq = memchr(e, '=', elen);
	size_t ekey = eq != NULL ? (size_t)(eq - e) : elen;

	return ekey == klen && memcmp(e, key, klen) == 0;
}

/*
 * GODEBUG for CMD: the user's own entries, in their order, then ours.  A
 * default fills in only a key the user did not set; a switch named on
 * tracestat's command line (explicit) replaces the user's setting.
 */
static void
run_godebug(struct buf *out, const char *user, char **ours,
    const int *explicit, int n)
{
	const char *e, *comma;
	size_t elen;
	int i, drop, have;

	for (e = user; e != NULL && *e != '\0'; e = comma + 1) {
		comma = strchr(e, ',');
		if (comma == NULL)
			comma = e + strlen(e);
		elen = (size_t)(comma - e);
		drop = elen == 0;
		for (i = 0; i < n && !drop; i++)
			drop = explicit[i] && run_same_key(e, elen, ours[i]);
		if (!drop) {
			if (out->len > 0)
				buf_addc(out, ',');
			buf_add(out, e, elen);
		}
		if (*comma == '\0')
			break;
	}
	for (i = 0; i < n; i++) {
		have = 0;
		for (e = user; !explicit[i] && e != NULL && *e != '\0' &&
		    !have; e = comma + 1) {
			comma = strchr(e, ',');
			if (comma == NULL)
				comma = e + strlen(e);
			have = run_same_key(e, (size_t)(comma - e), ours[i]);
			if (*comma == '\0')
				break;
		}
		if (have)
			continue;
		if (out->len > 0)
			buf_addc(out, ',');
		buf_adds(out, ours[i]);
	}
}

/* The environment for CMD: ours with GODEBUG replaced.  Caller frees. */
static char **
run_environment(const struct run_options *o, struct buf *godebug)
{
	char *ours[3], schedtrace[40];
	int explicit[3], n = 0, i, count;
	char **env;

	ours[n] = "gctrace=1";
	explicit[n++] = o->gctrace;
	snprintf(schedtrace, sizeof schedtrace, "schedtrace=%ld",
	    o->schedtrace >= 0 ? o->schedtrace : RUN_DEFAULT_SCHEDTRACE_MS);
	ours[n] = schedtrace;
	explicit[n++] = o->schedtrace >= 0;
	if (o->scheddetail) {
		ours[n] = "scheddetail=1";
		explicit[n++] = 1;
	}
	buf_adds(godebug, "GODEBUG=");
	{
		struct buf value = BUF_INIT;

		run_godebug(&value, getenv("GODEBUG"), ours, explicit, n);
		buf_adds(godebug, buf_str(&value));
		buf_free(&value);
	}

	for (count = 0; environ[count] != NULL; count++)
		;
	env = xmalloc(sizeof *env * (size_t)(count + 2));
	n = 0;
	for (i = 0; i < count; i++)
		if (strncmp(environ[i], "GODEBUG=", 8) != 0)
			env[n++] = environ[i];
	env[n++] = godebug->data;
	env[n] = NULL;
	return env;
}

/*
 * Find CMD as execvp(3) would: a name with a '/' as it is, else the first
 * executable regular file of that name in PATH.  Returns 0 and the path
 * (caller frees), or an errno value.
 */
static int
run_find_program(const char *name, char **path)
{
	const char *dirs = getenv("PATH"), *d, *colon;
	struct stat st;
	struct buf b = BUF_INIT;
	int found_other = 0;

	if (strchr(name, '/') != NULL) {
		*path = xstrdup(name);
		return 0;
	}
	if (dirs == NULL)
		dirs = "/usr/local/bin:/bin:/usr/bin";
	for (d = dirs; ; d = colon + 1) {
		colon = strchr(d, ':');
		if (colon == NULL)
			colon = d + strlen(d);
		buf_reset(&b);
		if (colon == d)
			buf_addc(&b, '.');
		else
			buf_add(&b, d, (size_t)(colon - d));
		buf_addf(&b, "/%s", name);
		if (stat(b.data, &st) == 0) {
			if (S_ISREG(st.st_mode) && access(b.data, X_OK) == 0) {
				*path = buf_detach(&b);
				return 0;
			}
			found_other = 1;
		}
		if (*colon == '\0')
			break;
	}
	buf_free(&b);
	return found_other ? EACCES : ENOENT;
}

static void
run_join(struct buf *b, int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (i > 0)
			buf_addc(b, ' ');
		buf_adds(b, argv[i]);
	}
}

/* Block the forwarded signals (sigprocmask) or restore *old. */
static void
run_block_signals(sigset_t *old)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < RUN_NFORWARDED; i++)
		sigaddset(&set, run_forwarded[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

static void
run_catch_signals(void)
{
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = run_on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < RUN_NFORWARDED; i++) {
		/* An ignored signal stays ignored, for CMD as well. */
		if (sigaction(run_forwarded[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(run_forwarded[i], &sa, NULL);
	}
}

/* Start CMD with its stderr on the pipe; returns 0 or an errno value. */
static int
run_spawn(const char *path, char **argv, char **env, int err_fd,
    const sigset_t *mask, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, err_fd, STDERR_FILENO);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, mask);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	rc = posix_spawn(pid, path, &fa, &attr, argv, env);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

/* Pass on whatever is left on the pipe, should the ingest have stopped. */
static void
run_drain(int fd)
{
	char chunk[65536];
	ssize_t n, off, w;

	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		for (off = 0; off < n; off += w) {
			w = write(STDERR_FILENO, chunk + off,
			    (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				w = 0;
			else if (w < 0)
				break;
		}
	}
}

/* Wait for CMD without a window where a forwarded signal could reach a
 * recycled pid: wait, stop forwarding, then reap. */
static int
run_wait(pid_t pid)
{
	siginfo_t info;
	sigset_t old;
	int status;

	while (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT) < 0 &&
	    errno == EINTR)
		;
	run_block_signals(&old);
	run_child = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			cmd_error("cannot wait for '%lld': %s", (long long)pid,
			    strerror(errno));
			return EXIT_INTERNAL;
		}
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* The ingest options: ours first, so that the user's win. */
static char **
run_ingest_argv(const struct run_options *o, struct buf *labels,
    const char *name, int *argc)
{
	char **v;
	const char *p;
	int n = 0, i, nlabels = 0;

	for (p = labels->data; p != NULL && p < labels->data + labels->len;
	    p += strlen(p) + 1)
		nlabels++;
	v = xmalloc(sizeof *v * (size_t)(4 + 2 * nlabels + o->ningest));
	v[n++] = "run";
	v[n++] = "--name";
	v[n++] = (char *)(o->name != NULL ? o->name : name);
	for (p = labels->data, i = 0; i < nlabels; p += strlen(p) + 1, i++) {
		v[n++] = "--label";
		v[n++] = (char *)p;
	}
	for (p = o->ingest.data, i = 0; i < o->ningest; p += strlen(p) + 1,
	    i++)
		v[n++] = (char *)p;
	v[n] = NULL;
	*argc = n;
	return v;
}

static void
run_label(struct buf *labels, const char *key, const char *value)
{
	buf_addf(labels, "%s=%s", key, value);
	buf_addc(labels, '\0');
}

static int
cmd_run(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct run_options o;
	struct gobuildinfo info;
	struct buf godebug = BUF_INIT, labels = BUF_INIT, cmdline = BUF_INIT;
	struct buf err = BUF_INIT;
	char **env = NULL, **iargv = NULL, *path = NULL;
	char pid_text[24];
	const char *name;
	sigset_t old;
	pid_t pid;
	int first = 0, fds[2] = { -1, -1 }, rc, iargc, status;

	memset(&o, 0, sizeof o);
	run_options(&o);
	rc = run_find_program(argv[first], &path);
	if (rc != 0) {
		cmd_error("cannot run '%s': %s", argv[first], strerror(rc));
		rc = rc == ENOENT ? RUN_EXIT_NOT_FOUND :
		    RUN_EXIT_CANNOT_EXECUTE;
		goto out;
	}
	if (pipe2(fds, O_CLOEXEC) < 0) {
		cmd_error("cannot run '%s': %s", argv[first], strerror(errno));
		rc = RUN_EXIT_CANNOT_EXECUTE;
		goto out;
	}

	name = strrchr(argv[first], '/') != NULL ?
	    strrchr(argv[first], '/') + 1 : argv[first];
	run_join(&cmdline, argc - first, argv + first);
	/* host: the ingest adds it, as for every run. */
	run_label(&labels, "cmd", cmdline.data);
	/* Not a Go binary, or unreadable: simply no Go labels. */
	if (gobuildinfo_read(path, &info, &err) == 1) {
		run_label(&labels, "go_version", info.go_version);
		if (info.main_module != NULL)
			run_label(&labels, "main_module", info.main_module);
		gobuildinfo_free(&info);
	}
	env = run_environment(&o, &godebug);
	/* The setting the command ran with, for the report's context. */
	run_label(&labels, "godebug", godebug.data + strlen("GODEBUG="));

	run_block_signals(&old);
	run_catch_signals();
	rc = run_spawn(path, argv + first, env, fds[1], &old, &pid);
	close(fds[1]);
	if (rc != 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		cmd_error("cannot run '%s': %s", argv[first], strerror(rc));
		rc = rc == ENOENT ? RUN_EXIT_NOT_FOUND :
		    RUN_EXIT_CANNOT_EXECUTE;
		goto out;
	}
	run_child = pid;
	sigprocmask(SIG_SETMASK, &old, NULL);

	snprintf(pid_text, sizeof pid_text, "%lld", (long long)pid);
	run_label(&labels, "pid", pid_text);
	iargv = run_ingest_argv(&o, &labels, name, &iargc);
	rc = ingest_stream_flags(ctx, iargc, iargv, fds[0], STDERR_FILENO,
	    cmdline.data, INGEST_NO_SIGNALS);
	run_drain(fds[0]);
	status = run_wait(pid);
	/* A program that ended before its first collection printed no
	 * trace line: the warning said so, and that is no failure of ours. */
	if (rc == EXIT_NO_DATA)
		rc = EXIT_OK;
	/* CMD's failure is the news; tracestat's own is told when CMD
	 * succeeded, so that a script never takes it for a stored run. */
	if (status != 0 || rc == EXIT_OK)
		rc = status;
out:
	if (fds[0] >= 0)
		close(fds[0]);
	free(iargv);
	free(env);
	free(path);
	buf_free(&godebug);
	buf_free(&labels);
	buf_free(&cmdline);
	buf_free(&err);
	buf_free(&o.ingest);
	free(run_opt_labels.items);
	return rc;
}

/* As ingest: the writer thread opens the store; grammars gently. */
const struct cmd_entry cmd_run_entry = {
	.name = "run",
	.usage = "[options] [--] CMD [ARGS ...]",
	.summary = "run a program with gc and scheduler traces and store them",
	.options = (const struct option_spec[]){
		OPTION_FLAG("gctrace", 0,
		    "gctrace=1 even if GODEBUG says otherwise",
		    &run_opt_gctrace),
		OPTION_INT("schedtrace", 0, "MS",
		    "scheduler trace period, 0 for none (1000)",
		    &run_opt_schedtrace, 0, INT_MAX, "milliseconds"),
		OPTION_FLAG("scheddetail", 0, "scheddetail=1: every G, P and M",
		    &run_opt_scheddetail),
		OPTION_FLAG("quiet", 'q',
		    "do not pass CMD's other stderr lines on", &run_opt_quiet),
		OPTION_FLAG("echo", 'e', "pass trace lines on as well",
		    &run_opt_echo),
		OPTION_STRING("name", 'n', "NAME",
		    "name the run (CMD's base name)", &run_opt_name),
		OPTION_CUSTOM("label", 'l', "KEY=VAL",
		    "label the run (repeatable)", &run_opt_labels,
		    cmd_parse_label),
		OPTION_INT("hold", 0, "MS",
		    "wait for the rest of a torn line (100)", &run_opt_hold, 0,
		    60000, "milliseconds"),
		CMD_OPTION_GRAMMARS,
		CMD_OPTION_DB,
		OPTION_END
	},
	.flags = CMD_GRAMMARS | CMD_GRAMMARS_GENTLY | CMD_OPERANDS |
	    CMD_OPERANDS_END_OPTIONS,
	.check = cmd_run_check,
	.exec = cmd_run
};
