#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "grammar.h"
#include "ingest.h"
#include "input.h"
#include "trace.h"
#include "units.h"
#include "writer.h"
#include "xalloc.h"
#include "banned.h"

/* The run's counts are committed at least this often. */
#define INGEST_MARK_MS 250
#define INGEST_OUTPUT_MAX 65536
#define INGEST_HOLD_MS 100
/* A gc record waits for its " (forced)" this many --hold times. */
#define INGEST_WAIT_HOLDS 10
/*
 * A store that cannot be written is reported after this long: other
 * writers of a shared store hold it for a while.
 */
#define INGEST_REPORT_MS 3000
#define INGEST_PROGRESS_MS 250
/* Malformed records reported one by one; the rest are counted. */
#define INGEST_SKIPS_SHOWN 10

/* The options, set by the table of cmd_ingest_entry. */
static int ingest_opt_quiet;
static int ingest_opt_echo;
static const char *ingest_opt_name;
static struct option_list ingest_opt_labels;
static int ingest_opt_hold_ms = INGEST_HOLD_MS;
static enum input_format ingest_opt_format;
static size_t ingest_opt_backlog = WRITER_DEFAULT_CAP;

struct ingest_input {
	const char	*name;		/* as given; "-" is standard input */
	const char	*shown;		/* in messages and run_inputs */
	int		 fd;
	int		 regular;	/* a regular file: nothing live */
	int		 pipe;		/* a pipe or socket: a program writes */
	int64_t		 size;		/* of a regular file */
};

struct ingest {
	struct cmd_ctx	*ctx;
	int		 flags;
	int		 quiet;
	int		 echo;
	const char	*name;
	char		**labels;	/* host=... first, then --label */
	int		 nlabels;
	char		 host_label[sizeof "host=" + 256];
	int		 hold_ms;
	size_t		 backlog;

	int		 out_fd;
	struct tracer	 tracer;
	struct writer	*writer;	/* NULL: nothing is stored */
	int		 grammar_failed;
	int		 read_failed;
	struct buf	 read_error;
	int		 live;		/* the input is a pipe, tty, socket */
	int		 from_pipe;	/* a pipe or socket */
	int		 stopped;	/* by a signal */
	int64_t		 dropped;
	int64_t		 run_id;	/* once the writer has ended */

	/* Pass-through. */
	struct buf	 out;
	int		 out_closed;	/* the reader went away, or it failed */
	int		 out_failed;	/* a write error other than EPIPE */

	/* Commits and the writer's health. */
	int64_t		 mark_ms;	/* last mark */
	int		 dirty;		/* something happened since */
	int		 writer_changes;
	int		 retry_reported;
	int		 failure_reported;
	int64_t		 hold_since;	/* ms, or -1 */
	int64_t		 wait_since;	/* a record waits: ms, or -1 */

	/* The progress line. */
	int		 progress;
	int		 progress_shown;
	int		 progress_shares;	/* the output is the terminal too */
	int64_t		 progress_ms, start_ms;
	int64_t		 total_bytes;

	/* The inputs, decoded (input.h): one stream in the order given. */
	struct input	 input;
	enum input_format format;
	struct buf	 msg;		/* the input layer's messages */

	struct buf	 err;
};

static volatile sig_atomic_t ingest_sigint, ingest_sigterm, ingest_stopped;

void
ingest_stop(void)
{
	ingest_stopped = 1;
}

static void
ingest_on_signal(int sig)
{
	if (sig == SIGINT)
		ingest_sigint++;
	else
		ingest_sigterm = sig;
}

/* A size for people: "64 MiB", "12.3 MiB", "512 KiB". */
static void
ingest_size(double bytes, char *out, size_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB",
	    "TiB" };
	int u = 0;

	while (bytes >= 1024 && u < 4) {
		bytes /= 1024;
		u++;
	}
	if (u == 0 || bytes >= 100 || bytes == (double)(int64_t)bytes)
		snprintf(out, size, "%.0f %s", bytes, units[u]);
	else
		snprintf(out, size, "%.1f %s", bytes, units[u]);
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Stop reading now?  SIGTERM, SIGHUP or a second SIGINT stop; a first
 * SIGINT does not stop a pipe: like tee -i, the program is shutting
 * down and its last lines are read to the end.
 */
