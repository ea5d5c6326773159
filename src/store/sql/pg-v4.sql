-- Schema 4 in PostgreSQL's dialect: the tables, views and columns
-- of v4.sql (see gen-pg-v4.py for what differs and why).
-- Frozen: never edit.
CREATE TABLE runs (
  id BIGSERIAL PRIMARY KEY,
  name TEXT,
  source TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  status TEXT NOT NULL DEFAULT 'running',
  lines BIGINT NOT NULL DEFAULT 0,
  trace_lines BIGINT NOT NULL DEFAULT 0,
  other_lines BIGINT NOT NULL DEFAULT 0,
  gc_cycles BIGINT NOT NULL DEFAULT 0,
  sched_samples BIGINT NOT NULL DEFAULT 0,
  repaired_lines BIGINT NOT NULL DEFAULT 0,
  unrecognised_lines BIGINT NOT NULL DEFAULT 0,
  overlong_lines BIGINT NOT NULL DEFAULT 0,
  invalid_values BIGINT NOT NULL DEFAULT 0,
  segments BIGINT NOT NULL DEFAULT 0,
  bytes BIGINT NOT NULL DEFAULT 0,
  tracestat_version TEXT NOT NULL
, pid BIGINT, host TEXT, status_reason TEXT, dropped_records BIGINT NOT NULL DEFAULT 0);
CREATE TABLE run_labels (
  run_id BIGINT NOT NULL REFERENCES runs(id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
);
CREATE TABLE run_inputs (
  run_id BIGINT NOT NULL REFERENCES runs(id),
  input_no BIGINT NOT NULL,
  path TEXT NOT NULL,
  first_line BIGINT,
  last_line BIGINT,
  PRIMARY KEY (run_id, input_no)
);
CREATE TABLE segments (
  run_id BIGINT NOT NULL REFERENCES runs(id),
  segment BIGINT NOT NULL,
  reason TEXT NOT NULL,
  first_line BIGINT NOT NULL,
  last_line BIGINT NOT NULL,
  go_min TEXT,
  go_max TEXT,
  gc_cycles BIGINT NOT NULL,
  forced_cycles BIGINT NOT NULL,
  periodic_cycles BIGINT NOT NULL,
  sched_samples BIGINT NOT NULL,
  repaired_records BIGINT NOT NULL,
  first_gc_num BIGINT,
  last_gc_num BIGINT,
  first_ms BIGINT,
  last_ms BIGINT,
  first_sched_ms BIGINT,
  last_sched_ms BIGINT,
  PRIMARY KEY (run_id, segment)
);
CREATE TABLE broken_lines (
  id BIGSERIAL PRIMARY KEY,
  run_id BIGINT NOT NULL,
  line_no BIGINT NOT NULL,
  reason TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE TABLE rules (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL,
  shape TEXT NOT NULL,
  UNIQUE (name, shape)
);
CREATE TABLE rule_pieces (
  rule_id BIGINT NOT NULL REFERENCES rules(id),
  seq BIGINT NOT NULL,
  text TEXT NOT NULL,
  col TEXT,
  fmt TEXT,
  PRIMARY KEY (rule_id, seq)
);
CREATE TABLE gc_cycles_rows (
  id BIGSERIAL PRIMARY KEY,
  run_id BIGINT NOT NULL,
  segment BIGINT NOT NULL,
  line_no BIGINT NOT NULL,
  wall_s DOUBLE PRECISION,
  repaired BIGINT NOT NULL DEFAULT 0,
  gc_num BIGINT,
  start_ms BIGINT,
  gc_cpu_pct BIGINT,
  leak_check BIGINT,
  stw_sweepterm_wall_us BIGINT,
  scan_wall_us BIGINT,
  installwb_wall_us BIGINT,
  mark_wall_us BIGINT,
  stw_markterm_wall_us BIGINT,
  stw_sweepterm_cpu_us BIGINT,
  scan_cpu_us BIGINT,
  installwb_cpu_us BIGINT,
  assist_cpu_us BIGINT,
  bg_mark_cpu_us BIGINT,
  idle_mark_cpu_us BIGINT,
  stw_markterm_cpu_us BIGINT,
  heap_start_mib BIGINT,
  heap_end_mib BIGINT,
  heap_live_mib BIGINT,
  heap_goal_mib BIGINT,
  stacks_mib BIGINT,
  globals_mib BIGINT,
  gomaxprocs BIGINT,
  forced BIGINT,
  periodic BIGINT,
  stw_total_wall_us BIGINT,
  rule_id BIGINT,
  line TEXT,
  extra TEXT
);
CREATE INDEX gc_cycles_run ON gc_cycles_rows (run_id, id);
CREATE TABLE gc_legacy_rows (
  id BIGSERIAL PRIMARY KEY,
  run_id BIGINT NOT NULL,
  segment BIGINT NOT NULL,
  line_no BIGINT NOT NULL,
  wall_s DOUBLE PRECISION,
  repaired BIGINT NOT NULL DEFAULT 0,
  gc_num BIGINT,
  gc_procs BIGINT,
  phase1_us BIGINT,
  phase2_us BIGINT,
  phase3_us BIGINT,
  phase4_us BIGINT,
  heap_before_mib BIGINT,
  heap_after_mib BIGINT,
  objects BIGINT,
  mallocs BIGINT,
  frees BIGINT,
  goroutines BIGINT,
  sweeps_span BIGINT,
  sweeps_bg BIGINT,
  sweeps_pause BIGINT,
  handoff BIGINT,
  handoff_count BIGINT,
  steal BIGINT,
  steal_count BIGINT,
  yields_a BIGINT,
  yields_b BIGINT,
  yields_c BIGINT,
  rule_id BIGINT,
  line TEXT,
  extra TEXT
);
CREATE INDEX gc_legacy_run ON gc_legacy_rows (run_id, id);
CREATE TABLE gc_scan_classes_rows (
  id BIGSERIAL PRIMARY KEY,
  run_id BIGINT NOT NULL,
  segment BIGINT NOT NULL,
  line_no BIGINT NOT NULL,
  wall_s DOUBLE PRECISION,
  repaired BIGINT NOT NULL DEFAULT 0,
  gc_num BIGINT,
  size_class TEXT,
  class_bytes BIGINT,
  objs_sparse BIGINT,
  objs_span_sparse BIGINT,
  objs_span_dense BIGINT,
  objs_total BIGINT,
  spans_sparse BIGINT,
  spans_dense BIGINT,
  spans_total BIGINT,
  rule_id BIGINT,
  line TEXT,
  extra TEXT
);
CREATE INDEX gc_scan_classes_run ON gc_scan_classes_rows (run_id, id);
CREATE TABLE sched_samples_rows (
  id BIGSERIAL PRIMARY KEY,
  run_id BIGINT NOT NULL,
  segment BIGINT NOT NULL,
  line_no BIGINT NOT NULL,
  wall_s DOUBLE PRECISION,
  repaired BIGINT NOT NULL DEFAULT 0,
  t_ms BIGINT,
  gomaxprocs BIGINT,
  idle_procs BIGINT,
  threads BIGINT,
  spinning_threads BIGINT,
  need_spinning BIGINT,
  idle_threads BIGINT,
  global_runq BIGINT,
  local_runq_total BIGINT,
  local_runq_max BIGINT,
  schedticks_total BIGINT,
  detailed BIGINT,
  gc_waiting BIGINT,
  idle_locked_threads BIGINT,
  stop_wait BIGINT,
  sysmon_wait BIGINT,
  rule_id BIGINT,
  line TEXT,
  extra TEXT
);
CREATE INDEX sched_samples_run ON sched_samples_rows (run_id, id);
CREATE TABLE sched_p_rows (
  id BIGSERIAL PRIMARY KEY,
  run_id BIGINT NOT NULL,
  segment BIGINT NOT NULL,
  line_no BIGINT NOT NULL,
  wall_s DOUBLE PRECISION,
  repaired BIGINT NOT NULL DEFAULT 0,
  sample_id BIGINT,
  p_idx BIGINT,
  local_runq BIGINT,
  schedtick BIGINT,
  status BIGINT,
  syscalltick BIGINT,
  m_id BIGINT,
  gfree_count BIGINT,
  timers_len BIGINT,
  rule_id BIGINT,
  line TEXT,
  extra TEXT
);
CREATE INDEX sched_p_run ON sched_p_rows (run_id, id);
CREATE TABLE sched_m_rows (
  id BIGSERIAL PRIMARY KEY,
  run_id BIGINT NOT NULL,
  segment BIGINT NOT NULL,
  line_no BIGINT NOT NULL,
  wall_s DOUBLE PRECISION,
  repaired BIGINT NOT NULL DEFAULT 0,
  sample_id BIGINT,
  m_id BIGINT,
  p_id BIGINT,
  cur_goid BIGINT,
  mallocing BIGINT,
  throwing BIGINT,
  preempt_off TEXT,
  locks BIGINT,
  dying BIGINT,
  helpgc BIGINT,
  spinning BIGINT,
  blocked BIGINT,
  locked_goid BIGINT,
  rule_id BIGINT,
  line TEXT,
  extra TEXT
);
CREATE INDEX sched_m_run ON sched_m_rows (run_id, id);
CREATE TABLE sched_g_rows (
  id BIGSERIAL PRIMARY KEY,
  run_id BIGINT NOT NULL,
  segment BIGINT NOT NULL,
  line_no BIGINT NOT NULL,
  wall_s DOUBLE PRECISION,
  repaired BIGINT NOT NULL DEFAULT 0,
  sample_id BIGINT,
  goid BIGINT,
  status_raw BIGINT,
  status BIGINT,
  scan_bit BIGINT,
  wait_reason TEXT,
  m_id BIGINT,
  locked_m_id BIGINT,
  rule_id BIGINT,
  line TEXT,
  extra TEXT
);
CREATE INDEX sched_g_run ON sched_g_rows (run_id, id);
CREATE TABLE scvg_rows (
  id BIGSERIAL PRIMARY KEY,
  run_id BIGINT NOT NULL,
  segment BIGINT NOT NULL,
  line_no BIGINT NOT NULL,
  wall_s DOUBLE PRECISION,
  repaired BIGINT NOT NULL DEFAULT 0,
  scvg_num BIGINT,
  forced BIGINT,
  released_mib BIGINT,
  inuse_mib BIGINT,
  idle_mib BIGINT,
  sys_mib BIGINT,
  released_now_mib BIGINT,
  consumed_mib BIGINT,
  released_kib BIGINT,
  rule_id BIGINT,
  line TEXT,
  extra TEXT
);
CREATE INDEX scvg_run ON scvg_rows (run_id, id);
CREATE TABLE scav_rows (
  id BIGSERIAL PRIMARY KEY,
  run_id BIGINT NOT NULL,
  segment BIGINT NOT NULL,
  line_no BIGINT NOT NULL,
  wall_s DOUBLE PRECISION,
  repaired BIGINT NOT NULL DEFAULT 0,
  scav_gen BIGINT,
  released_kib BIGINT,
  released_bg_kib BIGINT,
  released_eager_kib BIGINT,
  released_now_kib BIGINT,
  util_pct BIGINT,
  forced BIGINT,
  controller_reset BIGINT,
  prev_gc_num BIGINT,
  rule_id BIGINT,
  line TEXT,
  extra TEXT
);
CREATE INDEX scav_run ON scav_rows (run_id, id);
CREATE TABLE pacer_start_rows (
  id BIGSERIAL PRIMARY KEY,
  run_id BIGINT NOT NULL,
  segment BIGINT NOT NULL,
  line_no BIGINT NOT NULL,
  wall_s DOUBLE PRECISION,
  repaired BIGINT NOT NULL DEFAULT 0,
  gc_num BIGINT,
  assist_ratio DOUBLE PRECISION,
  scan_est_mib BIGINT,
  heap_start_mib BIGINT,
  heap_goal_mib BIGINT,
  dedicated_workers BIGINT,
  fractional_goal DOUBLE PRECISION,
  rule_id BIGINT,
  line TEXT,
  extra TEXT
);
CREATE INDEX pacer_start_run ON pacer_start_rows (run_id, id);
CREATE TABLE pacer_end_rows (
  id BIGSERIAL PRIMARY KEY,
  run_id BIGINT NOT NULL,
  segment BIGINT NOT NULL,
  line_no BIGINT NOT NULL,
  wall_s DOUBLE PRECISION,
  repaired BIGINT NOT NULL DEFAULT 0,
  gc_num BIGINT,
  h_m_prev_b BIGINT,
  trigger_ratio DOUBLE PRECISION,
  trigger_b BIGINT,
  actual_ratio DOUBLE PRECISION,
  heap_end_b BIGINT,
  goal_ratio DOUBLE PRECISION,
  goal_b BIGINT,
  util_actual DOUBLE PRECISION,
  util_goal DOUBLE PRECISION,
  scan_work_b BIGINT,
  goal_delta DOUBLE PRECISION,
  actual_delta DOUBLE PRECISION,
  util_ratio DOUBLE PRECISION,
  cpu_util_pct BIGINT,
  cpu_util_goal_pct BIGINT,
  heap_scan_work_b BIGINT,
  stack_scan_work_b BIGINT,
  globals_scan_work_b BIGINT,
  scan_work_exp_b BIGINT,
  goal_overshoot_b BIGINT,
  cons_mark DOUBLE PRECISION,
  controller_reset BIGINT,
  rule_id BIGINT,
  line TEXT,
  extra TEXT
);
CREATE INDEX pacer_end_run ON pacer_end_rows (run_id, id);
CREATE TABLE pacer_sweep_rows (
  id BIGSERIAL PRIMARY KEY,
  run_id BIGINT NOT NULL,
  segment BIGINT NOT NULL,
  line_no BIGINT NOT NULL,
  wall_s DOUBLE PRECISION,
  repaired BIGINT NOT NULL DEFAULT 0,
  prev_gc_num BIGINT,
  heap_mib BIGINT,
  alloc_during_sweep_mib BIGINT,
  pages_swept BIGINT,
  pages_per_byte DOUBLE PRECISION,
  rule_id BIGINT,
  line TEXT,
  extra TEXT
);
CREATE INDEX pacer_sweep_run ON pacer_sweep_rows (run_id, id);
CREATE TABLE events_rows (
  id BIGSERIAL PRIMARY KEY,
  run_id BIGINT NOT NULL,
  segment BIGINT NOT NULL,
  line_no BIGINT NOT NULL,
  wall_s DOUBLE PRECISION,
  repaired BIGINT NOT NULL DEFAULT 0,
  event TEXT,
  message TEXT,
  rule_id BIGINT,
  line TEXT,
  extra TEXT
);
CREATE INDEX events_run ON events_rows (run_id, id);
CREATE INDEX broken_lines_run ON broken_lines(run_id);
CREATE INDEX sched_p_sample ON sched_p_rows(sample_id);
CREATE INDEX sched_m_sample ON sched_m_rows(sample_id);
CREATE INDEX sched_g_sample ON sched_g_rows(sample_id);
CREATE VIEW gc_cycles AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.gc_num, t.start_ms, t.gc_cpu_pct, t.leak_check, t.stw_sweepterm_wall_us, t.scan_wall_us, t.installwb_wall_us, t.mark_wall_us, t.stw_markterm_wall_us, t.stw_sweepterm_cpu_us, t.scan_cpu_us, t.installwb_cpu_us, t.assist_cpu_us, t.bg_mark_cpu_us, t.idle_mark_cpu_us, t.stw_markterm_cpu_us, t.heap_start_mib, t.heap_end_mib, t.heap_live_mib, t.heap_goal_mib, t.stacks_mib, t.globals_mib, t.gomaxprocs, t.forced, t.periodic, t.stw_total_wall_us,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT string_agg(p.text || CASE WHEN p.fmt IS NULL THEN '' WHEN p.fmt = 'ms' THEN (SELECT CASE WHEN n >= 10000 THEN (n / 1000)::text WHEN n = 0 THEN '0' WHEN n < 100 THEN '0.' || lpad(n::text, 3, '0') WHEN n < 1000 THEN '0.' || lpad((n / 10)::text, 2, '0') ELSE (n / 1000)::text || '.' || (n / 100 % 10)::text END FROM (SELECT (CASE p.col WHEN 'gc_num' THEN t.gc_num WHEN 'start_ms' THEN t.start_ms WHEN 'gc_cpu_pct' THEN t.gc_cpu_pct WHEN 'leak_check' THEN t.leak_check WHEN 'stw_sweepterm_wall_us' THEN t.stw_sweepterm_wall_us WHEN 'scan_wall_us' THEN t.scan_wall_us WHEN 'installwb_wall_us' THEN t.installwb_wall_us WHEN 'mark_wall_us' THEN t.mark_wall_us WHEN 'stw_markterm_wall_us' THEN t.stw_markterm_wall_us WHEN 'stw_sweepterm_cpu_us' THEN t.stw_sweepterm_cpu_us WHEN 'scan_cpu_us' THEN t.scan_cpu_us WHEN 'installwb_cpu_us' THEN t.installwb_cpu_us WHEN 'assist_cpu_us' THEN t.assist_cpu_us WHEN 'bg_mark_cpu_us' THEN t.bg_mark_cpu_us WHEN 'idle_mark_cpu_us' THEN t.idle_mark_cpu_us WHEN 'stw_markterm_cpu_us' THEN t.stw_markterm_cpu_us WHEN 'heap_start_mib' THEN t.heap_start_mib WHEN 'heap_end_mib' THEN t.heap_end_mib WHEN 'heap_live_mib' THEN t.heap_live_mib WHEN 'heap_goal_mib' THEN t.heap_goal_mib WHEN 'stacks_mib' THEN t.stacks_mib WHEN 'globals_mib' THEN t.globals_mib WHEN 'gomaxprocs' THEN t.gomaxprocs WHEN 'forced' THEN t.forced WHEN 'periodic' THEN t.periodic WHEN 'stw_total_wall_us' THEN t.stw_total_wall_us END)::bigint AS n) x) WHEN p.fmt = 's' THEN (SELECT (n / 1000)::text || '.' || lpad((n % 1000)::text, 3, '0') FROM (SELECT (CASE p.col WHEN 'gc_num' THEN t.gc_num WHEN 'start_ms' THEN t.start_ms WHEN 'gc_cpu_pct' THEN t.gc_cpu_pct WHEN 'leak_check' THEN t.leak_check WHEN 'stw_sweepterm_wall_us' THEN t.stw_sweepterm_wall_us WHEN 'scan_wall_us' THEN t.scan_wall_us WHEN 'installwb_wall_us' THEN t.installwb_wall_us WHEN 'mark_wall_us' THEN t.mark_wall_us WHEN 'stw_markterm_wall_us' THEN t.stw_markterm_wall_us WHEN 'stw_sweepterm_cpu_us' THEN t.stw_sweepterm_cpu_us WHEN 'scan_cpu_us' THEN t.scan_cpu_us WHEN 'installwb_cpu_us' THEN t.installwb_cpu_us WHEN 'assist_cpu_us' THEN t.assist_cpu_us WHEN 'bg_mark_cpu_us' THEN t.bg_mark_cpu_us WHEN 'idle_mark_cpu_us' THEN t.idle_mark_cpu_us WHEN 'stw_markterm_cpu_us' THEN t.stw_markterm_cpu_us WHEN 'heap_start_mib' THEN t.heap_start_mib WHEN 'heap_end_mib' THEN t.heap_end_mib WHEN 'heap_live_mib' THEN t.heap_live_mib WHEN 'heap_goal_mib' THEN t.heap_goal_mib WHEN 'stacks_mib' THEN t.stacks_mib WHEN 'globals_mib' THEN t.globals_mib WHEN 'gomaxprocs' THEN t.gomaxprocs WHEN 'forced' THEN t.forced WHEN 'periodic' THEN t.periodic WHEN 'stw_total_wall_us' THEN t.stw_total_wall_us END)::bigint AS n) x) ELSE CASE p.col WHEN 'gc_num' THEN t.gc_num::text WHEN 'start_ms' THEN t.start_ms::text WHEN 'gc_cpu_pct' THEN t.gc_cpu_pct::text WHEN 'leak_check' THEN t.leak_check::text WHEN 'stw_sweepterm_wall_us' THEN t.stw_sweepterm_wall_us::text WHEN 'scan_wall_us' THEN t.scan_wall_us::text WHEN 'installwb_wall_us' THEN t.installwb_wall_us::text WHEN 'mark_wall_us' THEN t.mark_wall_us::text WHEN 'stw_markterm_wall_us' THEN t.stw_markterm_wall_us::text WHEN 'stw_sweepterm_cpu_us' THEN t.stw_sweepterm_cpu_us::text WHEN 'scan_cpu_us' THEN t.scan_cpu_us::text WHEN 'installwb_cpu_us' THEN t.installwb_cpu_us::text WHEN 'assist_cpu_us' THEN t.assist_cpu_us::text WHEN 'bg_mark_cpu_us' THEN t.bg_mark_cpu_us::text WHEN 'idle_mark_cpu_us' THEN t.idle_mark_cpu_us::text WHEN 'stw_markterm_cpu_us' THEN t.stw_markterm_cpu_us::text WHEN 'heap_start_mib' THEN t.heap_start_mib::text WHEN 'heap_end_mib' THEN t.heap_end_mib::text WHEN 'heap_live_mib' THEN t.heap_live_mib::text WHEN 'heap_goal_mib' THEN t.heap_goal_mib::text WHEN 'stacks_mib' THEN t.stacks_mib::text WHEN 'globals_mib' THEN t.globals_mib::text WHEN 'gomaxprocs' THEN t.gomaxprocs::text WHEN 'forced' THEN t.forced::text WHEN 'periodic' THEN t.periodic::text WHEN 'stw_total_wall_us' THEN t.stw_total_wall_us::text END END, '' ORDER BY p.seq) FROM rule_pieces p WHERE p.rule_id = t.rule_id) END AS raw,
  t.extra
FROM gc_cycles_rows t;
CREATE VIEW gc_legacy AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.gc_num, t.gc_procs, t.phase1_us, t.phase2_us, t.phase3_us, t.phase4_us, t.heap_before_mib, t.heap_after_mib, t.objects, t.mallocs, t.frees, t.goroutines, t.sweeps_span, t.sweeps_bg, t.sweeps_pause, t.handoff, t.handoff_count, t.steal, t.steal_count, t.yields_a, t.yields_b, t.yields_c,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT string_agg(p.text || CASE WHEN p.fmt IS NULL THEN '' WHEN p.fmt = 'ms' THEN (SELECT CASE WHEN n >= 10000 THEN (n / 1000)::text WHEN n = 0 THEN '0' WHEN n < 100 THEN '0.' || lpad(n::text, 3, '0') WHEN n < 1000 THEN '0.' || lpad((n / 10)::text, 2, '0') ELSE (n / 1000)::text || '.' || (n / 100 % 10)::text END FROM (SELECT (CASE p.col WHEN 'gc_num' THEN t.gc_num WHEN 'gc_procs' THEN t.gc_procs WHEN 'phase1_us' THEN t.phase1_us WHEN 'phase2_us' THEN t.phase2_us WHEN 'phase3_us' THEN t.phase3_us WHEN 'phase4_us' THEN t.phase4_us WHEN 'heap_before_mib' THEN t.heap_before_mib WHEN 'heap_after_mib' THEN t.heap_after_mib WHEN 'objects' THEN t.objects WHEN 'mallocs' THEN t.mallocs WHEN 'frees' THEN t.frees WHEN 'goroutines' THEN t.goroutines WHEN 'sweeps_span' THEN t.sweeps_span WHEN 'sweeps_bg' THEN t.sweeps_bg WHEN 'sweeps_pause' THEN t.sweeps_pause WHEN 'handoff' THEN t.handoff WHEN 'handoff_count' THEN t.handoff_count WHEN 'steal' THEN t.steal WHEN 'steal_count' THEN t.steal_count WHEN 'yields_a' THEN t.yields_a WHEN 'yields_b' THEN t.yields_b WHEN 'yields_c' THEN t.yields_c END)::bigint AS n) x) WHEN p.fmt = 's' THEN (SELECT (n / 1000)::text || '.' || lpad((n % 1000)::text, 3, '0') FROM (SELECT (CASE p.col WHEN 'gc_num' THEN t.gc_num WHEN 'gc_procs' THEN t.gc_procs WHEN 'phase1_us' THEN t.phase1_us WHEN 'phase2_us' THEN t.phase2_us WHEN 'phase3_us' THEN t.phase3_us WHEN 'phase4_us' THEN t.phase4_us WHEN 'heap_before_mib' THEN t.heap_before_mib WHEN 'heap_after_mib' THEN t.heap_after_mib WHEN 'objects' THEN t.objects WHEN 'mallocs' THEN t.mallocs WHEN 'frees' THEN t.frees WHEN 'goroutines' THEN t.goroutines WHEN 'sweeps_span' THEN t.sweeps_span WHEN 'sweeps_bg' THEN t.sweeps_bg WHEN 'sweeps_pause' THEN t.sweeps_pause WHEN 'handoff' THEN t.handoff WHEN 'handoff_count' THEN t.handoff_count WHEN 'steal' THEN t.steal WHEN 'steal_count' THEN t.steal_count WHEN 'yields_a' THEN t.yields_a WHEN 'yields_b' THEN t.yields_b WHEN 'yields_c' THEN t.yields_c END)::bigint AS n) x) ELSE CASE p.col WHEN 'gc_num' THEN t.gc_num::text WHEN 'gc_procs' THEN t.gc_procs::text WHEN 'phase1_us' THEN t.phase1_us::text WHEN 'phase2_us' THEN t.phase2_us::text WHEN 'phase3_us' THEN t.phase3_us::text WHEN 'phase4_us' THEN t.phase4_us::text WHEN 'heap_before_mib' THEN t.heap_before_mib::text WHEN 'heap_after_mib' THEN t.heap_after_mib::text WHEN 'objects' THEN t.objects::text WHEN 'mallocs' THEN t.mallocs::text WHEN 'frees' THEN t.frees::text WHEN 'goroutines' THEN t.goroutines::text WHEN 'sweeps_span' THEN t.sweeps_span::text WHEN 'sweeps_bg' THEN t.sweeps_bg::text WHEN 'sweeps_pause' THEN t.sweeps_pause::text WHEN 'handoff' THEN t.handoff::text WHEN 'handoff_count' THEN t.handoff_count::text WHEN 'steal' THEN t.steal::text WHEN 'steal_count' THEN t.steal_count::text WHEN 'yields_a' THEN t.yields_a::text WHEN 'yields_b' THEN t.yields_b::text WHEN 'yields_c' THEN t.yields_c::text END END, '' ORDER BY p.seq) FROM rule_pieces p WHERE p.rule_id = t.rule_id) END AS raw,
  t.extra
