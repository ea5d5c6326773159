#include "config.h"

#include <stdio.h>
#include <string.h>

#include "schema.h"
#include "banned.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

const struct column schema_common_columns[] = {
	{ "run_id", COL_INT, UNIT_ID },
	{ "segment", COL_INT, UNIT_ID },
	{ "line_no", COL_INT, UNIT_COUNT },
	{ "wall_s", COL_REAL, UNIT_S },
	{ "repaired", COL_INT, UNIT_FLAG },
};
const size_t schema_ncommon_columns = N(schema_common_columns);

static const struct column gc_columns[] = {
	{ "gc_num", COL_INT, UNIT_COUNT },
	{ "start_ms", COL_INT, UNIT_MS },
	{ "gc_cpu_pct", COL_INT, UNIT_PCT },
	{ "leak_check", COL_INT, UNIT_FLAG },
	{ "stw_sweepterm_wall_us", COL_INT, UNIT_US },
	{ "scan_wall_us", COL_INT, UNIT_US },
	{ "installwb_wall_us", COL_INT, UNIT_US },
	{ "mark_wall_us", COL_INT, UNIT_US },
	{ "stw_markterm_wall_us", COL_INT, UNIT_US },
	{ "stw_sweepterm_cpu_us", COL_INT, UNIT_US },
	{ "scan_cpu_us", COL_INT, UNIT_US },
	{ "installwb_cpu_us", COL_INT, UNIT_US },
	{ "assist_cpu_us", COL_INT, UNIT_US },
	{ "bg_mark_cpu_us", COL_INT, UNIT_US },
	{ "idle_mark_cpu_us", COL_INT, UNIT_US },
	{ "stw_markterm_cpu_us", COL_INT, UNIT_US },
	{ "heap_start_mib", COL_INT, UNIT_MIB },
	{ "heap_end_mib", COL_INT, UNIT_MIB },
	{ "heap_live_mib", COL_INT, UNIT_MIB },
	{ "heap_goal_mib", COL_INT, UNIT_MIB },
	{ "stacks_mib", COL_INT, UNIT_MIB },
	{ "globals_mib", COL_INT, UNIT_MIB },
	{ "gomaxprocs", COL_INT, UNIT_COUNT },
	{ "forced", COL_INT, UNIT_FLAG },
	{ "periodic", COL_INT, UNIT_FLAG },
	{ "stw_total_wall_us", COL_INT, UNIT_US },
};

static const struct column gc_legacy_columns[] = {
	{ "gc_num", COL_INT, UNIT_COUNT },
	{ "gc_procs", COL_INT, UNIT_COUNT },
	{ "phase1_us", COL_INT, UNIT_US },
	{ "phase2_us", COL_INT, UNIT_US },
	{ "phase3_us", COL_INT, UNIT_US },
	{ "phase4_us", COL_INT, UNIT_US },
	{ "heap_before_mib", COL_INT, UNIT_MIB },
	{ "heap_after_mib", COL_INT, UNIT_MIB },
	{ "objects", COL_INT, UNIT_COUNT },
	{ "mallocs", COL_INT, UNIT_COUNT },
	{ "frees", COL_INT, UNIT_COUNT },
	{ "goroutines", COL_INT, UNIT_COUNT },
	{ "sweeps_span", COL_INT, UNIT_COUNT },
	{ "sweeps_bg", COL_INT, UNIT_COUNT },
	{ "sweeps_pause", COL_INT, UNIT_COUNT },
	{ "handoff", COL_INT, UNIT_COUNT },
	{ "handoff_count", COL_INT, UNIT_COUNT },
	{ "steal", COL_INT, UNIT_COUNT },
	{ "steal_count", COL_INT, UNIT_COUNT },
	{ "yields_a", COL_INT, UNIT_COUNT },
	{ "yields_b", COL_INT, UNIT_COUNT },
	{ "yields_c", COL_INT, UNIT_COUNT },
};

