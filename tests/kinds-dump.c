/*
 * kinds-dump.c - print the record kinds' descriptors (src/tracer/schema.c) for
 * the meta-test t1480, and check that they hold together: every column
 * a derivation, a check, a role or a merge names exists in its kind,
 * merged values are integers, no column appears twice, a record has room
 * for the columns and lists.
 *
 * Output, one line each, fields separated by one space:
 *	kind NAME TABLE|- FLAGS (trace, mid-line, or -)
 *	column TABLE|* NAME TYPE UNIT (* for the common columns)
 *	list KIND NAME
 *	derived KIND COLUMN
 * Exit 1 (after the lines) when a check failed, its reason on stderr.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../src/tracer/record.h"
#include "../src/tracer/schema.h"

static int failed;

static void
need(int k, const char *what, const char *name)
{
	if (name != NULL && schema_column_index((enum kind)k, name) < 0) {
		fprintf(stderr, "kind '%s': %s names no column '%s'\n",
		    schema_kind((enum kind)k)->name, what, name);
		failed = 1;
	}
}

static void
check_kind(int k)
{
	const struct kind_info *ki = schema_kind((enum kind)k);
	size_t i, j;
	int l, nlists = 0;

	while (ki->lists != NULL && ki->lists[nlists] != NULL)
		nlists++;
	if (nlists > RECORD_MAX_LISTS) {
		fprintf(stderr, "kind '%s': more lists than a record holds\n",
		    ki->name);
		failed = 1;
	}

	need(k, "number_column", ki->number_column);
	need(k, "time_column", ki->time_column);
	need(k, "goal_column", ki->goal_column);
	need(k, "forced_column", ki->forced_column);
	if (ki->role == ROLE_GC_CYCLE && ki->number_column == NULL) {
		fprintf(stderr, "kind '%s': a gc cycle without a number\n",
		    ki->name);
		failed = 1;
	}
	if (ki->role == ROLE_SCHED_SAMPLE && ki->time_column == NULL) {
		fprintf(stderr, "kind '%s': a sample without a time\n",
		    ki->name);
		failed = 1;
	}
	if (ki->ncolumns > RECORD_MAX_COLUMNS) {
		fprintf(stderr, "kind '%s': more columns than a record holds\n",
		    ki->name);
		failed = 1;
	}
	for (i = 0; i < ki->ncolumns; i++)
		for (j = i + 1; j < ki->ncolumns; j++)
			if (strcmp(ki->columns[i].name,
			    ki->columns[j].name) == 0) {
				fprintf(stderr, "kind '%s': column '%s' "
				    "twice\n", ki->name, ki->columns[i].name);
				failed = 1;
			}
	for (i = 0; i < ki->nderived; i++) {
		const struct derived *d = &ki->derived[i];

		need(k, "a derivation", d->column);
		need(k, "a derivation", d->from[0]);
		need(k, "a derivation", d->from[1]);
		if ((d->op == DERIVE_LIST_SUM || d->op == DERIVE_LIST_MAX) &&
		    (d->list < 0 || d->list >= nlists)) {
			fprintf(stderr, "kind '%s': '%s' sums no list\n",
			    ki->name, d->column);
			failed = 1;
		}
	}
	for (i = 0; i < ki->nchecks; i++) {
		need(k, "a check", ki->checks[i].column);
		need(k, "a check", ki->checks[i].from[0]);
		need(k, "a check", ki->checks[i].from[1]);
		need(k, "a check", ki->checks[i].scale);
	}
	for (l = 0, j = 0; l < 2 && ki->merge_columns != NULL; l++) {
		const char *const *names = l == 0 ? ki->merge_keys :
		    ki->merge_columns;
		int c;

		for (i = 0; names != NULL && names[i] != NULL; i++, j++) {
			if (j == SCHEMA_MAX_MERGE) {
				fprintf(stderr, "kind '%s': more than %d merge "
				    "keys and columns\n", ki->name,
				    SCHEMA_MAX_MERGE);
				failed = 1;
			}
			need(k, "a merge", names[i]);
			need(ki->merge_into, "a merge", names[i]);
			c = schema_column_index((enum kind)k, names[i]);
			if (c >= 0 && ki->columns[c].type != COL_INT) {
				fprintf(stderr, "kind '%s': merged column "
				    "'%s' is not an integer\n", ki->name,
				    names[i]);
				failed = 1;
			}
		}
	}
}

int
main(void)
{
	size_t i;
	int k;

	for (i = 0; i < schema_ncommon_columns; i++)
		printf("column * %s %s %s\n", schema_common_columns[i].name,
		    schema_type_name(schema_common_columns[i].type),
		    schema_unit_name(schema_common_columns[i].unit));
	for (k = 0; k < KIND_COUNT; k++) {
		const struct kind_info *ki = schema_kind((enum kind)k);
		const char *table = ki->table != NULL ? ki->table : "-";

		printf("kind %s %s %s\n", ki->name, table,
		    (ki->flags & KIND_MID_LINE) ? "mid-line" :
		    (ki->flags & KIND_TRACE_LINE) ? "trace" : "-");
		for (i = 0; i < ki->ncolumns; i++)
			printf("column %s %s %s %s\n", table,
			    ki->columns[i].name,
			    schema_type_name(ki->columns[i].type),
			    schema_unit_name(ki->columns[i].unit));
		for (i = 0; ki->lists != NULL && ki->lists[i] != NULL; i++)
			printf("list %s %s\n", ki->name, ki->lists[i]);
		for (i = 0; i < ki->nderived; i++)
			printf("derived %s %s\n", ki->name,
			    ki->derived[i].column);
		check_kind(k);
	}
	return failed;
}
