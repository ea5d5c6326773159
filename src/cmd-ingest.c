#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "grammar.h"
#include "input.h"
#include "trace.h"
#include "xalloc.h"
#include "banned.h"

#define INGEST_BATCH_LINES 10000
#define INGEST_BATCH_MS 250
#define INGEST_OUTPUT_MAX 65536
/* Malformed records reported one by one; the rest are counted. */
#define INGEST_SKIPS_SHOWN 10

struct ingest {
	struct cmd_ctx	*ctx;
	int		 quiet;
	int		 echo;
	const char	*name;
	char		**labels;
	int		 nlabels;
	int		 hold_ms;

	struct grammar	 grammar;
	struct tracer	 tracer;
	struct store	*store;		/* NULL once it failed */
	int64_t		 run_id;
	int		 store_failed;
	int		 grammar_failed;
	int		 input_failed;
	int		 in_batch;
	int64_t		 batch_lines;
	int64_t		 batch_start_ms;
	struct buf	 out;		/* pending pass-through output */
	int		 stdout_closed;
	struct buf	 err;
	struct input	 input;
	enum input_format format;
};

static volatile sig_atomic_t ingest_signal;

static void
ingest_on_signal(int sig)
{
	ingest_signal = sig;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Write what is pending to standard output. */
static void
ingest_flush_output(struct ingest *in)
{
	size_t off = 0;
	ssize_t n;

	while (off < in->out.len && !in->stdout_closed) {
		n = write(STDOUT_FILENO, in->out.data + off,
		    in->out.len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* A closed pipe (| head) must not stop the ingest. */
			in->stdout_closed = 1;
			break;
		}
		off += (size_t)n;
	}
	buf_reset(&in->out);
}

static void
ingest_output(void *ctx, const char *s, size_t len, int trace)
{
	struct ingest *in = ctx;

	/* -q drops application text, never a crash message. */
	if ((in->quiet && trace != 2) || in->stdout_closed)
		return;
	buf_add(&in->out, s, len);
	if (in->out.len >= INGEST_OUTPUT_MAX)
		ingest_flush_output(in);
}

static void
ingest_store_failed(struct ingest *in)
{
	if (!in->store_failed)
		cmd_error("%s; application output keeps passing through, "
		    "nothing more is stored", buf_str(&in->err));
	in->store_failed = 1;
	buf_reset(&in->err);
}

static int
ingest_batch_begin(struct ingest *in)
{
	if (in->store == NULL || in->store_failed)
		return -1;
	if (in->in_batch)
		return 0;
	if (store_begin(in->store, &in->err) < 0) {
		ingest_store_failed(in);
		return -1;
	}
	in->in_batch = 1;
	in->batch_lines = 0;
	in->batch_start_ms = now_ms();
	return 0;
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
}

/* Commit the batch, with the open segments and the run's counts. */
static void
ingest_commit(struct ingest *in, const char *status)
{
	struct run_counts c;
	struct segment *segs;
	int n, i;

	if (in->store == NULL || in->store_failed)
		return;
	if (ingest_batch_begin(in) < 0)
		return;
	segs = tracer_open_segments(&in->tracer, &n);
	for (i = 0; i < n; i++) {
		if (!segs[i].dirty)
			continue;
		if (store_write_segment(in->store, in->run_id, &segs[i],
		    &in->err) < 0) {
			ingest_store_failed(in);
			return;
		}
		segs[i].dirty = 0;
	}
	ingest_counts(in, &c);
	if (store_run_update(in->store, in->run_id, &c, status,
	    &in->err) < 0 || store_commit(in->store, &in->err) < 0) {
		ingest_store_failed(in);
		return;
	}
	in->in_batch = 0;
}

static int
ingest_record(void *ctx, const struct record *r)
{
	struct ingest *in = ctx;

	if (ingest_batch_begin(in) < 0)
		return 0;
	if (store_write_record(in->store, in->run_id, r, &in->err) < 0) {
		ingest_store_failed(in);
		return 0;
	}
	return 0;
}

static void
ingest_segment_closed(void *ctx, const struct segment *s)
{
	struct ingest *in = ctx;

	if (ingest_batch_begin(in) < 0)
		return;
	if (store_write_segment(in->store, in->run_id, s, &in->err) < 0)
		ingest_store_failed(in);
}

static void
ingest_broken(void *ctx, int64_t line_no, const char *reason, const char *s,
    size_t len)
{
	struct ingest *in = ctx;

	if (ingest_batch_begin(in) < 0)
		return;
	if (store_write_broken(in->store, in->run_id, line_no, reason, s, len,
	    &in->err) < 0)
		ingest_store_failed(in);
}

/* Milliseconds to wait for input before there is work to do, or -1. */
static int
ingest_timeout(struct ingest *in, int64_t *hold_deadline)
{
	int64_t now = now_ms(), deadline = -1;

	if (tracer_holding(&in->tracer)) {
		if (*hold_deadline < 0)
			*hold_deadline = now + in->hold_ms;
		deadline = *hold_deadline;
	} else {
		*hold_deadline = -1;
	}
	if (in->in_batch) {
		int64_t d = in->batch_start_ms + INGEST_BATCH_MS;

		if (deadline < 0 || d < deadline)
			deadline = d;
	}
	if (deadline < 0)
		return in->out.len > 0 ? 0 : -1;
	return deadline > now ? (int)(deadline - now) : 0;
}

/*
 * Hand the input's lines to the tracer until the current file (or, after
 * input_end, everything) has ended, or a signal.  Returns -1 on a read
 * error.
 */
static int
ingest_lines(struct ingest *in)
{
	struct input_line line;
	enum input_status st;
	int64_t hold_deadline = -1;
	int rc = 0, timeout;

	for (;;) {
		if (ingest_signal)
			break;
		timeout = ingest_timeout(in, &hold_deadline);
		st = input_next(&in->input, &line, timeout, &in->err);
		if (st == INPUT_LINE) {
			tracer_set_next_line(&in->tracer, line.has_wall,
			    line.wall_s, input_stream_name(line.stream));
			if (tracer_feed(&in->tracer, line.s, line.len) < 0)
				ingest_store_failed(in);
			if (in->in_batch && ++in->batch_lines >=
			    INGEST_BATCH_LINES)
				ingest_commit(in, "running");
			else if (in->in_batch && (in->batch_lines & 255) == 0 &&
			    now_ms() - in->batch_start_ms >= INGEST_BATCH_MS)
				ingest_commit(in, "running");
			continue;
		}
		if (st == INPUT_PIECE) {
			tracer_feed_overlong(&in->tracer, line.s, line.len,
			    line.first_piece);
			continue;
		}
		if (st == INPUT_SKIPPED) {
			if (in->input.skipped <= INGEST_SKIPS_SHOWN)
				cmd_warn("%s", buf_str(&in->err));
			buf_reset(&in->err);
			continue;
		}
		if (st == INPUT_NOTICE) {
			cmd_warn("%s", buf_str(&in->err));
			buf_reset(&in->err);
			continue;
		}
		if (st == INPUT_TIMEOUT) {
			/* The writer is quiet: show what we have. */
			ingest_flush_output(in);
			if (hold_deadline >= 0 && now_ms() >= hold_deadline) {
				tracer_release(&in->tracer);
				ingest_flush_output(in);
				hold_deadline = -1;
			}
			if (in->in_batch && now_ms() - in->batch_start_ms >=
			    INGEST_BATCH_MS)
				ingest_commit(in, "running");
			continue;
		}
		if (st == INPUT_INTERRUPTED)
			continue;
		if (st == INPUT_ERROR) {
			cmd_error("%s", buf_str(&in->err));
			buf_reset(&in->err);
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
	int64_t n = grammar_limit_hits(&in->grammar, &rules);

	if (n > 0)
		cmd_warn("%lld matches stopped at the pattern limits and "
		    "counted as no match, by rule: %s", (long long)n,
		    buf_str(&rules));
	buf_free(&rules);
}

static int
ingest_parse(struct ingest *in, int argc, char **argv, int *first)
{
	static const struct option options[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "echo", no_argument, NULL, 'e' },
		{ "name", required_argument, NULL, 'n' },
		{ "label", required_argument, NULL, 'l' },
		{ "hold", required_argument, NULL, 'H' },
		{ "input-format", required_argument, NULL, 'F' },
		CMD_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	long v;
	int c, rc;

	while ((c = getopt_long(argc, argv, ":qen:l:h", options, NULL)) != -1) {
		switch (c) {
		case 'q':
			in->quiet = 1;
			break;
		case 'e':
			in->echo = 1;
			break;
		case 'n':
			in->name = optarg;
			break;
		case 'l':
			if (strchr(optarg, '=') == NULL || optarg[0] == '=')
				return cmd_usage_error(in->ctx->cmd, "a label "
				    "is KEY=VALUE, not '%s'", optarg);
			in->labels = xrealloc(in->labels, sizeof *in->labels *
			    (size_t)(in->nlabels + 1));
			in->labels[in->nlabels++] = optarg;
			break;
		case 'F':
			c = input_format_by_name(optarg);
			if (c < 0)
				return cmd_usage_error(in->ctx->cmd, "--input-"
				    "format is auto, text, cri, docker-json or "
				    "journal-json, not '%s'", optarg);
			in->format = (enum input_format)c;
			break;
		case 'H':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || errno != 0 ||
			    v < 0 ||
			    v > 60000)
				return cmd_usage_error(in->ctx->cmd, "--hold "
				    "takes milliseconds from 0 to 60000, not "
				    "'%s'", optarg);
			in->hold_ms = (int)v;
			break;
		default:
			rc = cmd_common_option(in->ctx, c, optarg, argv);
			if (rc == 0)
				return -1;
			if (rc < 0)
				return EXIT_USAGE;
		}
	}
	*first = optind;
	return EXIT_OK;
}

static void
ingest_source(struct buf *b, int argc, char **argv, int first)
{
	int i;

	if (first == argc) {
		buf_adds(b, "-");
		return;
	}
	for (i = first; i < argc; i++) {
		if (i > first)
			buf_addc(b, ' ');
		buf_adds(b, argv[i]);
	}
}

int
cmd_ingest(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct ingest in;
	struct tracer_callbacks cb;
	struct sigaction sa;
	struct buf source = BUF_INIT;
	char *dir;
	int first = 0, i, rc, fd, ninputs;
	int64_t input_first;

	memset(&in, 0, sizeof in);
	in.ctx = ctx;
	in.hold_ms = 100;
	rc = ingest_parse(&in, argc, argv, &first);
	if (rc != EXIT_OK) {
		free(in.labels);
		return rc < 0 ? EXIT_OK : rc;
	}

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ingest_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	/*
	 * From here on every failure is reported once and the input keeps
	 * flowing to standard output: stopping would stall or kill the
	 * application writing into the pipe.
	 */
	dir = grammar_find_dir(ctx->grammar_dir, &in.err);
	if (dir == NULL || grammar_load_dir(&in.grammar, dir, &in.err) < 0) {
		cmd_error("%s", buf_str(&in.err));
		in.grammar_failed = 1;
		grammar_free(&in.grammar);
	}
	free(dir);
	buf_reset(&in.err);

	if (!in.grammar_failed) {
		in.store = store_open(ctx->db_path, 1, &in.err);
		if (in.store == NULL)
			ingest_store_failed(&in);
	}
	ingest_source(&source, argc, argv, first);
	if (in.store != NULL && store_run_begin(in.store, in.name,
	    source.data, in.labels, in.nlabels, &in.run_id, &in.err) < 0)
		ingest_store_failed(&in);

	memset(&cb, 0, sizeof cb);
	cb.ctx = &in;
	cb.record = ingest_record;
	cb.output = ingest_output;
	cb.segment_closed = ingest_segment_closed;
	cb.broken = ingest_broken;
	tracer_init(&in.tracer, &in.grammar, &cb);
	in.tracer.echo = in.echo;
	input_init(&in.input, in.format);

	ninputs = first == argc ? 1 : argc - first;
	for (i = 0; i < ninputs && !ingest_signal; i++) {
		const char *name = first == argc ? "-" : argv[first + i];

		if (strcmp(name, "-") == 0) {
			fd = STDIN_FILENO;
		} else if ((fd = open(name, O_RDONLY | O_CLOEXEC)) < 0) {
			cmd_error("cannot open '%s': %s", name,
			    strerror(errno));
			in.input_failed = 1;
			continue;
		}
		if (in.store != NULL && !in.store_failed &&
		    store_run_input(in.store, in.run_id, i + 1,
		    strcmp(name, "-") == 0 ? "(stdin)" : name, &in.err) < 0)
			ingest_store_failed(&in);
		input_first = in.tracer.counts.lines + 1;
		input_open(&in.input, fd, strcmp(name, "-") == 0 ?
		    "(stdin)" : name);
		if (i == ninputs - 1)
			input_end(&in.input);
		if (ingest_lines(&in) < 0)
			in.input_failed = 1;
		/* Held lines go out; a torn line may go on in the next. */
		if (!ingest_signal)
			tracer_release(&in.tracer);
		if (fd != STDIN_FILENO)
			close(fd);
		if (in.store != NULL && !in.store_failed) {
			if (ingest_batch_begin(&in) == 0 &&
			    store_run_input_end(in.store, in.run_id, i + 1,
			    input_first, in.tracer.counts.lines, &in.err) < 0)
				ingest_store_failed(&in);
		}
	}
	/* Kept for a next file that could not be opened: hand it out. */
	input_end(&in.input);
	if (!ingest_signal && ingest_lines(&in) < 0)
		in.input_failed = 1;
	tracer_finish(&in.tracer);
	ingest_flush_output(&in);
	ingest_commit(&in, ingest_signal ? "interrupted" : "complete");

	if (!in.grammar_failed) {
		const struct tracer_counts *t = &in.tracer.counts;

		fflush(stdout);
		if (in.store != NULL && !in.store_failed)
			fprintf(stderr, "tracestat: run %lld: ",
			    (long long)in.run_id);
		else
			fprintf(stderr, "tracestat: not stored: ");
		fprintf(stderr, "%lld gc cycles, %lld scheduler samples, "
		    "%lld repaired, %lld unrecognised\n",
		    (long long)t->gc_cycles, (long long)t->sched_samples,
		    (long long)t->repaired, (long long)t->unrecognised);
		if (in.input.skipped > INGEST_SKIPS_SHOWN)
			cmd_warn("%lld malformed records skipped in all",
			    (long long)in.input.skipped);
		ingest_warn_limits(&in);
	}

	rc = EXIT_OK;
	if (in.input_failed)
		rc = EXIT_INPUT;
	if (in.store_failed || (in.store == NULL && !in.grammar_failed))
		rc = EXIT_STORE;
	if (in.grammar_failed)
		rc = EXIT_GRAMMAR;

	store_close(in.store);
	tracer_free(&in.tracer);
	input_free(&in.input);
	grammar_free(&in.grammar);
	buf_free(&in.out);
	buf_free(&in.err);
	buf_free(&source);
	free(in.labels);
	return rc;
}