static const struct column scan_columns[] = {
	{ "gc_num", COL_INT, UNIT_COUNT },
	{ "size_class", COL_TEXT, UNIT_TEXT },
	{ "class_bytes", COL_INT, UNIT_BYTES },
	{ "objs_sparse", COL_INT, UNIT_COUNT },
	{ "objs_span_sparse", COL_INT, UNIT_COUNT },
	{ "objs_span_dense", COL_INT, UNIT_COUNT },
	{ "objs_total", COL_INT, UNIT_COUNT },
	{ "spans_sparse", COL_INT, UNIT_COUNT },
	{ "spans_dense", COL_INT, UNIT_COUNT },
	{ "spans_total", COL_INT, UNIT_COUNT },
};

static const struct column sched_columns[] = {
	{ "t_ms", COL_INT, UNIT_MS },
	{ "gomaxprocs", COL_INT, UNIT_COUNT },
	{ "idle_procs", COL_INT, UNIT_COUNT },
	{ "threads", COL_INT, UNIT_COUNT },
	{ "spinning_threads", COL_INT, UNIT_COUNT },
	{ "need_spinning", COL_INT, UNIT_FLAG },
	{ "idle_threads", COL_INT, UNIT_COUNT },
	{ "global_runq", COL_INT, UNIT_COUNT },
	{ "local_runq_total", COL_INT, UNIT_COUNT },
	{ "local_runq_max", COL_INT, UNIT_COUNT },
	{ "schedticks_total", COL_INT, UNIT_COUNT },
	{ "detailed", COL_INT, UNIT_FLAG },
	{ "gc_waiting", COL_INT, UNIT_FLAG },
	{ "idle_locked_threads", COL_INT, UNIT_COUNT },
	{ "stop_wait", COL_INT, UNIT_COUNT },
	{ "sysmon_wait", COL_INT, UNIT_FLAG },
};
static const char *const sched_lists[] = { "local_runq", "schedtick", NULL };

static const struct column sched_p_columns[] = {
	{ "sample_id", COL_INT, UNIT_ID },
	{ "p_idx", COL_INT, UNIT_ID },
	{ "local_runq", COL_INT, UNIT_COUNT },
	{ "schedtick", COL_INT, UNIT_COUNT },
	{ "status", COL_INT, UNIT_CODE },
	{ "syscalltick", COL_INT, UNIT_COUNT },
	{ "m_id", COL_INT, UNIT_ID },
	{ "gfree_count", COL_INT, UNIT_COUNT },
	{ "timers_len", COL_INT, UNIT_COUNT },
};

static const struct column sched_m_columns[] = {
	{ "sample_id", COL_INT, UNIT_ID },
	{ "m_id", COL_INT, UNIT_ID },
	{ "p_id", COL_INT, UNIT_ID },
	{ "cur_goid", COL_INT, UNIT_ID },
	{ "mallocing", COL_INT, UNIT_COUNT },
	{ "throwing", COL_INT, UNIT_COUNT },
	{ "preempt_off", COL_TEXT, UNIT_TEXT },
	{ "locks", COL_INT, UNIT_COUNT },
	{ "dying", COL_INT, UNIT_COUNT },
	{ "helpgc", COL_INT, UNIT_COUNT },
	{ "spinning", COL_INT, UNIT_FLAG },
	{ "blocked", COL_INT, UNIT_FLAG },
	{ "locked_goid", COL_INT, UNIT_ID },
};

static const struct column sched_g_columns[] = {
	{ "sample_id", COL_INT, UNIT_ID },
	{ "goid", COL_INT, UNIT_ID },
	{ "status_raw", COL_INT, UNIT_CODE },
	{ "status", COL_INT, UNIT_CODE },
	{ "scan_bit", COL_INT, UNIT_FLAG },
	{ "wait_reason", COL_TEXT, UNIT_TEXT },
	{ "m_id", COL_INT, UNIT_ID },
	{ "locked_m_id", COL_INT, UNIT_ID },
};