FROM gc_legacy_rows t;
CREATE VIEW gc_scan_classes AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.gc_num, t.size_class, t.class_bytes, t.objs_sparse, t.objs_span_sparse, t.objs_span_dense, t.objs_total, t.spans_sparse, t.spans_dense, t.spans_total,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT string_agg(p.text || CASE WHEN p.fmt IS NULL THEN '' WHEN p.fmt = 'ms' THEN (SELECT CASE WHEN n >= 10000 THEN (n / 1000)::text WHEN n = 0 THEN '0' WHEN n < 100 THEN '0.' || lpad(n::text, 3, '0') WHEN n < 1000 THEN '0.' || lpad((n / 10)::text, 2, '0') ELSE (n / 1000)::text || '.' || (n / 100 % 10)::text END FROM (SELECT (CASE p.col WHEN 'gc_num' THEN t.gc_num WHEN 'class_bytes' THEN t.class_bytes WHEN 'objs_sparse' THEN t.objs_sparse WHEN 'objs_span_sparse' THEN t.objs_span_sparse WHEN 'objs_span_dense' THEN t.objs_span_dense WHEN 'objs_total' THEN t.objs_total WHEN 'spans_sparse' THEN t.spans_sparse WHEN 'spans_dense' THEN t.spans_dense WHEN 'spans_total' THEN t.spans_total END)::bigint AS n) x) WHEN p.fmt = 's' THEN (SELECT (n / 1000)::text || '.' || lpad((n % 1000)::text, 3, '0') FROM (SELECT (CASE p.col WHEN 'gc_num' THEN t.gc_num WHEN 'class_bytes' THEN t.class_bytes WHEN 'objs_sparse' THEN t.objs_sparse WHEN 'objs_span_sparse' THEN t.objs_span_sparse WHEN 'objs_span_dense' THEN t.objs_span_dense WHEN 'objs_total' THEN t.objs_total WHEN 'spans_sparse' THEN t.spans_sparse WHEN 'spans_dense' THEN t.spans_dense WHEN 'spans_total' THEN t.spans_total END)::bigint AS n) x) ELSE CASE p.col WHEN 'gc_num' THEN t.gc_num::text WHEN 'size_class' THEN t.size_class::text WHEN 'class_bytes' THEN t.class_bytes::text WHEN 'objs_sparse' THEN t.objs_sparse::text WHEN 'objs_span_sparse' THEN t.objs_span_sparse::text WHEN 'objs_span_dense' THEN t.objs_span_dense::text WHEN 'objs_total' THEN t.objs_total::text WHEN 'spans_sparse' THEN t.spans_sparse::text WHEN 'spans_dense' THEN t.spans_dense::text WHEN 'spans_total' THEN t.spans_total::text END END, '' ORDER BY p.seq) FROM rule_pieces p WHERE p.rule_id = t.rule_id) END AS raw,
  t.extra
