/*
 * schema.h - the record kinds tracestat stores, and their columns.
 *
 * A record kind is one sort of trace line (a gc cycle, a scheduler sample,
 * ...).  Grammar rules name a kind; their named capture groups name columns
 * of that kind's table.  The store creates its tables from these lists, so
 * this file is the single description of the trace tables.
 */
#ifndef TRACESTAT_SCHEMA_H
#define TRACESTAT_SCHEMA_H

#include <stddef.h>

enum kind {
	KIND_GC,		/* gc N @... line, Go 1.5+ */
	KIND_GC_FORCED,		/* "GC forced" announcement of a periodic GC */
	KIND_GC_LEGACY,		/* gcN(P): ... line, Go 1.4 and older */
	KIND_SCAN,		/* scan: lines of gctrace=2, Go 1.25+ */
	KIND_SCHED,		/* SCHED line, summary or detailed header */
	KIND_SCHED_P,		/* "  Pn:" line of a detailed dump */
	KIND_SCHED_M,		/* "  Mn:" line */
	KIND_SCHED_G,		/* "  Gn:" line */
	KIND_SCVG_RELEASED,	/* scvgN: X MB released (merged into KIND_SCVG) */
	KIND_SCVG,		/* scvgN: inuse: ... (Go 1.5-1.13) */
	KIND_SCAV,		/* scav ... (Go 1.14+) */
	KIND_PACER_START,	/* pacer: assist ratio=... */
	KIND_PACER_END,		/* pacer: H_m_prev=... or pacer: N% CPU ... */
	KIND_PACER_SWEEP,	/* pacer: sweep done ... */
	KIND_EVENT,		/* fatal error:, panic:, runtime: ... */
	KIND_PREFIX,		/* a log collector's prefix before a line */
	KIND_FRAGMENT,		/* the end of a trace line without its start */
	KIND_COUNT
};

enum col_type {
	COL_INT,
	COL_REAL,
	COL_TEXT
};

struct column {
	const char	*name;
	enum col_type	 type;
};

struct kind_info {
	const char		*name;		/* name used in grammar files */
	const char		*table;		/* NULL: not stored as rows */
	const struct column	*columns;
	size_t			 ncolumns;
	const char *const	*lists;		/* integer-list fields, NULL-ended */
};

/* Columns every trace table has before its own, in this order. */
extern const struct column schema_common_columns[];
extern const size_t schema_ncommon_columns;

/* Information about kind k; k must be < KIND_COUNT. */
const struct kind_info *schema_kind(enum kind k);

/* The kind called name in grammar files, or -1. */
int schema_kind_by_name(const char *name);

/* Index of column name in kind k's own columns, or -1. */
int schema_column_index(enum kind k, const char *name);

/* Index of integer-list field name of kind k, or -1. */
int schema_list_index(enum kind k, const char *name);

#endif