static const struct column scvg_columns[] = {
	{ "scvg_num", COL_INT, UNIT_COUNT },
	{ "forced", COL_INT, UNIT_FLAG },
	{ "released_mib", COL_INT, UNIT_MIB },
	{ "inuse_mib", COL_INT, UNIT_MIB },
	{ "idle_mib", COL_INT, UNIT_MIB },
	{ "sys_mib", COL_INT, UNIT_MIB },
	{ "released_now_mib", COL_INT, UNIT_MIB },
	{ "consumed_mib", COL_INT, UNIT_MIB },
	{ "released_kib", COL_INT, UNIT_KIB },
};

static const struct column scav_columns[] = {
	{ "scav_gen", COL_INT, UNIT_COUNT },
	{ "released_kib", COL_INT, UNIT_KIB },
	{ "released_bg_kib", COL_INT, UNIT_KIB },
	{ "released_eager_kib", COL_INT, UNIT_KIB },
	{ "released_now_kib", COL_INT, UNIT_KIB },
	{ "util_pct", COL_INT, UNIT_PCT },
	{ "forced", COL_INT, UNIT_FLAG },
	{ "controller_reset", COL_INT, UNIT_FLAG },
	{ "prev_gc_num", COL_INT, UNIT_COUNT },
};

static const struct column pacer_start_columns[] = {
	{ "gc_num", COL_INT, UNIT_COUNT },
	{ "assist_ratio", COL_REAL, UNIT_RATIO },
	{ "scan_est_mib", COL_INT, UNIT_MIB },
	{ "heap_start_mib", COL_INT, UNIT_MIB },
	{ "heap_goal_mib", COL_INT, UNIT_MIB },
	{ "dedicated_workers", COL_INT, UNIT_COUNT },
	{ "fractional_goal", COL_REAL, UNIT_RATIO },
};

static const struct column pacer_end_columns[] = {
	{ "gc_num", COL_INT, UNIT_COUNT },
	{ "h_m_prev_b", COL_INT, UNIT_BYTES },
	{ "trigger_ratio", COL_REAL, UNIT_RATIO },
	{ "trigger_b", COL_INT, UNIT_BYTES },
	{ "actual_ratio", COL_REAL, UNIT_RATIO },
	{ "heap_end_b", COL_INT, UNIT_BYTES },
	{ "goal_ratio", COL_REAL, UNIT_RATIO },
	{ "goal_b", COL_INT, UNIT_BYTES },
	{ "util_actual", COL_REAL, UNIT_RATIO },
	{ "util_goal", COL_REAL, UNIT_RATIO },
	{ "scan_work_b", COL_INT, UNIT_BYTES },
	{ "goal_delta", COL_REAL, UNIT_RATIO },
	{ "actual_delta", COL_REAL, UNIT_RATIO },
	{ "util_ratio", COL_REAL, UNIT_RATIO },
	{ "cpu_util_pct", COL_INT, UNIT_PCT },
	{ "cpu_util_goal_pct", COL_INT, UNIT_PCT },
	{ "heap_scan_work_b", COL_INT, UNIT_BYTES },
	{ "stack_scan_work_b", COL_INT, UNIT_BYTES },
	{ "globals_scan_work_b", COL_INT, UNIT_BYTES },
	{ "scan_work_exp_b", COL_INT, UNIT_BYTES },
	{ "goal_overshoot_b", COL_INT, UNIT_BYTES },
	{ "cons_mark", COL_REAL, UNIT_RATIO },
	{ "controller_reset", COL_INT, UNIT_FLAG },
};

static const struct column pacer_sweep_columns[] = {
	{ "prev_gc_num", COL_INT, UNIT_COUNT },
	{ "heap_mib", COL_INT, UNIT_MIB },
	{ "alloc_during_sweep_mib", COL_INT, UNIT_MIB },
	{ "pages_swept", COL_INT, UNIT_COUNT },
	{ "pages_per_byte", COL_REAL, UNIT_RATIO },
};

static const struct column event_columns[] = {
	{ "event", COL_TEXT, UNIT_TEXT },
	{ "message", COL_TEXT, UNIT_TEXT },
};