FROM gc_scan_classes_rows t;
CREATE VIEW sched_samples AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.t_ms, t.gomaxprocs, t.idle_procs, t.threads, t.spinning_threads, t.need_spinning, t.idle_threads, t.global_runq, t.local_runq_total, t.local_runq_max, t.schedticks_total, t.detailed, t.gc_waiting, t.idle_locked_threads, t.stop_wait, t.sysmon_wait,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT string_agg(p.text || CASE WHEN p.fmt IS NULL THEN '' WHEN p.fmt = 'list' THEN coalesce((SELECT string_agg(v::text, ' ' ORDER BY q.p_idx) FROM (SELECT q.p_idx, CASE p.col WHEN 'local_runq' THEN q.local_runq ELSE q.schedtick END AS v FROM sched_p_rows q WHERE q.sample_id = t.id AND q.rule_id IS NULL) q WHERE v IS NOT NULL), '') WHEN p.fmt = 'ms' THEN (SELECT CASE WHEN n >= 10000 THEN (n / 1000)::text WHEN n = 0 THEN '0' WHEN n < 100 THEN '0.' || lpad(n::text, 3, '0') WHEN n < 1000 THEN '0.' || lpad((n / 10)::text, 2, '0') ELSE (n / 1000)::text || '.' || (n / 100 % 10)::text END FROM (SELECT (CASE p.col WHEN 't_ms' THEN t.t_ms WHEN 'gomaxprocs' THEN t.gomaxprocs WHEN 'idle_procs' THEN t.idle_procs WHEN 'threads' THEN t.threads WHEN 'spinning_threads' THEN t.spinning_threads WHEN 'need_spinning' THEN t.need_spinning WHEN 'idle_threads' THEN t.idle_threads WHEN 'global_runq' THEN t.global_runq WHEN 'local_runq_total' THEN t.local_runq_total WHEN 'local_runq_max' THEN t.local_runq_max WHEN 'schedticks_total' THEN t.schedticks_total WHEN 'detailed' THEN t.detailed WHEN 'gc_waiting' THEN t.gc_waiting WHEN 'idle_locked_threads' THEN t.idle_locked_threads WHEN 'stop_wait' THEN t.stop_wait WHEN 'sysmon_wait' THEN t.sysmon_wait END)::bigint AS n) x) WHEN p.fmt = 's' THEN (SELECT (n / 1000)::text || '.' || lpad((n % 1000)::text, 3, '0') FROM (SELECT (CASE p.col WHEN 't_ms' THEN t.t_ms WHEN 'gomaxprocs' THEN t.gomaxprocs WHEN 'idle_procs' THEN t.idle_procs WHEN 'threads' THEN t.threads WHEN 'spinning_threads' THEN t.spinning_threads WHEN 'need_spinning' THEN t.need_spinning WHEN 'idle_threads' THEN t.idle_threads WHEN 'global_runq' THEN t.global_runq WHEN 'local_runq_total' THEN t.local_runq_total WHEN 'local_runq_max' THEN t.local_runq_max WHEN 'schedticks_total' THEN t.schedticks_total WHEN 'detailed' THEN t.detailed WHEN 'gc_waiting' THEN t.gc_waiting WHEN 'idle_locked_threads' THEN t.idle_locked_threads WHEN 'stop_wait' THEN t.stop_wait WHEN 'sysmon_wait' THEN t.sysmon_wait END)::bigint AS n) x) ELSE CASE p.col WHEN 't_ms' THEN t.t_ms::text WHEN 'gomaxprocs' THEN t.gomaxprocs::text WHEN 'idle_procs' THEN t.idle_procs::text WHEN 'threads' THEN t.threads::text WHEN 'spinning_threads' THEN t.spinning_threads::text WHEN 'need_spinning' THEN t.need_spinning::text WHEN 'idle_threads' THEN t.idle_threads::text WHEN 'global_runq' THEN t.global_runq::text WHEN 'local_runq_total' THEN t.local_runq_total::text WHEN 'local_runq_max' THEN t.local_runq_max::text WHEN 'schedticks_total' THEN t.schedticks_total::text WHEN 'detailed' THEN t.detailed::text WHEN 'gc_waiting' THEN t.gc_waiting::text WHEN 'idle_locked_threads' THEN t.idle_locked_threads::text WHEN 'stop_wait' THEN t.stop_wait::text WHEN 'sysmon_wait' THEN t.sysmon_wait::text END END, '' ORDER BY p.seq) FROM rule_pieces p WHERE p.rule_id = t.rule_id) END AS raw,
  t.extra