static int
ingest_stop_now(const struct ingest *in)
{
	if (in->flags & INGEST_NO_SIGNALS)
		return ingest_stopped;
	return ingest_sigterm || ingest_sigint >= 2 ||
	    (ingest_sigint && !in->from_pipe);
}

static void
ingest_progress_clear(struct ingest *in)
{
	static const char clear[] = "\r\033[K";

	if (!in->progress_shown)
		return;
	if (write(STDERR_FILENO, clear, sizeof clear - 1) < 0)
		in->progress = 0;
	in->progress_shown = 0;
}

/* Write what is pending; wait for a full pipe instead of dropping. */
static void
ingest_flush_output(struct ingest *in)
{
	size_t off = 0;
	ssize_t n;

	if (in->out.len > 0 && in->progress_shares)
		ingest_progress_clear(in);
	while (off < in->out.len && !in->out_closed) {
		n = write(in->out_fd, in->out.data + off, in->out.len - off);
		if (n >= 0) {
			off += (size_t)n;
			continue;
		}
		if (errno == EINTR) {
			if (ingest_stop_now(in))
				break;
			continue;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			struct pollfd pfd = { in->out_fd, POLLOUT, 0 };

			if (poll(&pfd, 1, 250) < 0 && errno == EINTR &&
			    ingest_stop_now(in))
				break;
			continue;
		}
		/* A closed pipe (| head) must not stop the ingest. */
		in->out_closed = 1;
		if (errno != EPIPE) {
			cmd_error("cannot write the %s: %s; application "
			    "output is dropped from here on, storing goes on",
			    in->out_fd == STDERR_FILENO ? "standard error" :
			    "standard output", strerror(errno));
			in->out_failed = 1;
		}
	}
	buf_reset(&in->out);
}

static void
ingest_output(void *ctx, const char *s, size_t len, int trace)
{
	struct ingest *in = ctx;

	/* -q drops application text, never a crash message. */
	if ((in->quiet && trace != 2) || in->out_closed)
		return;
	buf_add(&in->out, s, len);
	if (in->out.len >= INGEST_OUTPUT_MAX)
		ingest_flush_output(in);
}

static void
ingest_counts(struct ingest *in, struct run_counts *c)
{
	const struct tracer_counts *t = &in->tracer.counts;

	memset(c, 0, sizeof *c);
	c->lines = t->lines;
	c->trace_lines = t->trace_lines;
	c->other_lines = t->other_lines;
	c->gc_cycles = t->gc_cycles;
	c->sched_samples = t->sched_samples;
	c->repaired = t->repaired;
	c->unrecognised = t->unrecognised;
	c->overlong = t->overlong;
	c->invalid_values = t->invalid_values;
	c->segments = t->segments;
	c->bytes = (int64_t)in->input.bytes;
	c->dropped = in->dropped;
}

/*
 * Queue the run's counts and its open segments; the writer commits when
 * it gets there.  Unless force, a mark still waiting to be written makes
 * this one wait too.
 */
static void
ingest_mark(struct ingest *in, const char *status, const char *reason,
    int force)
{
	struct run_counts c;
	struct segment *segs;
	int n, i;

	in->mark_ms = now_ms();
	if (in->writer == NULL)
		return;
	ingest_counts(in, &c);
	segs = tracer_open_segments(&in->tracer, &n);
	if (writer_mark(in->writer, &c, status, reason, segs, n, force) < 0)
		return;
	for (i = 0; i < n; i++)
		segs[i].dirty = 0;
	in->dirty = 0;
}

