-- Schema 2: schema 1 and the steps of v1-v2.sql.  Frozen: never edit.
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  name TEXT,
  source TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  status TEXT NOT NULL DEFAULT 'running',
  lines INTEGER NOT NULL DEFAULT 0,
  trace_lines INTEGER NOT NULL DEFAULT 0,
  other_lines INTEGER NOT NULL DEFAULT 0,
  gc_cycles INTEGER NOT NULL DEFAULT 0,
  sched_samples INTEGER NOT NULL DEFAULT 0,
  repaired_lines INTEGER NOT NULL DEFAULT 0,
  unrecognised_lines INTEGER NOT NULL DEFAULT 0,
  overlong_lines INTEGER NOT NULL DEFAULT 0,
  invalid_values INTEGER NOT NULL DEFAULT 0,
  segments INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0,
  tracestat_version TEXT NOT NULL
);
CREATE TABLE run_labels (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
);
CREATE TABLE run_inputs (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  input_no INTEGER NOT NULL,
  path TEXT NOT NULL,
  first_line INTEGER,
  last_line INTEGER,
  PRIMARY KEY (run_id, input_no)
);
CREATE TABLE segments (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  segment INTEGER NOT NULL,
  reason TEXT NOT NULL,
  first_line INTEGER NOT NULL,
  last_line INTEGER NOT NULL,
  go_min TEXT,
  go_max TEXT,
  gc_cycles INTEGER NOT NULL,
  forced_cycles INTEGER NOT NULL,
  periodic_cycles INTEGER NOT NULL,
  sched_samples INTEGER NOT NULL,
  repaired_records INTEGER NOT NULL,
  first_gc_num INTEGER,
  last_gc_num INTEGER,
  first_ms INTEGER,
  last_ms INTEGER,
  first_sched_ms INTEGER,
  last_sched_ms INTEGER,
  PRIMARY KEY (run_id, segment)
);
CREATE TABLE broken_lines (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  line_no INTEGER NOT NULL,
  reason TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE TABLE gc_cycles (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  segment INTEGER NOT NULL,
  line_no INTEGER NOT NULL,
  wall_s REAL,
  repaired INTEGER NOT NULL DEFAULT 0,
  gc_num INTEGER,
  start_ms INTEGER,
  gc_cpu_pct INTEGER,
  leak_check INTEGER,
  stw_sweepterm_wall_us INTEGER,
  scan_wall_us INTEGER,
  installwb_wall_us INTEGER,
  mark_wall_us INTEGER,
  stw_markterm_wall_us INTEGER,
  stw_sweepterm_cpu_us INTEGER,
  scan_cpu_us INTEGER,
  installwb_cpu_us INTEGER,
  assist_cpu_us INTEGER,
  bg_mark_cpu_us INTEGER,
  idle_mark_cpu_us INTEGER,
  stw_markterm_cpu_us INTEGER,
  heap_start_mib INTEGER,
  heap_end_mib INTEGER,
  heap_live_mib INTEGER,
  heap_goal_mib INTEGER,
  stacks_mib INTEGER,
  globals_mib INTEGER,
  gomaxprocs INTEGER,
  forced INTEGER,
  periodic INTEGER,
  stw_total_wall_us INTEGER,
  rule TEXT,
  raw TEXT,
  extra TEXT
);
CREATE TABLE gc_legacy (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  segment INTEGER NOT NULL,
  line_no INTEGER NOT NULL,
  wall_s REAL,
  repaired INTEGER NOT NULL DEFAULT 0,
  gc_num INTEGER,
  gc_procs INTEGER,
  phase1_us INTEGER,
  phase2_us INTEGER,
  phase3_us INTEGER,
  phase4_us INTEGER,
  heap_before_mib INTEGER,
  heap_after_mib INTEGER,
  objects INTEGER,
  mallocs INTEGER,
  frees INTEGER,
  goroutines INTEGER,
  sweeps_span INTEGER,
  sweeps_bg INTEGER,
  sweeps_pause INTEGER,
  handoff INTEGER,
  handoff_count INTEGER,
  steal INTEGER,
  steal_count INTEGER,
  yields_a INTEGER,
  yields_b INTEGER,
  yields_c INTEGER,
  rule TEXT,
  raw TEXT,
  extra TEXT
);
CREATE TABLE gc_scan_classes (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  segment INTEGER NOT NULL,
  line_no INTEGER NOT NULL,
  wall_s REAL,
  repaired INTEGER NOT NULL DEFAULT 0,
  gc_num INTEGER,
  size_class TEXT,
  class_bytes INTEGER,
  objs_sparse INTEGER,
  objs_span_sparse INTEGER,
  objs_span_dense INTEGER,
  objs_total INTEGER,
  spans_sparse INTEGER,
  spans_dense INTEGER,
  spans_total INTEGER,
  rule TEXT,
  raw TEXT,
  extra TEXT
);
CREATE TABLE sched_samples (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  segment INTEGER NOT NULL,
  line_no INTEGER NOT NULL,
  wall_s REAL,
  repaired INTEGER NOT NULL DEFAULT 0,
  t_ms INTEGER,
  gomaxprocs INTEGER,
  idle_procs INTEGER,
  threads INTEGER,
  spinning_threads INTEGER,
  need_spinning INTEGER,
  idle_threads INTEGER,
  global_runq INTEGER,
  local_runq_total INTEGER,
  local_runq_max INTEGER,
  schedticks_total INTEGER,
  detailed INTEGER,
  gc_waiting INTEGER,
  idle_locked_threads INTEGER,
  stop_wait INTEGER,
  sysmon_wait INTEGER,
  rule TEXT,
  raw TEXT,
  extra TEXT
);
CREATE TABLE sched_p (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  segment INTEGER NOT NULL,
  line_no INTEGER NOT NULL,
  wall_s REAL,
  repaired INTEGER NOT NULL DEFAULT 0,
  sample_id INTEGER,
  p_idx INTEGER,
  local_runq INTEGER,
  schedtick INTEGER,
  status INTEGER,
  syscalltick INTEGER,
  m_id INTEGER,
  gfree_count INTEGER,
  timers_len INTEGER,
  rule TEXT,
  raw TEXT,
  extra TEXT
);
CREATE TABLE sched_m (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  segment INTEGER NOT NULL,
  line_no INTEGER NOT NULL,
  wall_s REAL,
  repaired INTEGER NOT NULL DEFAULT 0,
  sample_id INTEGER,
  m_id INTEGER,
  p_id INTEGER,
  cur_goid INTEGER,
  mallocing INTEGER,
  throwing INTEGER,
  preempt_off TEXT,
  locks INTEGER,
  dying INTEGER,
  helpgc INTEGER,
  spinning INTEGER,
  blocked INTEGER,
  locked_goid INTEGER,
  rule TEXT,
  raw TEXT,
  extra TEXT
);
CREATE TABLE sched_g (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  segment INTEGER NOT NULL,
  line_no INTEGER NOT NULL,
  wall_s REAL,
  repaired INTEGER NOT NULL DEFAULT 0,
  sample_id INTEGER,
  goid INTEGER,
  status_raw INTEGER,
  status INTEGER,
  scan_bit INTEGER,
  wait_reason TEXT,
  m_id INTEGER,
  locked_m_id INTEGER,
  rule TEXT,
  raw TEXT,
  extra TEXT
);
CREATE TABLE scvg (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  segment INTEGER NOT NULL,
  line_no INTEGER NOT NULL,
  wall_s REAL,
  repaired INTEGER NOT NULL DEFAULT 0,
  scvg_num INTEGER,
  forced INTEGER,
  released_mib INTEGER,
  inuse_mib INTEGER,
  idle_mib INTEGER,
  sys_mib INTEGER,
  released_now_mib INTEGER,
  consumed_mib INTEGER,
  rule TEXT,
  raw TEXT,
  extra TEXT
);
CREATE TABLE scav (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  segment INTEGER NOT NULL,
  line_no INTEGER NOT NULL,
  wall_s REAL,
  repaired INTEGER NOT NULL DEFAULT 0,
  scav_gen INTEGER,
  released_kib INTEGER,
  released_bg_kib INTEGER,
  released_eager_kib INTEGER,
  released_now_kib INTEGER,
  util_pct INTEGER,
  forced INTEGER,
  controller_reset INTEGER,
  prev_gc_num INTEGER,
  rule TEXT,
  raw TEXT,
  extra TEXT
);
CREATE TABLE pacer_start (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  segment INTEGER NOT NULL,
  line_no INTEGER NOT NULL,
  wall_s REAL,
  repaired INTEGER NOT NULL DEFAULT 0,
  gc_num INTEGER,
  assist_ratio REAL,
  scan_est_mib INTEGER,
  heap_start_mib INTEGER,
  heap_goal_mib INTEGER,
  dedicated_workers INTEGER,
  fractional_goal REAL,
  rule TEXT,
  raw TEXT,
  extra TEXT
);
CREATE TABLE pacer_end (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  segment INTEGER NOT NULL,
  line_no INTEGER NOT NULL,
  wall_s REAL,
  repaired INTEGER NOT NULL DEFAULT 0,
  gc_num INTEGER,
  h_m_prev_b INTEGER,
  trigger_ratio REAL,
  trigger_b INTEGER,
  actual_ratio REAL,
  heap_end_b INTEGER,
  goal_ratio REAL,
  goal_b INTEGER,
  util_actual REAL,
  util_goal REAL,
  scan_work_b INTEGER,
  goal_delta REAL,
  actual_delta REAL,
  util_ratio REAL,
  cpu_util_pct INTEGER,
  cpu_util_goal_pct INTEGER,
  heap_scan_work_b INTEGER,
  stack_scan_work_b INTEGER,
  globals_scan_work_b INTEGER,
  scan_work_exp_b INTEGER,
  goal_overshoot_b INTEGER,
  cons_mark REAL,
  controller_reset INTEGER,
  rule TEXT,
  raw TEXT,
  extra TEXT
);
CREATE TABLE pacer_sweep (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  segment INTEGER NOT NULL,
  line_no INTEGER NOT NULL,
  wall_s REAL,
  repaired INTEGER NOT NULL DEFAULT 0,
  prev_gc_num INTEGER,
  heap_mib INTEGER,
  alloc_during_sweep_mib INTEGER,
  pages_swept INTEGER,
  pages_per_byte REAL,
  rule TEXT,
  raw TEXT,
  extra TEXT
);
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  segment INTEGER NOT NULL,
  line_no INTEGER NOT NULL,
  wall_s REAL,
  repaired INTEGER NOT NULL DEFAULT 0,
  event TEXT,
  message TEXT,
  rule TEXT,
  raw TEXT,
  extra TEXT
);
CREATE INDEX broken_lines_run ON broken_lines(run_id);
CREATE INDEX gc_cycles_run ON gc_cycles(run_id, segment);
CREATE INDEX gc_legacy_run ON gc_legacy(run_id, segment);
CREATE INDEX gc_scan_classes_run ON gc_scan_classes(run_id, segment);
CREATE INDEX sched_samples_run ON sched_samples(run_id, segment);
CREATE INDEX sched_p_run ON sched_p(run_id, segment);
CREATE INDEX sched_m_run ON sched_m(run_id, segment);
CREATE INDEX sched_g_run ON sched_g(run_id, segment);
CREATE INDEX scvg_run ON scvg(run_id, segment);
CREATE INDEX scav_run ON scav(run_id, segment);
CREATE INDEX pacer_start_run ON pacer_start(run_id, segment);
CREATE INDEX pacer_end_run ON pacer_end(run_id, segment);
CREATE INDEX pacer_sweep_run ON pacer_sweep(run_id, segment);
CREATE INDEX events_run ON events(run_id, segment);
CREATE INDEX sched_p_sample ON sched_p(sample_id);
CREATE INDEX sched_m_sample ON sched_m(sample_id);
CREATE INDEX sched_g_sample ON sched_g(sample_id);
ALTER TABLE runs ADD COLUMN pid INTEGER;
ALTER TABLE runs ADD COLUMN host TEXT;
ALTER TABLE runs ADD COLUMN status_reason TEXT;
ALTER TABLE runs ADD COLUMN dropped_records INTEGER NOT NULL DEFAULT 0;
ALTER TABLE scvg ADD COLUMN released_kib INTEGER;