FROM sched_samples_rows t;
CREATE VIEW sched_p AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.sample_id, t.p_idx, t.local_runq, t.schedtick, t.status, t.syscalltick, t.m_id, t.gfree_count, t.timers_len,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT string_agg(p.text || CASE WHEN p.fmt IS NULL THEN '' WHEN p.fmt = 'ms' THEN (SELECT CASE WHEN n >= 10000 THEN (n / 1000)::text WHEN n = 0 THEN '0' WHEN n < 100 THEN '0.' || lpad(n::text, 3, '0') WHEN n < 1000 THEN '0.' || lpad((n / 10)::text, 2, '0') ELSE (n / 1000)::text || '.' || (n / 100 % 10)::text END FROM (SELECT (CASE p.col WHEN 'sample_id' THEN t.sample_id WHEN 'p_idx' THEN t.p_idx WHEN 'local_runq' THEN t.local_runq WHEN 'schedtick' THEN t.schedtick WHEN 'status' THEN t.status WHEN 'syscalltick' THEN t.syscalltick WHEN 'm_id' THEN t.m_id WHEN 'gfree_count' THEN t.gfree_count WHEN 'timers_len' THEN t.timers_len END)::bigint AS n) x) WHEN p.fmt = 's' THEN (SELECT (n / 1000)::text || '.' || lpad((n % 1000)::text, 3, '0') FROM (SELECT (CASE p.col WHEN 'sample_id' THEN t.sample_id WHEN 'p_idx' THEN t.p_idx WHEN 'local_runq' THEN t.local_runq WHEN 'schedtick' THEN t.schedtick WHEN 'status' THEN t.status WHEN 'syscalltick' THEN t.syscalltick WHEN 'm_id' THEN t.m_id WHEN 'gfree_count' THEN t.gfree_count WHEN 'timers_len' THEN t.timers_len END)::bigint AS n) x) ELSE CASE p.col WHEN 'sample_id' THEN t.sample_id::text WHEN 'p_idx' THEN t.p_idx::text WHEN 'local_runq' THEN t.local_runq::text WHEN 'schedtick' THEN t.schedtick::text WHEN 'status' THEN t.status::text WHEN 'syscalltick' THEN t.syscalltick::text WHEN 'm_id' THEN t.m_id::text WHEN 'gfree_count' THEN t.gfree_count::text WHEN 'timers_len' THEN t.timers_len::text END END, '' ORDER BY p.seq) FROM rule_pieces p WHERE p.rule_id = t.rule_id) END AS raw,
  t.extra
