#include "config.h"

#include <string.h>

#include "schema.h"
#include "banned.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

const struct column schema_common_columns[] = {
	{ "run_id", COL_INT },
	{ "segment", COL_INT },
	{ "line_no", COL_INT },
	{ "wall_s", COL_REAL },
	{ "repaired", COL_INT },
};
const size_t schema_ncommon_columns = N(schema_common_columns);

static const struct column gc_columns[] = {
	{ "gc_num", COL_INT },
	{ "start_ms", COL_INT },
	{ "gc_cpu_pct", COL_INT },
	{ "leak_check", COL_INT },
	{ "stw_sweepterm_wall_us", COL_INT },
	{ "scan_wall_us", COL_INT },
	{ "installwb_wall_us", COL_INT },
	{ "mark_wall_us", COL_INT },
	{ "stw_markterm_wall_us", COL_INT },
	{ "stw_sweepterm_cpu_us", COL_INT },
	{ "scan_cpu_us", COL_INT },
	{ "installwb_cpu_us", COL_INT },
	{ "assist_cpu_us", COL_INT },
	{ "bg_mark_cpu_us", COL_INT },
	{ "idle_mark_cpu_us", COL_INT },
	{ "stw_markterm_cpu_us", COL_INT },
	{ "heap_start_mib", COL_INT },
	{ "heap_end_mib", COL_INT },
	{ "heap_live_mib", COL_INT },
	{ "heap_goal_mib", COL_INT },
	{ "stacks_mib", COL_INT },
	{ "globals_mib", COL_INT },
	{ "gomaxprocs", COL_INT },
	{ "forced", COL_INT },
	{ "periodic", COL_INT },
	{ "stw_total_wall_us", COL_INT },
};

static const struct column gc_legacy_columns[] = {
	{ "gc_num", COL_INT },
	{ "gc_procs", COL_INT },
	{ "phase1_us", COL_INT },
	{ "phase2_us", COL_INT },
	{ "phase3_us", COL_INT },
	{ "phase4_us", COL_INT },
	{ "heap_before_mib", COL_INT },
	{ "heap_after_mib", COL_INT },
	{ "objects", COL_INT },
	{ "mallocs", COL_INT },
	{ "frees", COL_INT },
	{ "goroutines", COL_INT },
	{ "sweeps_span", COL_INT },
	{ "sweeps_bg", COL_INT },
	{ "sweeps_pause", COL_INT },
	{ "handoff", COL_INT },
	{ "handoff_count", COL_INT },
	{ "steal", COL_INT },
	{ "steal_count", COL_INT },
	{ "yields_a", COL_INT },
	{ "yields_b", COL_INT },
	{ "yields_c", COL_INT },
};

static const struct column scan_columns[] = {
	{ "gc_num", COL_INT },
	{ "size_class", COL_TEXT },
	{ "class_bytes", COL_INT },
	{ "objs_sparse", COL_INT },
	{ "objs_span_sparse", COL_INT },
	{ "objs_span_dense", COL_INT },
	{ "objs_total", COL_INT },
	{ "spans_sparse", COL_INT },
	{ "spans_dense", COL_INT },
	{ "spans_total", COL_INT },
};

static const struct column sched_columns[] = {
	{ "t_ms", COL_INT },
	{ "gomaxprocs", COL_INT },
	{ "idle_procs", COL_INT },
	{ "threads", COL_INT },
	{ "spinning_threads", COL_INT },
	{ "need_spinning", COL_INT },
	{ "idle_threads", COL_INT },
	{ "global_runq", COL_INT },
	{ "local_runq_total", COL_INT },
	{ "local_runq_max", COL_INT },
	{ "schedticks_total", COL_INT },
	{ "detailed", COL_INT },
	{ "gc_waiting", COL_INT },
	{ "idle_locked_threads", COL_INT },
	{ "stop_wait", COL_INT },
	{ "sysmon_wait", COL_INT },
};
static const char *const sched_lists[] = { "local_runq", "schedtick", NULL };

static const struct column sched_p_columns[] = {
	{ "sample_id", COL_INT },
	{ "p_idx", COL_INT },
	{ "local_runq", COL_INT },
	{ "schedtick", COL_INT },
	{ "status", COL_INT },
	{ "syscalltick", COL_INT },
	{ "m_id", COL_INT },
	{ "gfree_count", COL_INT },
	{ "timers_len", COL_INT },
};

static const struct column sched_m_columns[] = {
	{ "sample_id", COL_INT },
	{ "m_id", COL_INT },
	{ "p_id", COL_INT },
	{ "cur_goid", COL_INT },
	{ "mallocing", COL_INT },
	{ "throwing", COL_INT },
	{ "preempt_off", COL_TEXT },
	{ "locks", COL_INT },
	{ "dying", COL_INT },
	{ "helpgc", COL_INT },
	{ "spinning", COL_INT },
	{ "blocked", COL_INT },
	{ "locked_goid", COL_INT },
};

