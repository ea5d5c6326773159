#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "banned.h"

/* The labels as one "k=v,k=v" text, NULL when there are none. */
static void
runs_out_labels(struct out *o, const struct store_run *r)
{
	struct buf b = BUF_INIT;
	size_t i;

	if (r->nlabels == 0) {
		out_null(o);
		return;
	}
	for (i = 0; i < r->nlabels; i++)
		buf_addf(&b, "%s%s", i > 0 ? "," : "", r->labels[i]);
	out_text(o, buf_str(&b));
	buf_free(&b);
}

static void
runs_out_run(struct out *o, const struct store_run *r)
{
	out_int(o, r->id);
	out_text(o, r->name);
	out_text(o, r->started_at);
	out_text(o, r->ended_at);
	out_text(o, r->status);
	out_text(o, r->source);
	out_int(o, r->counts.segments);
	out_int(o, r->counts.gc_cycles);
	out_int(o, r->counts.sched_samples);
	out_int(o, r->counts.lines);
	out_int(o, r->counts.repaired);
	out_int(o, r->counts.unrecognised);
	runs_out_labels(o, r);
	out_int(o, r->counts.dropped);
	out_text(o, r->reason);
	out_row_end(o);
}

static int
cmd_runs(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const names[] = { "run", "name", "started_at",
	    "ended_at", "status", "source", "segments", "gc_cycles",
	    "sched_samples", "lines", "repaired_lines",
	    "unrecognised_lines", "labels", "dropped_records",
	    "status_reason" };
	struct store *s = ctx->store;
	struct store_run *runs = NULL;
	struct buf err = BUF_INIT;
	struct out *o;
	size_t i, n = 0;
	int rc;

	if (store_runs_list(s, &runs, &n, &err) < 0) {
		cmd_error("'%s': %s", ctx->db_path, buf_str(&err));
		rc = EXIT_STORE;
	} else {
		o = out_new(stdout, ctx->format);
		for (i = 0; i < sizeof names / sizeof names[0]; i++)
			out_column(o, names[i]);
		for (i = 0; i < n; i++)
			runs_out_run(o, &runs[i]);
		out_finish(o);
		rc = EXIT_OK;
	}
	store_runs_free(runs, n);
	buf_free(&err);
	return rc;
}

const struct cmd_entry cmd_runs_entry = {
	.name = "runs",
	.usage = "[options]",
	.summary = "list the runs in the store",
	.options = (const struct option_spec[]){
		CMD_OPTION_FORMAT,
		CMD_OPTION_DB,
		OPTION_END
	},
	.flags = CMD_STORE_READ,
	.exec = cmd_runs
};