FROM sched_p_rows t;
CREATE VIEW sched_m AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.sample_id, t.m_id, t.p_id, t.cur_goid, t.mallocing, t.throwing, t.preempt_off, t.locks, t.dying, t.helpgc, t.spinning, t.blocked, t.locked_goid,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT string_agg(p.text || CASE WHEN p.fmt IS NULL THEN '' WHEN p.fmt = 'ms' THEN (SELECT CASE WHEN n >= 10000 THEN (n / 1000)::text WHEN n = 0 THEN '0' WHEN n < 100 THEN '0.' || lpad(n::text, 3, '0') WHEN n < 1000 THEN '0.' || lpad((n / 10)::text, 2, '0') ELSE (n / 1000)::text || '.' || (n / 100 % 10)::text END FROM (SELECT (CASE p.col WHEN 'sample_id' THEN t.sample_id WHEN 'm_id' THEN t.m_id WHEN 'p_id' THEN t.p_id WHEN 'cur_goid' THEN t.cur_goid WHEN 'mallocing' THEN t.mallocing WHEN 'throwing' THEN t.throwing WHEN 'locks' THEN t.locks WHEN 'dying' THEN t.dying WHEN 'helpgc' THEN t.helpgc WHEN 'spinning' THEN t.spinning WHEN 'blocked' THEN t.blocked WHEN 'locked_goid' THEN t.locked_goid END)::bigint AS n) x) WHEN p.fmt = 's' THEN (SELECT (n / 1000)::text || '.' || lpad((n % 1000)::text, 3, '0') FROM (SELECT (CASE p.col WHEN 'sample_id' THEN t.sample_id WHEN 'm_id' THEN t.m_id WHEN 'p_id' THEN t.p_id WHEN 'cur_goid' THEN t.cur_goid WHEN 'mallocing' THEN t.mallocing WHEN 'throwing' THEN t.throwing WHEN 'locks' THEN t.locks WHEN 'dying' THEN t.dying WHEN 'helpgc' THEN t.helpgc WHEN 'spinning' THEN t.spinning WHEN 'blocked' THEN t.blocked WHEN 'locked_goid' THEN t.locked_goid END)::bigint AS n) x) ELSE CASE p.col WHEN 'sample_id' THEN t.sample_id::text WHEN 'm_id' THEN t.m_id::text WHEN 'p_id' THEN t.p_id::text WHEN 'cur_goid' THEN t.cur_goid::text WHEN 'mallocing' THEN t.mallocing::text WHEN 'throwing' THEN t.throwing::text WHEN 'preempt_off' THEN t.preempt_off::text WHEN 'locks' THEN t.locks::text WHEN 'dying' THEN t.dying::text WHEN 'helpgc' THEN t.helpgc::text WHEN 'spinning' THEN t.spinning::text WHEN 'blocked' THEN t.blocked::text WHEN 'locked_goid' THEN t.locked_goid::text END END, '' ORDER BY p.seq) FROM rule_pieces p WHERE p.rule_id = t.rule_id) END AS raw,
  t.extra
FROM sched_m_rows t;
CREATE VIEW sched_g AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.sample_id, t.goid, t.status_raw, t.status, t.scan_bit, t.wait_reason, t.m_id, t.locked_m_id,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT string_agg(p.text || CASE WHEN p.fmt IS NULL THEN '' WHEN p.fmt = 'ms' THEN (SELECT CASE WHEN n >= 10000 THEN (n / 1000)::text WHEN n = 0 THEN '0' WHEN n < 100 THEN '0.' || lpad(n::text, 3, '0') WHEN n < 1000 THEN '0.' || lpad((n / 10)::text, 2, '0') ELSE (n / 1000)::text || '.' || (n / 100 % 10)::text END FROM (SELECT (CASE p.col WHEN 'sample_id' THEN t.sample_id WHEN 'goid' THEN t.goid WHEN 'status_raw' THEN t.status_raw WHEN 'status' THEN t.status WHEN 'scan_bit' THEN t.scan_bit WHEN 'm_id' THEN t.m_id WHEN 'locked_m_id' THEN t.locked_m_id END)::bigint AS n) x) WHEN p.fmt = 's' THEN (SELECT (n / 1000)::text || '.' || lpad((n % 1000)::text, 3, '0') FROM (SELECT (CASE p.col WHEN 'sample_id' THEN t.sample_id WHEN 'goid' THEN t.goid WHEN 'status_raw' THEN t.status_raw WHEN 'status' THEN t.status WHEN 'scan_bit' THEN t.scan_bit WHEN 'm_id' THEN t.m_id WHEN 'locked_m_id' THEN t.locked_m_id END)::bigint AS n) x) ELSE CASE p.col WHEN 'sample_id' THEN t.sample_id::text WHEN 'goid' THEN t.goid::text WHEN 'status_raw' THEN t.status_raw::text WHEN 'status' THEN t.status::text WHEN 'scan_bit' THEN t.scan_bit::text WHEN 'wait_reason' THEN t.wait_reason::text WHEN 'm_id' THEN t.m_id::text WHEN 'locked_m_id' THEN t.locked_m_id::text END END, '' ORDER BY p.seq) FROM rule_pieces p WHERE p.rule_id = t.rule_id) END AS raw,
  t.extra