static const struct column sched_g_columns[] = {
	{ "sample_id", COL_INT },
	{ "goid", COL_INT },
	{ "status_raw", COL_INT },
	{ "status", COL_INT },
	{ "scan_bit", COL_INT },
	{ "wait_reason", COL_TEXT },
	{ "m_id", COL_INT },
	{ "locked_m_id", COL_INT },
};

static const struct column scvg_columns[] = {
	{ "scvg_num", COL_INT },
	{ "forced", COL_INT },
	{ "released_mib", COL_INT },
	{ "inuse_mib", COL_INT },
	{ "idle_mib", COL_INT },
	{ "sys_mib", COL_INT },
	{ "released_now_mib", COL_INT },
	{ "consumed_mib", COL_INT },
	{ "released_kib", COL_INT },
};

static const struct column scav_columns[] = {
	{ "scav_gen", COL_INT },
	{ "released_kib", COL_INT },
	{ "released_bg_kib", COL_INT },
	{ "released_eager_kib", COL_INT },
	{ "released_now_kib", COL_INT },
	{ "util_pct", COL_INT },
	{ "forced", COL_INT },
	{ "controller_reset", COL_INT },
	{ "prev_gc_num", COL_INT },
};

static const struct column pacer_start_columns[] = {
	{ "gc_num", COL_INT },
	{ "assist_ratio", COL_REAL },
	{ "scan_est_mib", COL_INT },
	{ "heap_start_mib", COL_INT },
	{ "heap_goal_mib", COL_INT },
	{ "dedicated_workers", COL_INT },
	{ "fractional_goal", COL_REAL },
};

static const struct column pacer_end_columns[] = {
	{ "gc_num", COL_INT },
	{ "h_m_prev_b", COL_INT },
	{ "trigger_ratio", COL_REAL },
	{ "trigger_b", COL_INT },
	{ "actual_ratio", COL_REAL },
	{ "heap_end_b", COL_INT },
	{ "goal_ratio", COL_REAL },
	{ "goal_b", COL_INT },
	{ "util_actual", COL_REAL },
	{ "util_goal", COL_REAL },
	{ "scan_work_b", COL_INT },
	{ "goal_delta", COL_REAL },
	{ "actual_delta", COL_REAL },
	{ "util_ratio", COL_REAL },
	{ "cpu_util_pct", COL_INT },
	{ "cpu_util_goal_pct", COL_INT },
	{ "heap_scan_work_b", COL_INT },
	{ "stack_scan_work_b", COL_INT },
	{ "globals_scan_work_b", COL_INT },
	{ "scan_work_exp_b", COL_INT },
	{ "goal_overshoot_b", COL_INT },
	{ "cons_mark", COL_REAL },
	{ "controller_reset", COL_INT },
};

static const struct column pacer_sweep_columns[] = {
	{ "prev_gc_num", COL_INT },
	{ "heap_mib", COL_INT },
	{ "alloc_during_sweep_mib", COL_INT },
	{ "pages_swept", COL_INT },
	{ "pages_per_byte", COL_REAL },
};

static const struct column event_columns[] = {
	{ "event", COL_TEXT },
	{ "message", COL_TEXT },
};

static const struct column prefix_columns[] = {
	{ "ts", COL_TEXT },
	{ "ts_syslog", COL_TEXT },
};

#define KIND(name, table, cols, lists) \
	{ name, table, cols, N(cols), lists }

static const struct kind_info kinds[KIND_COUNT] = {
	[KIND_GC] = KIND("gc", "gc_cycles", gc_columns, NULL),
	[KIND_GC_FORCED] = { "gc-forced", NULL, NULL, 0, NULL },
	[KIND_GC_LEGACY] = KIND("gc-legacy", "gc_legacy", gc_legacy_columns,
	    NULL),
	[KIND_SCAN] = KIND("scan", "gc_scan_classes", scan_columns, NULL),
	[KIND_SCHED] = KIND("sched", "sched_samples", sched_columns,
	    sched_lists),
	[KIND_SCHED_P] = KIND("sched-p", "sched_p", sched_p_columns, NULL),
	[KIND_SCHED_M] = KIND("sched-m", "sched_m", sched_m_columns, NULL),
	[KIND_SCHED_G] = KIND("sched-g", "sched_g", sched_g_columns, NULL),
	[KIND_SCVG_RELEASED] = KIND("scvg-released", NULL, scvg_columns,
	    NULL),
	[KIND_SCVG] = KIND("scvg", "scvg", scvg_columns, NULL),
	[KIND_SCAV] = KIND("scav", "scav", scav_columns, NULL),
	[KIND_PACER_START] = KIND("pacer-start", "pacer_start",
	    pacer_start_columns, NULL),
	[KIND_PACER_END] = KIND("pacer-end", "pacer_end", pacer_end_columns,
	    NULL),
	[KIND_PACER_SWEEP] = KIND("pacer-sweep", "pacer_sweep",
	    pacer_sweep_columns, NULL),
	[KIND_EVENT] = KIND("event", "events", event_columns, NULL),
	[KIND_PREFIX] = KIND("prefix", NULL, prefix_columns, NULL),
	[KIND_FRAGMENT] = { "fragment", NULL, NULL, 0, NULL },
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