static const struct column prefix_columns[] = {
	{ "ts", COL_TEXT, UNIT_TEXT },
	{ "ts_syslog", COL_TEXT, UNIT_TEXT },
};

/*
 * Derived values and plausibility checks, kind by kind (see schema.h for
 * what each operation does).
 */
static const struct derived gc_derived[] = {
	{ "leak_check", DERIVE_DEFAULT, { NULL, NULL }, 0, 0, NULL },
	{ "forced", DERIVE_DEFAULT, { NULL, NULL }, 0, 0, NULL },
	{ "periodic", DERIVE_PERIODIC, { NULL, NULL }, 0, 0, NULL },
	{ "stw_total_wall_us", DERIVE_SUM,
	    { "stw_sweepterm_wall_us", "stw_markterm_wall_us" }, 0, 0, NULL },
};

/*
 * The bounds are generous: they only catch numbers grown by digits that
 * were not the runtime's ("0/16" + "2025/11/21 ..." also reads
 * "0/162025").  CPU figures are wall time of workers: at most P of them.
 */
static const struct check gc_checks[] = {
	/* gc numbers rise by one within a process. */
	{ "gc_num", BASE_NEXT_GC, { NULL, NULL }, NULL, 0, 0 },
	{ "assist_cpu_us", BASE_COLUMNS, { "mark_wall_us", "scan_wall_us" },
	    "gomaxprocs", 4, 10000 },
	{ "bg_mark_cpu_us", BASE_COLUMNS, { "mark_wall_us", "scan_wall_us" },
	    "gomaxprocs", 4, 10000 },
	{ "idle_mark_cpu_us", BASE_COLUMNS,
	    { "mark_wall_us", "scan_wall_us" }, "gomaxprocs", 4, 10000 },
	{ "stw_sweepterm_cpu_us", BASE_COLUMNS,
	    { "stw_sweepterm_wall_us", NULL }, "gomaxprocs", 4, 1000 },
	{ "stw_markterm_cpu_us", BASE_COLUMNS,
	    { "stw_markterm_wall_us", NULL }, "gomaxprocs", 4, 1000 },
	{ "gc_cpu_pct", BASE_COLUMNS, { NULL, NULL }, NULL, 1, 100 },
	{ "heap_live_mib", BASE_COLUMNS, { "heap_end_mib", NULL }, NULL, 2, 8 },
	{ "heap_goal_mib", BASE_SEGMENT_GOAL, { NULL, NULL }, NULL, 64, 64 },
	{ "heap_start_mib", BASE_SEGMENT_GOAL, { NULL, NULL }, NULL, 64, 64 },
};

static const struct derived sched_derived[] = {
	{ "detailed", DERIVE_DEFAULT, { NULL, NULL }, 0, 0, NULL },
	{ "local_runq_total", DERIVE_LIST_SUM, { NULL, NULL }, 0, 0, NULL },
	{ "local_runq_max", DERIVE_LIST_MAX, { NULL, NULL }, 0, 0, NULL },
	{ "schedticks_total", DERIVE_LIST_SUM, { NULL, NULL }, 0, 1, NULL },
};

static const struct check sched_checks[] = {
	{ "idle_procs", BASE_COLUMNS, { "gomaxprocs", NULL }, NULL, 1, 0 },
	/* An hour past the process's last sample: digits not its own. */
	{ "t_ms", BASE_SEGMENT_SCHED_MS, { NULL, NULL }, NULL, 1,
	    3600 * 1000 },
};

static const struct derived sched_g_derived[] = {
	{ "status", DERIVE_AND, { "status_raw", NULL }, 0xfff, 0, NULL },
	{ "scan_bit", DERIVE_TEST, { "status_raw", NULL }, 0x1000, 0, NULL },
};