/* Tell the user what the store is doing, once per change. */
static void
ingest_check_writer(struct ingest *in)
{
	struct writer_state st;
	char cap[32];

	if (in->writer == NULL)
		return;
	writer_state(in->writer, &st);
	if (st.changes == in->writer_changes && !(st.health ==
	    WRITER_RETRYING && !in->retry_reported &&
	    st.retrying_ms >= INGEST_REPORT_MS))
		return;
	in->writer_changes = st.changes;
	ingest_flush_output(in);
	switch (st.health) {
	case WRITER_FAILED:
		if (in->failure_reported)
			break;
		writer_error(in->writer, &in->err);
		cmd_error("%s; application output keeps passing through, "
		    "nothing more is stored", buf_str(&in->err));
		in->failure_reported = 1;
		break;
	case WRITER_RETRYING:
		if (in->retry_reported || st.retrying_ms < INGEST_REPORT_MS)
			break;
		writer_error(in->writer, &in->err);
		ingest_size((double)in->backlog, cap, sizeof cap);
		cmd_warn("%s; trying again, records wait in memory (up to "
		    "%s) until it can be written", buf_str(&in->err), cap);
		in->retry_reported = 1;
		break;
	case WRITER_OK:
		if (in->retry_reported)
			cmd_warn("'%s' can be written again; the records "
			    "that waited are stored", in->ctx->db_path);
		in->retry_reported = 0;
		break;
	case WRITER_STARTING:
		break;
	}
}

static int
ingest_store_ok(struct ingest *in)
{
	struct writer_state st;

	if (in->writer == NULL)
		return 0;
	writer_state(in->writer, &st);
	return st.health != WRITER_FAILED;
}

/*
 * The queue refused an operation: 1 to try again, 0 to give up.  From a
 * live input a full queue drops it (counted): reading must go on.  From a
 * file, room is waited for instead.  Nothing is counted once the store
 * has failed for good.
 */
static int
ingest_retry(struct ingest *in)
{
	if (!ingest_store_ok(in))
		return 0;
	if (in->live || ingest_stop_now(in)) {
		in->dropped++;
		return 0;
	}
	ingest_check_writer(in);
	return 1;
}

static int
ingest_record(void *ctx, const struct record *r)
{
	struct ingest *in = ctx;

	in->dirty = 1;
	if (in->writer != NULL)
		while (writer_record(in->writer, r, in->live ? 0 : 100) < 0 &&
		    ingest_retry(in))
			;
	return 0;
}

static void
ingest_segment_closed(void *ctx, const struct segment *s)
{
	struct ingest *in = ctx;

	in->dirty = 1;
	if (in->writer != NULL)
		writer_segment(in->writer, s);
}

static void
ingest_broken(void *ctx, int64_t line_no, const char *reason, const char *s,
    size_t len)
{
	struct ingest *in = ctx;

	in->dirty = 1;
	if (in->writer != NULL)
		while (writer_broken(in->writer, line_no, reason, s, len,
		    in->live ? 0 : 100) < 0 && ingest_retry(in))
			;
}

/* The progress line: bytes and share read, lines/s, cycles so far. */
static void
ingest_progress(struct ingest *in, int64_t now)
{
	struct buf line = BUF_INIT;
	char done[32], total[32];
	double secs, bytes;

	if (!in->progress || now - in->progress_ms < INGEST_PROGRESS_MS)
		return;
	in->progress_ms = now;
	bytes = (double)in->input.bytes;
	secs = (double)(now - in->start_ms) / 1000.0;
	ingest_size(bytes, done, sizeof done);
	ingest_size((double)in->total_bytes, total, sizeof total);
	buf_addf(&line, "\rtracestat: %s of %s (%.0f%%), %.0f lines/s, "
	    "%lld gc cycles\033[K", done, total, in->total_bytes > 0 ?
	    100.0 * bytes / (double)in->total_bytes : 100.0,
	    secs > 0 ? (double)in->tracer.counts.lines / secs : 0.0,
	    (long long)in->tracer.counts.gc_cycles);
	if (write(STDERR_FILENO, line.data, line.len) < 0)
		in->progress = 0;
	else
		in->progress_shown = 1;
	buf_free(&line);
}