FROM sched_g_rows t;
CREATE VIEW scvg AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.scvg_num, t.forced, t.released_mib, t.inuse_mib, t.idle_mib, t.sys_mib, t.released_now_mib, t.consumed_mib, t.released_kib,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT string_agg(p.text || CASE WHEN p.fmt IS NULL THEN '' WHEN p.fmt = 'ms' THEN (SELECT CASE WHEN n >= 10000 THEN (n / 1000)::text WHEN n = 0 THEN '0' WHEN n < 100 THEN '0.' || lpad(n::text, 3, '0') WHEN n < 1000 THEN '0.' || lpad((n / 10)::text, 2, '0') ELSE (n / 1000)::text || '.' || (n / 100 % 10)::text END FROM (SELECT (CASE p.col WHEN 'scvg_num' THEN t.scvg_num WHEN 'forced' THEN t.forced WHEN 'released_mib' THEN t.released_mib WHEN 'inuse_mib' THEN t.inuse_mib WHEN 'idle_mib' THEN t.idle_mib WHEN 'sys_mib' THEN t.sys_mib WHEN 'released_now_mib' THEN t.released_now_mib WHEN 'consumed_mib' THEN t.consumed_mib WHEN 'released_kib' THEN t.released_kib END)::bigint AS n) x) WHEN p.fmt = 's' THEN (SELECT (n / 1000)::text || '.' || lpad((n % 1000)::text, 3, '0') FROM (SELECT (CASE p.col WHEN 'scvg_num' THEN t.scvg_num WHEN 'forced' THEN t.forced WHEN 'released_mib' THEN t.released_mib WHEN 'inuse_mib' THEN t.inuse_mib WHEN 'idle_mib' THEN t.idle_mib WHEN 'sys_mib' THEN t.sys_mib WHEN 'released_now_mib' THEN t.released_now_mib WHEN 'consumed_mib' THEN t.consumed_mib WHEN 'released_kib' THEN t.released_kib END)::bigint AS n) x) ELSE CASE p.col WHEN 'scvg_num' THEN t.scvg_num::text WHEN 'forced' THEN t.forced::text WHEN 'released_mib' THEN t.released_mib::text WHEN 'inuse_mib' THEN t.inuse_mib::text WHEN 'idle_mib' THEN t.idle_mib::text WHEN 'sys_mib' THEN t.sys_mib::text WHEN 'released_now_mib' THEN t.released_now_mib::text WHEN 'consumed_mib' THEN t.consumed_mib::text WHEN 'released_kib' THEN t.released_kib::text END END, '' ORDER BY p.seq) FROM rule_pieces p WHERE p.rule_id = t.rule_id) END AS raw,
  t.extra
FROM scvg_rows t;
CREATE VIEW scav AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.scav_gen, t.released_kib, t.released_bg_kib, t.released_eager_kib, t.released_now_kib, t.util_pct, t.forced, t.controller_reset, t.prev_gc_num,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT string_agg(p.text || CASE WHEN p.fmt IS NULL THEN '' WHEN p.fmt = 'ms' THEN (SELECT CASE WHEN n >= 10000 THEN (n / 1000)::text WHEN n = 0 THEN '0' WHEN n < 100 THEN '0.' || lpad(n::text, 3, '0') WHEN n < 1000 THEN '0.' || lpad((n / 10)::text, 2, '0') ELSE (n / 1000)::text || '.' || (n / 100 % 10)::text END FROM (SELECT (CASE p.col WHEN 'scav_gen' THEN t.scav_gen WHEN 'released_kib' THEN t.released_kib WHEN 'released_bg_kib' THEN t.released_bg_kib WHEN 'released_eager_kib' THEN t.released_eager_kib WHEN 'released_now_kib' THEN t.released_now_kib WHEN 'util_pct' THEN t.util_pct WHEN 'forced' THEN t.forced WHEN 'controller_reset' THEN t.controller_reset WHEN 'prev_gc_num' THEN t.prev_gc_num END)::bigint AS n) x) WHEN p.fmt = 's' THEN (SELECT (n / 1000)::text || '.' || lpad((n % 1000)::text, 3, '0') FROM (SELECT (CASE p.col WHEN 'scav_gen' THEN t.scav_gen WHEN 'released_kib' THEN t.released_kib WHEN 'released_bg_kib' THEN t.released_bg_kib WHEN 'released_eager_kib' THEN t.released_eager_kib WHEN 'released_now_kib' THEN t.released_now_kib WHEN 'util_pct' THEN t.util_pct WHEN 'forced' THEN t.forced WHEN 'controller_reset' THEN t.controller_reset WHEN 'prev_gc_num' THEN t.prev_gc_num END)::bigint AS n) x) ELSE CASE p.col WHEN 'scav_gen' THEN t.scav_gen::text WHEN 'released_kib' THEN t.released_kib::text WHEN 'released_bg_kib' THEN t.released_bg_kib::text WHEN 'released_eager_kib' THEN t.released_eager_kib::text WHEN 'released_now_kib' THEN t.released_now_kib::text WHEN 'util_pct' THEN t.util_pct::text WHEN 'forced' THEN t.forced::text WHEN 'controller_reset' THEN t.controller_reset::text WHEN 'prev_gc_num' THEN t.prev_gc_num::text END END, '' ORDER BY p.seq) FROM rule_pieces p WHERE p.rule_id = t.rule_id) END AS raw,
  t.extra
FROM scav_rows t;
CREATE VIEW pacer_start AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.gc_num, t.assist_ratio, t.scan_est_mib, t.heap_start_mib, t.heap_goal_mib, t.dedicated_workers, t.fractional_goal,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT string_agg(p.text || CASE WHEN p.fmt IS NULL THEN '' WHEN p.fmt = 'ms' THEN (SELECT CASE WHEN n >= 10000 THEN (n / 1000)::text WHEN n = 0 THEN '0' WHEN n < 100 THEN '0.' || lpad(n::text, 3, '0') WHEN n < 1000 THEN '0.' || lpad((n / 10)::text, 2, '0') ELSE (n / 1000)::text || '.' || (n / 100 % 10)::text END FROM (SELECT (CASE p.col WHEN 'gc_num' THEN t.gc_num WHEN 'assist_ratio' THEN t.assist_ratio WHEN 'scan_est_mib' THEN t.scan_est_mib WHEN 'heap_start_mib' THEN t.heap_start_mib WHEN 'heap_goal_mib' THEN t.heap_goal_mib WHEN 'dedicated_workers' THEN t.dedicated_workers WHEN 'fractional_goal' THEN t.fractional_goal END)::bigint AS n) x) WHEN p.fmt = 's' THEN (SELECT (n / 1000)::text || '.' || lpad((n % 1000)::text, 3, '0') FROM (SELECT (CASE p.col WHEN 'gc_num' THEN t.gc_num WHEN 'assist_ratio' THEN t.assist_ratio WHEN 'scan_est_mib' THEN t.scan_est_mib WHEN 'heap_start_mib' THEN t.heap_start_mib WHEN 'heap_goal_mib' THEN t.heap_goal_mib WHEN 'dedicated_workers' THEN t.dedicated_workers WHEN 'fractional_goal' THEN t.fractional_goal END)::bigint AS n) x) WHEN p.fmt = 'e' THEN (SELECT (SELECT CASE WHEN f < 0 THEN '-' ELSE '+' END || substr(e, 1, 8) || 'e' || CASE WHEN substr(e, 10)::int < 0 THEN '-' ELSE '+' END || lpad(abs(substr(e, 10)::int)::text, 3, '0') FROM (SELECT ltrim(to_char(abs(f), '0.000000EEEE')) AS e) x) FROM (SELECT (CASE p.col WHEN 'gc_num' THEN t.gc_num WHEN 'assist_ratio' THEN t.assist_ratio WHEN 'scan_est_mib' THEN t.scan_est_mib WHEN 'heap_start_mib' THEN t.heap_start_mib WHEN 'heap_goal_mib' THEN t.heap_goal_mib WHEN 'dedicated_workers' THEN t.dedicated_workers WHEN 'fractional_goal' THEN t.fractional_goal END)::double precision AS f) y) ELSE CASE p.col WHEN 'gc_num' THEN t.gc_num::text WHEN 'assist_ratio' THEN t.assist_ratio::text WHEN 'scan_est_mib' THEN t.scan_est_mib::text WHEN 'heap_start_mib' THEN t.heap_start_mib::text WHEN 'heap_goal_mib' THEN t.heap_goal_mib::text WHEN 'dedicated_workers' THEN t.dedicated_workers::text WHEN 'fractional_goal' THEN t.fractional_goal::text END END, '' ORDER BY p.seq) FROM rule_pieces p WHERE p.rule_id = t.rule_id) END AS raw,
  t.extra
