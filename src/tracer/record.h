/*
 * record.h - one parsed trace line on its way to the store.
 */
#ifndef TRACESTAT_RECORD_H
#define TRACESTAT_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "schema.h"

#define RECORD_MAX_COLUMNS 32
#define RECORD_MAX_LISTS 2

enum value_type {
	VAL_NULL,
	VAL_INT,
	VAL_REAL,
	VAL_TEXT
};

struct value {
	enum value_type	 type;
	int64_t		 i;
	double		 r;
	const char	*s;		/* VAL_TEXT: the text; else the bytes */
	size_t		 len;		/* it was read from, or NULL */
};

struct record {
	enum kind	 kind;
	int		 segment;	/* ordinal within the run, from 1 */
	int64_t		 line_no;	/* first physical line, from 1 */
	int		 has_wall;
	double		 wall_s;	/* from a log collector's prefix */
	int		 repaired;	/* joined from pieces of lines */
	const char	*raw;		/* the trace text, prefix removed */
	size_t		 raw_len;
	const char	*rule;		/* grammar rule name */
	struct value	 columns[RECORD_MAX_COLUMNS];
	int64_t		*lists[RECORD_MAX_LISTS];
	size_t		 list_len[RECORD_MAX_LISTS];
	struct buf	 extra;		/* x_ fields as a JSON object */
};

/* The segments of a run: one per process seen in the stream. */
struct segment {
	int		 number;
	const char	*reason;	/* why it started */
	int64_t		 first_line, last_line;
	int64_t		 gc_cycles, forced_cycles, periodic_cycles;
	int64_t		 sched_samples, records;
	int64_t		 repaired;		/* records from torn lines */
	int		 has_gc, has_sched;
	int64_t		 first_gc_num, last_gc_num;
	int64_t		 first_ms, last_ms;		/* gc start times */
	int64_t		 last_goal_mib;			/* -1: unknown */
	int64_t		 first_sched_ms, last_sched_ms;
	int64_t		 sched_period_ms;		/* last interval, 0 */
	int		 go_min, go_max;		/* 118 = Go 1.18 */
	int		 periodic_next;
	uint64_t	 last_used;
	int		 dirty;
};

#endif