/* Work due now; returns how long poll may wait (ms), or -1. */
static int
ingest_due(struct ingest *in)
{
	int64_t now = now_ms(), wait = -1, d;

	ingest_check_writer(in);
	if (tracer_holding(&in->tracer) && in->live) {
		if (in->hold_since < 0)
			in->hold_since = now;
		d = in->hold_since + in->hold_ms - now;
		if (d <= 0) {
			tracer_release_held(&in->tracer);
			in->hold_since = -1;
		} else {
			wait = d;
		}
	}
	/*
	 * A gc record waiting for its " (forced)" holds no output back, so
	 * it may wait longer than held lines (INGEST_WAIT_HOLDS times).
	 */
	if (tracer_waiting(&in->tracer) && in->live) {
		if (in->wait_since < 0)
			in->wait_since = now;
		d = in->wait_since + (int64_t)in->hold_ms * INGEST_WAIT_HOLDS -
		    now;
		if (d <= 0) {
			tracer_take_waiting(&in->tracer);
			in->wait_since = -1;
		} else if (wait < 0 || d < wait) {
			wait = d;
		}
	}
	ingest_flush_output(in);
	if (in->dirty) {
		d = in->mark_ms + INGEST_MARK_MS - now;
		if (d <= 0) {
			ingest_mark(in, "running", NULL, 0);
			/* Refused while another waits: try again later. */
			d = INGEST_MARK_MS;
		}
		if (in->dirty && (wait < 0 || d < wait))
			wait = d;
	}
	if (in->writer != NULL && !in->failure_reported) {
		struct writer_state st;

		writer_state(in->writer, &st);
		/* Report a failure, and its end, without waiting for input. */
		if (st.health == WRITER_RETRYING ||
		    st.health == WRITER_STARTING)
			if (wait < 0 || wait > INGEST_PROGRESS_MS)
				wait = INGEST_PROGRESS_MS;
	}
	if (in->progress) {
		ingest_progress(in, now);
		if (wait < 0 || wait > INGEST_PROGRESS_MS)
			wait = INGEST_PROGRESS_MS;
	}
	return (int)wait;
}

/*
 * Hand the input's lines to the tracer until the current file (or, after
 * input_end, everything) has ended, or a signal.  input is the file just
 * opened, or NULL for what the last one left.  Returns -1 on a read error.
 */
static int
ingest_read(struct ingest *in, const struct ingest_input *input)
{
	struct input_line line;
	enum input_status st;
	int rc = 0, timeout = -1;
	unsigned lines = 0;

	if (input != NULL) {
		in->live = !input->regular;
		in->from_pipe = input->pipe;
	}
	for (;;) {
		if (ingest_stop_now(in)) {
			in->stopped = 1;
			break;
		}
		/* Before waiting for input, write out what is known. */
		if (!input_buffered(&in->input))
			timeout = ingest_due(in);
		st = input_next(&in->input, &line, timeout, &in->msg);
		if (st == INPUT_LINE) {
			tracer_set_next_line(&in->tracer, line.has_wall,
			    line.wall_s, input_stream_name(line.stream));
			tracer_feed(&in->tracer, line.s, line.len);
			if (!tracer_holding(&in->tracer))
				in->hold_since = -1;
			else if (in->hold_since < 0)
				in->hold_since = now_ms();
			if (!tracer_waiting(&in->tracer))
				in->wait_since = -1;
			else if (in->wait_since < 0)
				in->wait_since = now_ms();
			if ((++lines & 255) == 0)
				ingest_due(in);
			continue;
		}
		if (st == INPUT_PIECE) {
			tracer_feed_overlong(&in->tracer, line.s, line.len,
			    line.first_piece);
			continue;
		}
		if (st == INPUT_SKIPPED || st == INPUT_NOTICE) {
			if (st == INPUT_NOTICE ||
			    in->input.skipped <= INGEST_SKIPS_SHOWN) {
				ingest_progress_clear(in);
				cmd_warn("%s", buf_str(&in->msg));
			}
			buf_reset(&in->msg);
			continue;
		}
		if (st == INPUT_TIMEOUT || st == INPUT_INTERRUPTED)
			continue;
		if (st == INPUT_ERROR) {
			/* Reported now; the file then ends, the next goes on. */
			ingest_progress_clear(in);
			if (in->read_error.len > 0)
				buf_adds(&in->read_error, "; ");
			buf_adds(&in->read_error, buf_str(&in->msg));
			cmd_error("%s", buf_str(&in->msg));
			buf_reset(&in->msg);
			rc = -1;
			continue;
		}
		break;
	}
	return rc;
}

