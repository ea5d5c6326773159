#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "banned.h"

/*
 * query: one read-only statement in the SQL of the store's engine
 * (store_query), its rows printed as a table, CSV or JSON.
 */

struct query_state {
	struct cmd_ctx	*ctx;
	struct out	*o;	/* made when the columns are known */
};

static void
query_columns(void *arg, const char *const *names, size_t n)
{
	struct query_state *q = arg;
	size_t i;

	if (q->o == NULL)
		q->o = out_new(stdout, q->ctx->format);
	for (i = 0; i < n; i++)
		out_column(q->o, names[i]);
}

static void
query_row(void *arg, const struct value *values, size_t n)
{
	struct query_state *q = arg;
	size_t i;

	for (i = 0; i < n; i++) {
		switch (values[i].type) {
		case VAL_NULL:
			out_null(q->o);
			break;
		case VAL_INT:
			out_int(q->o, values[i].i);
			break;
		case VAL_REAL:
			out_real(q->o, values[i].r, -1);
			break;
		case VAL_TEXT:
			out_text_len(q->o, values[i].s, values[i].len);
			break;
		}
	}
	out_row_end(q->o);
}

static int
cmd_query_check(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cmd_usage_error(ctx->cmd, argc == 0 ? "missing SQL" :
		    "give the SQL as one argument (quote it)");
	return EXIT_OK;
}

static int
cmd_query(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct query_state q = { ctx, NULL };
	struct store_query_sink sink = { &q, query_columns, query_row };
	struct buf err = BUF_INIT;
	int rc;

	(void)argc;
	rc = store_query(ctx->store, argv[0], &sink, &err);
	if (q.o != NULL)
		out_finish(q.o);
	if (rc != 0)
		cmd_error("%s", buf_str(&err));
	buf_free(&err);
	return rc == 0 ? EXIT_OK : rc == 1 ? EXIT_USAGE : EXIT_STORE;
}

const struct cmd_entry cmd_query_entry = {
	.name = "query",
	.usage = "[options] SQL",
	.summary = "run a read-only SQL query on the store",
	.options = (const struct option_spec[]){
		CMD_OPTION_FORMAT,
		CMD_OPTION_DB,
		OPTION_END
	},
	.flags = CMD_STORE_READ | CMD_OPERANDS,
	.check = cmd_query_check,
	.exec = cmd_query
};