FROM pacer_start_rows t;
CREATE VIEW pacer_end AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.gc_num, t.h_m_prev_b, t.trigger_ratio, t.trigger_b, t.actual_ratio, t.heap_end_b, t.goal_ratio, t.goal_b, t.util_actual, t.util_goal, t.scan_work_b, t.goal_delta, t.actual_delta, t.util_ratio, t.cpu_util_pct, t.cpu_util_goal_pct, t.heap_scan_work_b, t.stack_scan_work_b, t.globals_scan_work_b, t.scan_work_exp_b, t.goal_overshoot_b, t.cons_mark, t.controller_reset,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT string_agg(p.text || CASE WHEN p.fmt IS NULL THEN '' WHEN p.fmt = 'ms' THEN (SELECT CASE WHEN n >= 10000 THEN (n / 1000)::text WHEN n = 0 THEN '0' WHEN n < 100 THEN '0.' || lpad(n::text, 3, '0') WHEN n < 1000 THEN '0.' || lpad((n / 10)::text, 2, '0') ELSE (n / 1000)::text || '.' || (n / 100 % 10)::text END FROM (SELECT (CASE p.col WHEN 'gc_num' THEN t.gc_num WHEN 'h_m_prev_b' THEN t.h_m_prev_b WHEN 'trigger_ratio' THEN t.trigger_ratio WHEN 'trigger_b' THEN t.trigger_b WHEN 'actual_ratio' THEN t.actual_ratio WHEN 'heap_end_b' THEN t.heap_end_b WHEN 'goal_ratio' THEN t.goal_ratio WHEN 'goal_b' THEN t.goal_b WHEN 'util_actual' THEN t.util_actual WHEN 'util_goal' THEN t.util_goal WHEN 'scan_work_b' THEN t.scan_work_b WHEN 'goal_delta' THEN t.goal_delta WHEN 'actual_delta' THEN t.actual_delta WHEN 'util_ratio' THEN t.util_ratio WHEN 'cpu_util_pct' THEN t.cpu_util_pct WHEN 'cpu_util_goal_pct' THEN t.cpu_util_goal_pct WHEN 'heap_scan_work_b' THEN t.heap_scan_work_b WHEN 'stack_scan_work_b' THEN t.stack_scan_work_b WHEN 'globals_scan_work_b' THEN t.globals_scan_work_b WHEN 'scan_work_exp_b' THEN t.scan_work_exp_b WHEN 'goal_overshoot_b' THEN t.goal_overshoot_b WHEN 'cons_mark' THEN t.cons_mark WHEN 'controller_reset' THEN t.controller_reset END)::bigint AS n) x) WHEN p.fmt = 's' THEN (SELECT (n / 1000)::text || '.' || lpad((n % 1000)::text, 3, '0') FROM (SELECT (CASE p.col WHEN 'gc_num' THEN t.gc_num WHEN 'h_m_prev_b' THEN t.h_m_prev_b WHEN 'trigger_ratio' THEN t.trigger_ratio WHEN 'trigger_b' THEN t.trigger_b WHEN 'actual_ratio' THEN t.actual_ratio WHEN 'heap_end_b' THEN t.heap_end_b WHEN 'goal_ratio' THEN t.goal_ratio WHEN 'goal_b' THEN t.goal_b WHEN 'util_actual' THEN t.util_actual WHEN 'util_goal' THEN t.util_goal WHEN 'scan_work_b' THEN t.scan_work_b WHEN 'goal_delta' THEN t.goal_delta WHEN 'actual_delta' THEN t.actual_delta WHEN 'util_ratio' THEN t.util_ratio WHEN 'cpu_util_pct' THEN t.cpu_util_pct WHEN 'cpu_util_goal_pct' THEN t.cpu_util_goal_pct WHEN 'heap_scan_work_b' THEN t.heap_scan_work_b WHEN 'stack_scan_work_b' THEN t.stack_scan_work_b WHEN 'globals_scan_work_b' THEN t.globals_scan_work_b WHEN 'scan_work_exp_b' THEN t.scan_work_exp_b WHEN 'goal_overshoot_b' THEN t.goal_overshoot_b WHEN 'cons_mark' THEN t.cons_mark WHEN 'controller_reset' THEN t.controller_reset END)::bigint AS n) x) WHEN p.fmt = 'e' THEN (SELECT (SELECT CASE WHEN f < 0 THEN '-' ELSE '+' END || substr(e, 1, 8) || 'e' || CASE WHEN substr(e, 10)::int < 0 THEN '-' ELSE '+' END || lpad(abs(substr(e, 10)::int)::text, 3, '0') FROM (SELECT ltrim(to_char(abs(f), '0.000000EEEE')) AS e) x) FROM (SELECT (CASE p.col WHEN 'gc_num' THEN t.gc_num WHEN 'h_m_prev_b' THEN t.h_m_prev_b WHEN 'trigger_ratio' THEN t.trigger_ratio WHEN 'trigger_b' THEN t.trigger_b WHEN 'actual_ratio' THEN t.actual_ratio WHEN 'heap_end_b' THEN t.heap_end_b WHEN 'goal_ratio' THEN t.goal_ratio WHEN 'goal_b' THEN t.goal_b WHEN 'util_actual' THEN t.util_actual WHEN 'util_goal' THEN t.util_goal WHEN 'scan_work_b' THEN t.scan_work_b WHEN 'goal_delta' THEN t.goal_delta WHEN 'actual_delta' THEN t.actual_delta WHEN 'util_ratio' THEN t.util_ratio WHEN 'cpu_util_pct' THEN t.cpu_util_pct WHEN 'cpu_util_goal_pct' THEN t.cpu_util_goal_pct WHEN 'heap_scan_work_b' THEN t.heap_scan_work_b WHEN 'stack_scan_work_b' THEN t.stack_scan_work_b WHEN 'globals_scan_work_b' THEN t.globals_scan_work_b WHEN 'scan_work_exp_b' THEN t.scan_work_exp_b WHEN 'goal_overshoot_b' THEN t.goal_overshoot_b WHEN 'cons_mark' THEN t.cons_mark WHEN 'controller_reset' THEN t.controller_reset END)::double precision AS f) y) ELSE CASE p.col WHEN 'gc_num' THEN t.gc_num::text WHEN 'h_m_prev_b' THEN t.h_m_prev_b::text WHEN 'trigger_ratio' THEN t.trigger_ratio::text WHEN 'trigger_b' THEN t.trigger_b::text WHEN 'actual_ratio' THEN t.actual_ratio::text WHEN 'heap_end_b' THEN t.heap_end_b::text WHEN 'goal_ratio' THEN t.goal_ratio::text WHEN 'goal_b' THEN t.goal_b::text WHEN 'util_actual' THEN t.util_actual::text WHEN 'util_goal' THEN t.util_goal::text WHEN 'scan_work_b' THEN t.scan_work_b::text WHEN 'goal_delta' THEN t.goal_delta::text WHEN 'actual_delta' THEN t.actual_delta::text WHEN 'util_ratio' THEN t.util_ratio::text WHEN 'cpu_util_pct' THEN t.cpu_util_pct::text WHEN 'cpu_util_goal_pct' THEN t.cpu_util_goal_pct::text WHEN 'heap_scan_work_b' THEN t.heap_scan_work_b::text WHEN 'stack_scan_work_b' THEN t.stack_scan_work_b::text WHEN 'globals_scan_work_b' THEN t.globals_scan_work_b::text WHEN 'scan_work_exp_b' THEN t.scan_work_exp_b::text WHEN 'goal_overshoot_b' THEN t.goal_overshoot_b::text WHEN 'cons_mark' THEN t.cons_mark::text WHEN 'controller_reset' THEN t.controller_reset::text END END, '' ORDER BY p.seq) FROM rule_pieces p WHERE p.rule_id = t.rule_id) END AS raw,
  t.extra