/* One warning for every match a PCRE2 limit stopped in the run. */
static void
ingest_warn_limits(struct ingest *in)
{
	struct buf rules = BUF_INIT;
	int64_t n = grammar_limit_hits(&in->ctx->grammar, &rules);

	if (n > 0)
		cmd_warn("%lld matches stopped at the pattern limits and "
		    "counted as no match, by rule: %s", (long long)n,
		    buf_str(&rules));
	buf_free(&rules);
}

static int
ingest_option_format(const char *arg, void *value, struct buf *err)
{
	int format = input_format_by_name(arg);

	if (format < 0) {
		buf_addf(err, "--input-format is auto, text, cri, docker-json "
		    "or journal-json, not '%s'", arg);
		return -1;
	}
	*(enum input_format *)value = (enum input_format)format;
	return 0;
}

static int
ingest_option_backlog(const char *arg, void *value, struct buf *err)
{
	double bytes;

	if (units_parse_size_bytes(arg, &bytes) < 0 || bytes < 65536 ||
	    bytes > 65536.0 * 1048576.0) {
		buf_addf(err, "--backlog takes a size from 64KiB to 64GiB, not "
		    "'%s'", arg);
		return -1;
	}
	*(size_t *)value = (size_t)bytes;
	return 0;
}

/* The options as the table set them; the labels move to in. */
static void
ingest_options(struct ingest *in)
{
	in->quiet = ingest_opt_quiet;
	in->echo = ingest_opt_echo;
	in->name = ingest_opt_name;
	/*
	 * Every run says where it was written: host=<gethostname()>, first,
	 * so that a --label host=X given later replaces it (a later label of
	 * a key wins, tracestat-ingest(1)).
	 */
	memcpy(in->host_label, "host=", 5);
	if (gethostname(in->host_label + 5, sizeof in->host_label - 6) == 0 &&
	    in->host_label[5] != '\0') {
		in->host_label[sizeof in->host_label - 1] = '\0';
		in->labels = xmalloc(sizeof *in->labels *
		    ((size_t)ingest_opt_labels.n + 1));
		in->labels[0] = in->host_label;
		if (ingest_opt_labels.n > 0)
			memcpy(in->labels + 1, ingest_opt_labels.items,
			    sizeof *in->labels * (size_t)ingest_opt_labels.n);
		in->nlabels = ingest_opt_labels.n + 1;
		free(ingest_opt_labels.items);
	} else {
		in->labels = ingest_opt_labels.items;
		in->nlabels = ingest_opt_labels.n;
	}
	memset(&ingest_opt_labels, 0, sizeof ingest_opt_labels);
	in->hold_ms = ingest_opt_hold_ms;
	in->format = ingest_opt_format;
	in->backlog = ingest_opt_backlog;
}