/* scvg-1: the lines of debug.FreeOSMemory, Go 1.5-1.12. */
static const struct derived scvg_released_derived[] = {
	{ "forced", DERIVE_DEFAULT_EQUALS, { "scvg_num", NULL }, -1, 0,
	    NULL },
	/* Go 1.13's background scavenger counts in KB. */
	{ "released_mib", DERIVE_SHIFT_IF_NULL, { "released_kib", NULL }, 10,
	    0, NULL },
};
static const char *const scvg_merge_keys[] = { "scvg_num", "forced", NULL };
static const char *const scvg_merge_columns[] = {
	"released_mib", "released_kib", NULL
};

static const struct derived scvg_derived[] = {
	{ "forced", DERIVE_DEFAULT_EQUALS, { "scvg_num", NULL }, -1, 0,
	    NULL },
};

static const struct derived scan_derived[] = {
	{ "class_bytes", DERIVE_TEXT_IS, { "size_class", NULL }, 0, 0, "L" },
	{ "gc_num", DERIVE_LAST_GC, { NULL, NULL }, 0, 0, NULL },
};

static const struct derived scav_derived[] = {
	{ "forced", DERIVE_DEFAULT, { NULL, NULL }, 0, 0, NULL },
	{ "controller_reset", DERIVE_DEFAULT, { NULL, NULL }, 0, 0, NULL },
	{ "released_kib", DERIVE_SUM_IF_NULL,
	    { "released_bg_kib", "released_eager_kib" }, 0, 0, NULL },
	{ "prev_gc_num", DERIVE_LAST_GC, { NULL, NULL }, 0, 0, NULL },
};

static const struct derived pacer_derived[] = {
	{ "gc_num", DERIVE_NEXT_GC, { NULL, NULL }, 0, 0, NULL },
};

static const struct derived pacer_sweep_derived[] = {
	{ "prev_gc_num", DERIVE_LAST_GC, { NULL, NULL }, 0, 0, NULL },
};

#define COLUMNS(a) .columns = (a), .ncolumns = N(a)
#define DERIVED(a) .derived = (a), .nderived = N(a)
#define CHECKS(a) .checks = (a), .nchecks = N(a)
#define TRACE KIND_TRACE_LINE
#define MID_LINE (KIND_TRACE_LINE | KIND_MID_LINE)

static const struct kind_info kinds[KIND_COUNT] = {
	[KIND_GC] = {
		.name = "gc", .table = "gc_cycles", COLUMNS(gc_columns),
		.flags = MID_LINE, .role = ROLE_GC_CYCLE,
		.number_column = "gc_num", .time_column = "start_ms",
		.goal_column = "heap_goal_mib", .forced_column = "forced",
		DERIVED(gc_derived), CHECKS(gc_checks),
	},
	[KIND_GC_FORCED] = {
		.name = "gc-forced", .flags = TRACE, .role = ROLE_GC_FORCED,
	},
	[KIND_GC_LEGACY] = {
		.name = "gc-legacy", .table = "gc_legacy",
		COLUMNS(gc_legacy_columns), .flags = MID_LINE,
		.role = ROLE_GC_CYCLE, .number_column = "gc_num",
	},
	[KIND_SCAN] = {
		.name = "scan", .table = "gc_scan_classes",
		COLUMNS(scan_columns), .flags = TRACE, DERIVED(scan_derived),
	},
	[KIND_SCHED] = {
		.name = "sched", .table = "sched_samples",
		COLUMNS(sched_columns), .lists = sched_lists,
		.flags = MID_LINE, .role = ROLE_SCHED_SAMPLE,
		.time_column = "t_ms", DERIVED(sched_derived),
		CHECKS(sched_checks),
	},
	[KIND_SCHED_P] = {
		.name = "sched-p", .table = "sched_p",
		COLUMNS(sched_p_columns), .flags = TRACE,
	},
	[KIND_SCHED_M] = {
		.name = "sched-m", .table = "sched_m",
		COLUMNS(sched_m_columns), .flags = TRACE,
	},
	[KIND_SCHED_G] = {
		.name = "sched-g", .table = "sched_g",
		COLUMNS(sched_g_columns), .flags = TRACE,
		DERIVED(sched_g_derived),
	},
	[KIND_SCVG_RELEASED] = {
		.name = "scvg-released", COLUMNS(scvg_columns),
		.flags = MID_LINE, DERIVED(scvg_released_derived),
		.merge_into = KIND_SCVG, .merge_keys = scvg_merge_keys,
		.merge_columns = scvg_merge_columns,
	},
	[KIND_SCVG] = {
		.name = "scvg", .table = "scvg", COLUMNS(scvg_columns),
		.flags = MID_LINE, DERIVED(scvg_derived),
	},
	[KIND_SCAV] = {
		.name = "scav", .table = "scav", COLUMNS(scav_columns),
		.flags = MID_LINE, DERIVED(scav_derived),
	},
	[KIND_PACER_START] = {
		.name = "pacer-start", .table = "pacer_start",
		COLUMNS(pacer_start_columns), .flags = MID_LINE,
		DERIVED(pacer_derived),
	},
	[KIND_PACER_END] = {
		.name = "pacer-end", .table = "pacer_end",
		COLUMNS(pacer_end_columns), .flags = MID_LINE,
		DERIVED(pacer_derived),
	},
	[KIND_PACER_SWEEP] = {
		.name = "pacer-sweep", .table = "pacer_sweep",
		COLUMNS(pacer_sweep_columns), .flags = MID_LINE,
		DERIVED(pacer_sweep_derived),
	},
	[KIND_EVENT] = {
		.name = "event", .table = "events", COLUMNS(event_columns),
		.flags = TRACE,
	},
	/* Not trace lines: matched on their own, before and after one. */
	[KIND_PREFIX] = {
		.name = "prefix", COLUMNS(prefix_columns),
	},
	[KIND_FRAGMENT] = {
		.name = "fragment",
	},
};