FROM pacer_end_rows t;
CREATE VIEW pacer_sweep AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.prev_gc_num, t.heap_mib, t.alloc_during_sweep_mib, t.pages_swept, t.pages_per_byte,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT string_agg(p.text || CASE WHEN p.fmt IS NULL THEN '' WHEN p.fmt = 'ms' THEN (SELECT CASE WHEN n >= 10000 THEN (n / 1000)::text WHEN n = 0 THEN '0' WHEN n < 100 THEN '0.' || lpad(n::text, 3, '0') WHEN n < 1000 THEN '0.' || lpad((n / 10)::text, 2, '0') ELSE (n / 1000)::text || '.' || (n / 100 % 10)::text END FROM (SELECT (CASE p.col WHEN 'prev_gc_num' THEN t.prev_gc_num WHEN 'heap_mib' THEN t.heap_mib WHEN 'alloc_during_sweep_mib' THEN t.alloc_during_sweep_mib WHEN 'pages_swept' THEN t.pages_swept WHEN 'pages_per_byte' THEN t.pages_per_byte END)::bigint AS n) x) WHEN p.fmt = 's' THEN (SELECT (n / 1000)::text || '.' || lpad((n % 1000)::text, 3, '0') FROM (SELECT (CASE p.col WHEN 'prev_gc_num' THEN t.prev_gc_num WHEN 'heap_mib' THEN t.heap_mib WHEN 'alloc_during_sweep_mib' THEN t.alloc_during_sweep_mib WHEN 'pages_swept' THEN t.pages_swept WHEN 'pages_per_byte' THEN t.pages_per_byte END)::bigint AS n) x) WHEN p.fmt = 'e' THEN (SELECT (SELECT CASE WHEN f < 0 THEN '-' ELSE '+' END || substr(e, 1, 8) || 'e' || CASE WHEN substr(e, 10)::int < 0 THEN '-' ELSE '+' END || lpad(abs(substr(e, 10)::int)::text, 3, '0') FROM (SELECT ltrim(to_char(abs(f), '0.000000EEEE')) AS e) x) FROM (SELECT (CASE p.col WHEN 'prev_gc_num' THEN t.prev_gc_num WHEN 'heap_mib' THEN t.heap_mib WHEN 'alloc_during_sweep_mib' THEN t.alloc_during_sweep_mib WHEN 'pages_swept' THEN t.pages_swept WHEN 'pages_per_byte' THEN t.pages_per_byte END)::double precision AS f) y) ELSE CASE p.col WHEN 'prev_gc_num' THEN t.prev_gc_num::text WHEN 'heap_mib' THEN t.heap_mib::text WHEN 'alloc_during_sweep_mib' THEN t.alloc_during_sweep_mib::text WHEN 'pages_swept' THEN t.pages_swept::text WHEN 'pages_per_byte' THEN t.pages_per_byte::text END END, '' ORDER BY p.seq) FROM rule_pieces p WHERE p.rule_id = t.rule_id) END AS raw,
  t.extra
FROM pacer_sweep_rows t;
CREATE VIEW events AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.event, t.message,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT string_agg(p.text || CASE WHEN p.fmt IS NULL THEN '' WHEN p.fmt = 'ms' THEN (SELECT CASE WHEN n >= 10000 THEN (n / 1000)::text WHEN n = 0 THEN '0' WHEN n < 100 THEN '0.' || lpad(n::text, 3, '0') WHEN n < 1000 THEN '0.' || lpad((n / 10)::text, 2, '0') ELSE (n / 1000)::text || '.' || (n / 100 % 10)::text END FROM (SELECT (NULL)::bigint AS n) x) WHEN p.fmt = 's' THEN (SELECT (n / 1000)::text || '.' || lpad((n % 1000)::text, 3, '0') FROM (SELECT (NULL)::bigint AS n) x) ELSE CASE p.col WHEN 'event' THEN t.event::text WHEN 'message' THEN t.message::text END END, '' ORDER BY p.seq) FROM rule_pieces p WHERE p.rule_id = t.rule_id) END AS raw,
  t.extra
FROM events_rows t;
CREATE VIEW raw_lines AS
SELECT run_id, segment, line_no, 'gc_cycles' AS tbl, id, rule, raw FROM gc_cycles WHERE rule IS NOT NULL
UNION ALL SELECT run_id, segment, line_no, 'gc_legacy' AS tbl, id, rule, raw FROM gc_legacy WHERE rule IS NOT NULL
UNION ALL SELECT run_id, segment, line_no, 'gc_scan_classes' AS tbl, id, rule, raw FROM gc_scan_classes WHERE rule IS NOT NULL
UNION ALL SELECT run_id, segment, line_no, 'sched_samples' AS tbl, id, rule, raw FROM sched_samples WHERE rule IS NOT NULL
UNION ALL SELECT run_id, segment, line_no, 'sched_p' AS tbl, id, rule, raw FROM sched_p WHERE rule IS NOT NULL
UNION ALL SELECT run_id, segment, line_no, 'sched_m' AS tbl, id, rule, raw FROM sched_m WHERE rule IS NOT NULL
UNION ALL SELECT run_id, segment, line_no, 'sched_g' AS tbl, id, rule, raw FROM sched_g WHERE rule IS NOT NULL
UNION ALL SELECT run_id, segment, line_no, 'scvg' AS tbl, id, rule, raw FROM scvg WHERE rule IS NOT NULL
UNION ALL SELECT run_id, segment, line_no, 'scav' AS tbl, id, rule, raw FROM scav WHERE rule IS NOT NULL
UNION ALL SELECT run_id, segment, line_no, 'pacer_start' AS tbl, id, rule, raw FROM pacer_start WHERE rule IS NOT NULL
UNION ALL SELECT run_id, segment, line_no, 'pacer_end' AS tbl, id, rule, raw FROM pacer_end WHERE rule IS NOT NULL
UNION ALL SELECT run_id, segment, line_no, 'pacer_sweep' AS tbl, id, rule, raw FROM pacer_sweep WHERE rule IS NOT NULL
UNION ALL SELECT run_id, segment, line_no, 'events' AS tbl, id, rule, raw FROM events WHERE rule IS NOT NULL
UNION ALL SELECT run_id, NULL, line_no, 'broken_lines', id, NULL, text FROM broken_lines;
CREATE VIEW run_ranges AS
SELECT run_id, 'gc_cycles' AS tbl, min(id) AS first_id, max(id) AS last_id FROM gc_cycles_rows GROUP BY run_id
UNION ALL SELECT run_id, 'gc_legacy' AS tbl, min(id) AS first_id, max(id) AS last_id FROM gc_legacy_rows GROUP BY run_id
UNION ALL SELECT run_id, 'gc_scan_classes' AS tbl, min(id) AS first_id, max(id) AS last_id FROM gc_scan_classes_rows GROUP BY run_id
UNION ALL SELECT run_id, 'sched_samples' AS tbl, min(id) AS first_id, max(id) AS last_id FROM sched_samples_rows GROUP BY run_id
UNION ALL SELECT run_id, 'sched_p' AS tbl, min(id) AS first_id, max(id) AS last_id FROM sched_p_rows GROUP BY run_id
UNION ALL SELECT run_id, 'sched_m' AS tbl, min(id) AS first_id, max(id) AS last_id FROM sched_m_rows GROUP BY run_id
UNION ALL SELECT run_id, 'sched_g' AS tbl, min(id) AS first_id, max(id) AS last_id FROM sched_g_rows GROUP BY run_id
UNION ALL SELECT run_id, 'scvg' AS tbl, min(id) AS first_id, max(id) AS last_id FROM scvg_rows GROUP BY run_id
UNION ALL SELECT run_id, 'scav' AS tbl, min(id) AS first_id, max(id) AS last_id FROM scav_rows GROUP BY run_id
UNION ALL SELECT run_id, 'pacer_start' AS tbl, min(id) AS first_id, max(id) AS last_id FROM pacer_start_rows GROUP BY run_id
UNION ALL SELECT run_id, 'pacer_end' AS tbl, min(id) AS first_id, max(id) AS last_id FROM pacer_end_rows GROUP BY run_id
UNION ALL SELECT run_id, 'pacer_sweep' AS tbl, min(id) AS first_id, max(id) AS last_id FROM pacer_sweep_rows GROUP BY run_id
UNION ALL SELECT run_id, 'events' AS tbl, min(id) AS first_id, max(id) AS last_id FROM events_rows GROUP BY run_id;
CREATE TABLE tracestat_schema (
  application_id BIGINT NOT NULL,
  version BIGINT NOT NULL
);