static void
ingest_signals(struct ingest *in)
{
	struct sigaction sa;

	signal(SIGPIPE, SIG_IGN);
	ingest_sigint = 0;
	ingest_sigterm = 0;
	ingest_stopped = 0;
	if (in->flags & INGEST_NO_SIGNALS)
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ingest_on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a signal must end a read that waits. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/*
 * Wait for the writer to store what is queued.  A store that stays
 * unavailable is waited for (the input has ended: nobody is held back)
 * until a signal says to give up.
 */
static void
ingest_finish_store(struct ingest *in)
{
	struct writer_state st;
	sig_atomic_t int0 = ingest_sigint, term0 = ingest_sigterm;
	int64_t dropped = 0, start = now_ms();
	int said = 0, gave_up = 0;

	if (in->writer == NULL)
		return;
	while (!writer_drain(in->writer, 250)) {
		ingest_check_writer(in);
		writer_state(in->writer, &st);
		if (!said && now_ms() - start >= INGEST_REPORT_MS) {
			cmd_warn("waiting for '%s' to store %lld queued "
			    "operations; interrupt to give up",
			    in->ctx->db_path, (long long)st.queued_ops);
			said = 1;
		}
		if (ingest_sigint != int0 || ingest_sigterm != term0 ||
		    ingest_stopped) {
			gave_up = 1;
			break;
		}
	}
	ingest_check_writer(in);
	writer_state(in->writer, &st);
	in->run_id = st.run_id;
	writer_stop(in->writer, gave_up, 1000, &dropped);
	in->writer = NULL;
	if (gave_up && dropped > 0) {
		cmd_error("gave up waiting for '%s': %lld records not stored",
		    in->ctx->db_path, (long long)dropped);
		in->dropped += dropped;
	}
}

/* The run's final status and its reason (in in->err), if any. */
static const char *
ingest_status(struct ingest *in)
{
	char cap[32];

	buf_reset(&in->err);
	if (in->dropped > 0) {
		ingest_size((double)in->backlog, cap, sizeof cap);
		buf_addf(&in->err, "%lld records dropped: the store could "
		    "not be written and the queue was full (%s)",
		    (long long)in->dropped, cap);
		return "failed";
	}
	if (in->read_failed) {
		buf_adds(&in->err, buf_str(&in->read_error));
		return "failed";
	}
	if (in->stopped) {
		buf_adds(&in->err, ingest_stopped ? "stopped" :
		    ingest_sigterm == SIGTERM ? "SIGTERM" :
		    ingest_sigterm == SIGHUP ? "SIGHUP" : "SIGINT");
		return "interrupted";
	}
	if (ingest_sigint)
		buf_adds(&in->err, "SIGINT: read on to the end of the input");
	return "complete";
}

/* Not one line that was, or looked like, a trace line? */
static int
ingest_saw_nothing(const struct ingest *in)
{
	return in->tracer.counts.trace_lines == 0 &&
	    in->tracer.counts.unrecognised == 0 && !in->stopped &&
	    !in->read_failed;
}

/* Ingest the inputs as one run; returns the exit code. */
static int
ingest_main(struct ingest *in, struct ingest_input *inputs, int ninputs,
    const char *source)
{
	struct tracer_callbacks cb;
	struct writer_run run;
	const char *status;
	int64_t first_line, run_id = 0;
	int i, rc, stored;

	ingest_signals(in);
	in->hold_since = in->wait_since = -1;
	in->start_ms = in->mark_ms = in->progress_ms = now_ms();
	in->progress_shares = in->progress && isatty(in->out_fd);
	/*
	 * From here on every failure is reported once and the input keeps
	 * flowing to the output: stopping would stall or kill the program
	 * writing into the pipe.
	 */
	if (in->ctx->grammar_error.len > 0) {
		/* Loaded by cmd_setup (CMD_GRAMMARS_GENTLY): none to match. */
		cmd_error("%s", buf_str(&in->ctx->grammar_error));
		in->grammar_failed = 1;
	}
	if (!in->grammar_failed) {
		memset(&run, 0, sizeof run);
		run.db_path = in->ctx->db_path;
		run.name = in->name;
		run.source = source;
		run.labels = in->labels;
		run.nlabels = in->nlabels;
		in->writer = writer_start(&run, in->backlog, &in->err);
		if (in->writer == NULL) {
			cmd_error("%s", buf_str(&in->err));
			in->failure_reported = 1;
		}
	}

	memset(&cb, 0, sizeof cb);
	cb.ctx = in;
	cb.record = ingest_record;
	cb.output = ingest_output;
	cb.segment_closed = ingest_segment_closed;
	cb.broken = ingest_broken;
	tracer_init(&in->tracer, &in->ctx->grammar, &cb);
	in->tracer.echo = in->echo;
	input_init(&in->input, in->format);

	for (i = 0; i < ninputs && !in->stopped; i++) {
		if (in->writer != NULL)
			writer_input(in->writer, i + 1, inputs[i].shown);
		first_line = in->tracer.counts.lines + 1;
		input_open(&in->input, inputs[i].fd, inputs[i].shown);
		if (i == ninputs - 1)
			input_end(&in->input);
		if (ingest_read(in, &inputs[i]) < 0)
			in->read_failed = 1;
		/* Held lines go out; a torn line may go on in the next. */
		if (!in->stopped)
			tracer_release(&in->tracer);
		if (in->writer != NULL)
			writer_input_end(in->writer, i + 1, first_line,
			    in->tracer.counts.lines);
		in->dirty = 1;
	}
	/* What the last file kept (a line without its newline): hand it out. */
	input_end(&in->input);
	if (!in->stopped && ingest_read(in, NULL) < 0)
		in->read_failed = 1;
	tracer_finish(&in->tracer);
	ingest_flush_output(in);
	ingest_progress_clear(in);
	in->progress = 0;

	status = ingest_status(in);
	ingest_mark(in, status, in->err.len > 0 ? in->err.data : NULL, 1);
	stored = 0;
	ingest_finish_store(in);
	if (in->dropped > 0 && !in->failure_reported)
		cmd_error("%lld records were not stored: the store could not "
		    "be written for too long (see --backlog)",
		    (long long)in->dropped);

	if (!in->grammar_failed) {
		const struct tracer_counts *t = &in->tracer.counts;

		stored = in->run_id > 0 && !in->failure_reported;
		run_id = in->run_id;
		if (stored)
			fprintf(stderr, "tracestat: run %lld: ",
			    (long long)run_id);
		else
			fprintf(stderr, "tracestat: not stored: ");
		fprintf(stderr, "%lld gc cycles, %lld scheduler samples, "
		    "%lld repaired, %lld unrecognised\n",
		    (long long)t->gc_cycles, (long long)t->sched_samples,
		    (long long)t->repaired, (long long)t->unrecognised);
		if (in->input.skipped > INGEST_SKIPS_SHOWN)
			cmd_warn("%lld malformed records skipped in all",
			    (long long)in->input.skipped);
		ingest_warn_limits(in);
		if (ingest_saw_nothing(in))
			cmd_warn("no gc or SCHED lines: was GODEBUG=gctrace=1 "
			    "set for the program?");
	}

	if (in->grammar_failed)
		rc = EXIT_GRAMMAR;
	else if (!stored || in->dropped > 0)
		rc = EXIT_STORE;
	else if (in->read_failed)
		rc = EXIT_INPUT;
	else if (in->out_failed)
		rc = EXIT_OUTPUT;
	else if (ingest_saw_nothing(in))
		rc = EXIT_NO_DATA;
	else
		rc = EXIT_OK;
	tracer_free(&in->tracer);
	input_free(&in->input);
	return rc;
}

static void
ingest_free(struct ingest *in)
{
	buf_free(&in->out);
	buf_free(&in->err);
	buf_free(&in->read_error);
	buf_free(&in->msg);
	free(in->labels);
}

static void
ingest_defaults(struct ingest *in, struct cmd_ctx *ctx, int out_fd,
    int flags)
{
	memset(in, 0, sizeof *in);
	in->ctx = ctx;
	in->out_fd = out_fd;
	in->flags = flags;
	ingest_options(in);
}

static void
ingest_describe(struct ingest_input *input, int fd, const char *name)
{
	struct stat st;

	input->fd = fd;
	input->name = name;
	input->shown = strcmp(name, "-") == 0 ? "(stdin)" : name;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		input->regular = 1;
		input->size = (int64_t)st.st_size;
	}
	input->pipe = fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) ||
	    S_ISSOCK(st.st_mode));
}

