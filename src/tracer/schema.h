/*
 * schema.h - the record kinds tracestat stores, and their columns.
 *
 * A record kind is one sort of trace line (a gc cycle, a scheduler sample,
 * ...).  Grammar rules name a kind; their named capture groups name columns
 * of that kind's table.  Each kind is described once, as data, by one
 * struct kind_info in schema.c: its table, its columns with their types
 * and units, the values the tracer derives, the checks that tell a
 * plausible line, what it means to the segments of a run.  The tracer,
 * the store's DDL and inserts, the writer and the meta-tests that keep
 * tracestat-db(5) true all read these descriptors.  Adding a kind is a
 * grammar rule plus one descriptor (src/README.md says how).
 */
#ifndef TRACESTAT_SCHEMA_H
#define TRACESTAT_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

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

/*
 * What a column's number counts.  The end of a column's name says the
 * same for times and sizes (_us, _ms, _s, _mib, _kib, _b, _pct); the
 * meta-test t1480 holds names, units and tracestat-db(5) together.
 */
enum col_unit {
	UNIT_US,	/* microseconds */
	UNIT_MS,	/* milliseconds */
	UNIT_S,		/* seconds */
	UNIT_MIB,	/* MiB, truncated as the runtime prints them */
	UNIT_KIB,	/* KiB, truncated likewise */
	UNIT_BYTES,
	UNIT_PCT,	/* percent */
	UNIT_COUNT,	/* a number of things, or an ordinal */
	UNIT_FLAG,	/* 0 or 1 */
	UNIT_ID,	/* names a thing: a run, a P, an M, a goroutine */
	UNIT_CODE,	/* a status code of the runtime */
	UNIT_RATIO,	/* a dimensionless real */
	UNIT_TEXT
};

struct column {
	const char	*name;
	enum col_type	 type;
	enum col_unit	 unit;
};

/*
 * A value the tracer derives from the line's own values, from the segment
 * it belongs to, or gives a column the line left empty.  Applied in the
 * order listed, after the record's segment is known.  A missing source
 * (NULL, or not a number) leaves the column as the line gave it.
 */
enum derive_op {
	DERIVE_DEFAULT,		/* value, when the line gave none */
	DERIVE_DEFAULT_EQUALS,	/* 1 if from[0] is value, else 0; when none */
	DERIVE_SUM,		/* from[0] + from[1]; NULL if it overflows */
	DERIVE_SUM_IF_NULL,	/* the same, only when the line gave none */
	DERIVE_LIST_SUM,	/* sum of list number list; NULL on overflow */
	DERIVE_LIST_MAX,	/* largest of list number list, at least 0 */
	DERIVE_AND,		/* from[0] & value */
	DERIVE_TEST,		/* (from[0] & value) != 0 */
	DERIVE_SHIFT_IF_NULL,	/* from[0] >> value, when the line gave none */
	DERIVE_TEXT_IS,		/* value when text column from[0] is text */
	DERIVE_NEXT_GC,		/* the cycle after the segment's last, or 1 */
	DERIVE_LAST_GC,		/* the segment's last gc cycle, if any */
	DERIVE_PERIODIC		/* 1 after a "GC forced" line, else 0 */
};

struct derived {
	const char	*column;
	enum derive_op	 op;
	const char	*from[2];
	int64_t		 value;
	int		 list;
	const char	*text;
};

/*
 * A plausibility check: could the runtime have printed this value?  Used
 * to choose between ways of joining a torn line (a number grown by the
 * digits of application text fails one).  NULL values count as 0, except
 * scale, which counts as at least 1.  The record passes when
 *
 *	column <= base * scale * times + plus
 *
 * where base is the sum of the columns from (0 with none), or a value of
 * the current segment (the check is skipped when it has none).
 */
enum check_base {
	BASE_COLUMNS,
	BASE_SEGMENT_GOAL,	/* the segment's last heap goal + 1 */
	BASE_SEGMENT_SCHED_MS,	/* the segment's last SCHED time */
	BASE_NEXT_GC		/* column must continue an open process */
};

struct check {
	const char	*column;
	enum check_base	 base;
	const char	*from[2];
	const char	*scale;
	int64_t		 times, plus;
};

/* What a kind's records mean to the segments (the processes) of a run. */
enum kind_role {
	ROLE_NONE,
	ROLE_GC_CYCLE,		/* one gc cycle: number, start time */
	ROLE_SCHED_SAMPLE,	/* one scheduler sample: time */
	ROLE_GC_FORCED		/* announces that the next cycle is periodic */
};

/* Merge keys and columns of a kind, together (struct kind_info). */
#define SCHEMA_MAX_MERGE 4

/* Kind flags: the masks of kinds the tracer matches. */
#define KIND_TRACE_LINE	0x1	/* a trace line (not a prefix, a fragment) */
#define KIND_MID_LINE	0x2	/* signature distinctive enough mid-line */

/* Bit mask of the kinds with flag. */
unsigned schema_kind_mask(unsigned flag);

struct kind_info {
	const char		*name;		/* name used in grammar files */
	const char		*table;		/* NULL: not stored as rows */
	const struct column	*columns;
	size_t			 ncolumns;
	const char *const	*lists;		/* integer-list fields, NULL-ended */
	unsigned		 flags;		/* KIND_* flags */
	enum kind_role		 role;
	const char		*number_column;	/* the gc cycle's number */
	const char		*time_column;	/* its start, or its time */
	const char		*goal_column;	/* heap goal (segment's last) */
	const char		*forced_column;	/* counted as forced cycles */
	const struct derived	*derived;
	size_t			 nderived;
	const struct check	*checks;
	size_t			 nchecks;
	/*
	 * A line whose values belong to the next record of another kind
	 * (scvgN: X MB released, then scvgN: inuse: ...): its columns
	 * merge_columns are given to the next record of kind merge_into
	 * when that one has the same values in merge_keys (NULL values are
	 * not given).  No merge when merge_columns is NULL.  Integer columns, SCHEMA_MAX_MERGE keys and
	 * columns together at most.
	 */
	int			 merge_into;
	const char *const	*merge_keys;	/* NULL-ended */
	const char *const	*merge_columns;	/* NULL-ended */
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

/* The name of a unit as tracestat-db(5) writes it ("us", "MiB", ...). */
const char *schema_unit_name(enum col_unit u);

/* The SQL type of a column type ("INTEGER", "REAL", "TEXT"). */
const char *schema_type_name(enum col_type t);

/*
 * "1.18" style text of a Go release number such as 118 ("+" for 999 and
 * later), as segments.go_min and go_max hold it.
 */
void record_version_text(int version, char *out, size_t size);

#endif