static const char *const unit_names[] = {
	[UNIT_US] = "us",
	[UNIT_MS] = "ms",
	[UNIT_S] = "s",
	[UNIT_MIB] = "MiB",
	[UNIT_KIB] = "KiB",
	[UNIT_BYTES] = "bytes",
	[UNIT_PCT] = "%",
	[UNIT_COUNT] = "count",
	[UNIT_FLAG] = "0/1",
	[UNIT_ID] = "id",
	[UNIT_CODE] = "code",
	[UNIT_RATIO] = "ratio",
	[UNIT_TEXT] = "text",
};

const struct kind_info *
schema_kind(enum kind k)
{
	return &kinds[k];
}

int
schema_kind_by_name(const char *name)
{
	int k;

	for (k = 0; k < KIND_COUNT; k++)
		if (strcmp(kinds[k].name, name) == 0)
			return k;
	return -1;
}

int
schema_column_index(enum kind k, const char *name)
{
	size_t i;

	for (i = 0; i < kinds[k].ncolumns; i++)
		if (strcmp(kinds[k].columns[i].name, name) == 0)
			return (int)i;
	return -1;
}

int
schema_list_index(enum kind k, const char *name)
{
	int i;

	if (kinds[k].lists == NULL)
		return -1;
	for (i = 0; kinds[k].lists[i] != NULL; i++)
		if (strcmp(kinds[k].lists[i], name) == 0)
			return i;
	return -1;
}

unsigned
schema_kind_mask(unsigned flag)
{
	unsigned mask = 0;
	int k;

	for (k = 0; k < KIND_COUNT; k++)
		if (kinds[k].flags & flag)
			mask |= 1u << k;
	return mask;
}

const char *
schema_unit_name(enum col_unit u)
{
	return unit_names[u];
}

const char *
schema_type_name(enum col_type t)
{
	switch (t) {
	case COL_INT:
		return "INTEGER";
	case COL_REAL:
		return "REAL";
	case COL_TEXT:
		return "TEXT";
	}
	return "";
}

void
record_version_text(int version, char *out, size_t size)
{
	if (version >= 999)
		snprintf(out, size, "+");
	else
		snprintf(out, size, "%d.%d", version / 100, version % 100);
}