extern const struct cmd_entry cmd_ingest_entry;

int
ingest_stream_flags(struct cmd_ctx *ctx, int argc, char **argv, int in_fd,
    int out_fd, const char *source_name, int flags)
{
	struct ingest in;
	struct ingest_input input;
	int n, rc;

	rc = cmd_parse(ctx, &cmd_ingest_entry, argc, argv, &n);
	if (rc < 0 && n > 0)
		rc = cmd_usage_error(ctx->cmd, "unexpected argument '%s'",
		    argv[1]);
	if (rc >= 0)
		return rc;
	ingest_defaults(&in, ctx, out_fd, flags);
	memset(&input, 0, sizeof input);
	ingest_describe(&input, in_fd, source_name);
	input.shown = source_name;
	rc = ingest_main(&in, &input, 1, source_name);
	ingest_free(&in);
	return rc;
}

int
ingest_stream(struct cmd_ctx *ctx, int argc, char **argv, int in_fd,
    int out_fd, const char *source_name)
{
	return ingest_stream_flags(ctx, argc, argv, in_fd, out_fd,
	    source_name, 0);
}

static int
cmd_ingest(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct ingest in;
	struct ingest_input *inputs;
	struct buf source = BUF_INIT;
	int first = 0, i, rc, fd, ninputs, failed = 0;

	ingest_defaults(&in, ctx, STDOUT_FILENO, 0);

	/* Open every input first: a missing one makes no run. */
	ninputs = first == argc ? 1 : argc - first;
	inputs = xcalloc((size_t)ninputs, sizeof *inputs);
	for (i = 0; i < ninputs; i++) {
		const char *name = first == argc ? "-" : argv[first + i];

		if (strcmp(name, "-") == 0)
			fd = STDIN_FILENO;
		else if ((fd = open(name, O_RDONLY | O_CLOEXEC)) < 0) {
			cmd_error("cannot open '%s': %s", name,
			    strerror(errno));
			failed = 1;
			inputs[i].fd = -1;
			continue;
		}
		ingest_describe(&inputs[i], fd, name);
		in.total_bytes += inputs[i].size;
		if (!inputs[i].regular || fd == STDIN_FILENO)
			in.progress = -1;
	}
	if (failed) {
		cmd_error("nothing was stored: no run was made");
		rc = EXIT_INPUT;
		goto out;
	}
	/* A progress line for files read on a terminal, unless -q. */
	in.progress = in.progress == 0 && !in.quiet &&
	    isatty(STDERR_FILENO) && in.total_bytes > 0;

	for (i = first; i < argc; i++) {
		if (i > first)
			buf_addc(&source, ' ');
		buf_adds(&source, argv[i]);
	}
	rc = ingest_main(&in, inputs, ninputs, first == argc ? "-" :
	    source.data);
out:
	for (i = 0; i < ninputs; i++)
		if (inputs[i].fd > STDIN_FILENO)
			close(inputs[i].fd);
	free(inputs);
	buf_free(&source);
	ingest_free(&in);
	return rc;
}

/*
 * The store is not opened here but by the writer thread (writer.h), which
 * waits for a busy store without holding the input back; the grammars are
 * loaded gently: without them the input still flows through.
 */
const struct cmd_entry cmd_ingest_entry = {
	.name = "ingest",
	.usage = "[options] [FILE ...]",
	.summary = "store the gc and scheduler traces of a Go program",
	.options = (const struct option_spec[]){
		OPTION_FLAG("quiet", 'q',
		    "do not pass application lines through",
		    &ingest_opt_quiet),
		OPTION_FLAG("echo", 'e', "pass trace lines through as well",
		    &ingest_opt_echo),
		OPTION_STRING("name", 'n', "NAME", "name the run",
		    &ingest_opt_name),
		OPTION_CUSTOM("label", 'l', "KEY=VAL",
		    "label the run (repeatable)", &ingest_opt_labels,
		    cmd_parse_label),
		OPTION_INT("hold", 0, "MS",
		    "wait for the rest of a torn line (100)",
		    &ingest_opt_hold_ms, 0, 60000, "milliseconds"),
		OPTION_CUSTOM("input-format", 0, "F",
		    "auto, text, cri, docker-json or journal-json",
		    &ingest_opt_format, ingest_option_format),
		OPTION_CUSTOM("backlog", 0, "SIZE",
		    "records kept while the store is busy (64MiB)",
		    &ingest_opt_backlog, ingest_option_backlog),
		CMD_OPTION_GRAMMARS,
		CMD_OPTION_DB,
		OPTION_END
	},
	.flags = CMD_GRAMMARS | CMD_GRAMMARS_GENTLY | CMD_OPERANDS,
	.exec = cmd_ingest
};
