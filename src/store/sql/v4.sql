-- Schema 4, what a new store is made of: the sqlite_master of schema 3
-- after the steps of v3-v4.sql, in order.  Frozen: never edit.
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
, pid INTEGER, host TEXT, status_reason TEXT, dropped_records INTEGER NOT NULL DEFAULT 0);
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
CREATE INDEX broken_lines_run ON broken_lines(run_id);
CREATE TABLE rules (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  shape TEXT NOT NULL,
  UNIQUE (name, shape)
);
CREATE TABLE rule_pieces (
  rule_id INTEGER NOT NULL REFERENCES rules(id),
  seq INTEGER NOT NULL,
  text TEXT NOT NULL,
  col TEXT,
  fmt TEXT,
  PRIMARY KEY (rule_id, seq)
);
CREATE TABLE gc_cycles_rows (
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
  rule_id INTEGER REFERENCES rules(id),
  line TEXT,
  extra TEXT
);
CREATE VIEW gc_cycles AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.gc_num, t.start_ms, t.gc_cpu_pct, t.leak_check, t.stw_sweepterm_wall_us, t.scan_wall_us, t.installwb_wall_us, t.mark_wall_us, t.stw_markterm_wall_us, t.stw_sweepterm_cpu_us, t.scan_cpu_us, t.installwb_cpu_us, t.assist_cpu_us, t.bg_mark_cpu_us, t.idle_mark_cpu_us, t.stw_markterm_cpu_us, t.heap_start_mib, t.heap_end_mib, t.heap_live_mib, t.heap_goal_mib, t.stacks_mib, t.globals_mib, t.gomaxprocs, t.forced, t.periodic, t.stw_total_wall_us,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT group_concat(x, '') FROM (SELECT p.text || CASE WHEN p.fmt IS NULL THEN '' ELSE (SELECT CASE p.fmt WHEN 'ms' THEN CASE WHEN v >= 10000 THEN v / 1000 WHEN v = 0 THEN '0' WHEN v < 100 THEN printf('0.%03d', v) WHEN v < 1000 THEN printf('0.%02d', v / 10) ELSE printf('%d.%d', v / 1000, v / 100 % 10) END WHEN 's' THEN printf('%d.%03d', v / 1000, v % 1000) ELSE v END FROM (SELECT CASE p.col WHEN 'gc_num' THEN t.gc_num WHEN 'start_ms' THEN t.start_ms WHEN 'gc_cpu_pct' THEN t.gc_cpu_pct WHEN 'leak_check' THEN t.leak_check WHEN 'stw_sweepterm_wall_us' THEN t.stw_sweepterm_wall_us WHEN 'scan_wall_us' THEN t.scan_wall_us WHEN 'installwb_wall_us' THEN t.installwb_wall_us WHEN 'mark_wall_us' THEN t.mark_wall_us WHEN 'stw_markterm_wall_us' THEN t.stw_markterm_wall_us WHEN 'stw_sweepterm_cpu_us' THEN t.stw_sweepterm_cpu_us WHEN 'scan_cpu_us' THEN t.scan_cpu_us WHEN 'installwb_cpu_us' THEN t.installwb_cpu_us WHEN 'assist_cpu_us' THEN t.assist_cpu_us WHEN 'bg_mark_cpu_us' THEN t.bg_mark_cpu_us WHEN 'idle_mark_cpu_us' THEN t.idle_mark_cpu_us WHEN 'stw_markterm_cpu_us' THEN t.stw_markterm_cpu_us WHEN 'heap_start_mib' THEN t.heap_start_mib WHEN 'heap_end_mib' THEN t.heap_end_mib WHEN 'heap_live_mib' THEN t.heap_live_mib WHEN 'heap_goal_mib' THEN t.heap_goal_mib WHEN 'stacks_mib' THEN t.stacks_mib WHEN 'globals_mib' THEN t.globals_mib WHEN 'gomaxprocs' THEN t.gomaxprocs WHEN 'forced' THEN t.forced WHEN 'periodic' THEN t.periodic WHEN 'stw_total_wall_us' THEN t.stw_total_wall_us END AS v)) END AS x FROM rule_pieces p WHERE p.rule_id = t.rule_id ORDER BY p.seq)) END AS raw,
  t.extra
FROM gc_cycles_rows t;
CREATE TABLE gc_legacy_rows (
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
  rule_id INTEGER REFERENCES rules(id),
  line TEXT,
  extra TEXT
);
CREATE VIEW gc_legacy AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.gc_num, t.gc_procs, t.phase1_us, t.phase2_us, t.phase3_us, t.phase4_us, t.heap_before_mib, t.heap_after_mib, t.objects, t.mallocs, t.frees, t.goroutines, t.sweeps_span, t.sweeps_bg, t.sweeps_pause, t.handoff, t.handoff_count, t.steal, t.steal_count, t.yields_a, t.yields_b, t.yields_c,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT group_concat(x, '') FROM (SELECT p.text || CASE WHEN p.fmt IS NULL THEN '' ELSE (SELECT CASE p.fmt WHEN 'ms' THEN CASE WHEN v >= 10000 THEN v / 1000 WHEN v = 0 THEN '0' WHEN v < 100 THEN printf('0.%03d', v) WHEN v < 1000 THEN printf('0.%02d', v / 10) ELSE printf('%d.%d', v / 1000, v / 100 % 10) END WHEN 's' THEN printf('%d.%03d', v / 1000, v % 1000) ELSE v END FROM (SELECT CASE p.col WHEN 'gc_num' THEN t.gc_num WHEN 'gc_procs' THEN t.gc_procs WHEN 'phase1_us' THEN t.phase1_us WHEN 'phase2_us' THEN t.phase2_us WHEN 'phase3_us' THEN t.phase3_us WHEN 'phase4_us' THEN t.phase4_us WHEN 'heap_before_mib' THEN t.heap_before_mib WHEN 'heap_after_mib' THEN t.heap_after_mib WHEN 'objects' THEN t.objects WHEN 'mallocs' THEN t.mallocs WHEN 'frees' THEN t.frees WHEN 'goroutines' THEN t.goroutines WHEN 'sweeps_span' THEN t.sweeps_span WHEN 'sweeps_bg' THEN t.sweeps_bg WHEN 'sweeps_pause' THEN t.sweeps_pause WHEN 'handoff' THEN t.handoff WHEN 'handoff_count' THEN t.handoff_count WHEN 'steal' THEN t.steal WHEN 'steal_count' THEN t.steal_count WHEN 'yields_a' THEN t.yields_a WHEN 'yields_b' THEN t.yields_b WHEN 'yields_c' THEN t.yields_c END AS v)) END AS x FROM rule_pieces p WHERE p.rule_id = t.rule_id ORDER BY p.seq)) END AS raw,
  t.extra
FROM gc_legacy_rows t;
CREATE TABLE gc_scan_classes_rows (
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
  rule_id INTEGER REFERENCES rules(id),
  line TEXT,
  extra TEXT
);
CREATE VIEW gc_scan_classes AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.gc_num, t.size_class, t.class_bytes, t.objs_sparse, t.objs_span_sparse, t.objs_span_dense, t.objs_total, t.spans_sparse, t.spans_dense, t.spans_total,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT group_concat(x, '') FROM (SELECT p.text || CASE WHEN p.fmt IS NULL THEN '' ELSE (SELECT CASE p.fmt WHEN 'ms' THEN CASE WHEN v >= 10000 THEN v / 1000 WHEN v = 0 THEN '0' WHEN v < 100 THEN printf('0.%03d', v) WHEN v < 1000 THEN printf('0.%02d', v / 10) ELSE printf('%d.%d', v / 1000, v / 100 % 10) END WHEN 's' THEN printf('%d.%03d', v / 1000, v % 1000) ELSE v END FROM (SELECT CASE p.col WHEN 'gc_num' THEN t.gc_num WHEN 'size_class' THEN t.size_class WHEN 'class_bytes' THEN t.class_bytes WHEN 'objs_sparse' THEN t.objs_sparse WHEN 'objs_span_sparse' THEN t.objs_span_sparse WHEN 'objs_span_dense' THEN t.objs_span_dense WHEN 'objs_total' THEN t.objs_total WHEN 'spans_sparse' THEN t.spans_sparse WHEN 'spans_dense' THEN t.spans_dense WHEN 'spans_total' THEN t.spans_total END AS v)) END AS x FROM rule_pieces p WHERE p.rule_id = t.rule_id ORDER BY p.seq)) END AS raw,
  t.extra
FROM gc_scan_classes_rows t;
CREATE TABLE sched_samples_rows (
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
  rule_id INTEGER REFERENCES rules(id),
  line TEXT,
  extra TEXT
);
CREATE VIEW sched_samples AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.t_ms, t.gomaxprocs, t.idle_procs, t.threads, t.spinning_threads, t.need_spinning, t.idle_threads, t.global_runq, t.local_runq_total, t.local_runq_max, t.schedticks_total, t.detailed, t.gc_waiting, t.idle_locked_threads, t.stop_wait, t.sysmon_wait,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT group_concat(x, '') FROM (SELECT p.text || CASE WHEN p.fmt IS NULL THEN '' WHEN p.fmt = 'list' THEN ifnull((SELECT group_concat(v, ' ') FROM (SELECT CASE p.col WHEN 'local_runq' THEN q.local_runq ELSE q.schedtick END AS v FROM sched_p_rows q WHERE q.sample_id = t.id AND q.rule_id IS NULL AND v IS NOT NULL ORDER BY q.p_idx)), '') ELSE (SELECT CASE p.fmt WHEN 'ms' THEN CASE WHEN v >= 10000 THEN v / 1000 WHEN v = 0 THEN '0' WHEN v < 100 THEN printf('0.%03d', v) WHEN v < 1000 THEN printf('0.%02d', v / 10) ELSE printf('%d.%d', v / 1000, v / 100 % 10) END WHEN 's' THEN printf('%d.%03d', v / 1000, v % 1000) ELSE v END FROM (SELECT CASE p.col WHEN 't_ms' THEN t.t_ms WHEN 'gomaxprocs' THEN t.gomaxprocs WHEN 'idle_procs' THEN t.idle_procs WHEN 'threads' THEN t.threads WHEN 'spinning_threads' THEN t.spinning_threads WHEN 'need_spinning' THEN t.need_spinning WHEN 'idle_threads' THEN t.idle_threads WHEN 'global_runq' THEN t.global_runq WHEN 'local_runq_total' THEN t.local_runq_total WHEN 'local_runq_max' THEN t.local_runq_max WHEN 'schedticks_total' THEN t.schedticks_total WHEN 'detailed' THEN t.detailed WHEN 'gc_waiting' THEN t.gc_waiting WHEN 'idle_locked_threads' THEN t.idle_locked_threads WHEN 'stop_wait' THEN t.stop_wait WHEN 'sysmon_wait' THEN t.sysmon_wait END AS v)) END AS x FROM rule_pieces p WHERE p.rule_id = t.rule_id ORDER BY p.seq)) END AS raw,
  t.extra
FROM sched_samples_rows t;
CREATE TABLE sched_p_rows (
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
  rule_id INTEGER REFERENCES rules(id),
  line TEXT,
  extra TEXT
);
CREATE VIEW sched_p AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.sample_id, t.p_idx, t.local_runq, t.schedtick, t.status, t.syscalltick, t.m_id, t.gfree_count, t.timers_len,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT group_concat(x, '') FROM (SELECT p.text || CASE WHEN p.fmt IS NULL THEN '' ELSE (SELECT CASE p.fmt WHEN 'ms' THEN CASE WHEN v >= 10000 THEN v / 1000 WHEN v = 0 THEN '0' WHEN v < 100 THEN printf('0.%03d', v) WHEN v < 1000 THEN printf('0.%02d', v / 10) ELSE printf('%d.%d', v / 1000, v / 100 % 10) END WHEN 's' THEN printf('%d.%03d', v / 1000, v % 1000) ELSE v END FROM (SELECT CASE p.col WHEN 'sample_id' THEN t.sample_id WHEN 'p_idx' THEN t.p_idx WHEN 'local_runq' THEN t.local_runq WHEN 'schedtick' THEN t.schedtick WHEN 'status' THEN t.status WHEN 'syscalltick' THEN t.syscalltick WHEN 'm_id' THEN t.m_id WHEN 'gfree_count' THEN t.gfree_count WHEN 'timers_len' THEN t.timers_len END AS v)) END AS x FROM rule_pieces p WHERE p.rule_id = t.rule_id ORDER BY p.seq)) END AS raw,
  t.extra
FROM sched_p_rows t;
CREATE TABLE sched_m_rows (
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
  rule_id INTEGER REFERENCES rules(id),
  line TEXT,
  extra TEXT
);
CREATE VIEW sched_m AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.sample_id, t.m_id, t.p_id, t.cur_goid, t.mallocing, t.throwing, t.preempt_off, t.locks, t.dying, t.helpgc, t.spinning, t.blocked, t.locked_goid,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT group_concat(x, '') FROM (SELECT p.text || CASE WHEN p.fmt IS NULL THEN '' ELSE (SELECT CASE p.fmt WHEN 'ms' THEN CASE WHEN v >= 10000 THEN v / 1000 WHEN v = 0 THEN '0' WHEN v < 100 THEN printf('0.%03d', v) WHEN v < 1000 THEN printf('0.%02d', v / 10) ELSE printf('%d.%d', v / 1000, v / 100 % 10) END WHEN 's' THEN printf('%d.%03d', v / 1000, v % 1000) ELSE v END FROM (SELECT CASE p.col WHEN 'sample_id' THEN t.sample_id WHEN 'm_id' THEN t.m_id WHEN 'p_id' THEN t.p_id WHEN 'cur_goid' THEN t.cur_goid WHEN 'mallocing' THEN t.mallocing WHEN 'throwing' THEN t.throwing WHEN 'preempt_off' THEN t.preempt_off WHEN 'locks' THEN t.locks WHEN 'dying' THEN t.dying WHEN 'helpgc' THEN t.helpgc WHEN 'spinning' THEN t.spinning WHEN 'blocked' THEN t.blocked WHEN 'locked_goid' THEN t.locked_goid END AS v)) END AS x FROM rule_pieces p WHERE p.rule_id = t.rule_id ORDER BY p.seq)) END AS raw,
  t.extra
FROM sched_m_rows t;
CREATE TABLE sched_g_rows (
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
  rule_id INTEGER REFERENCES rules(id),
  line TEXT,
  extra TEXT
);
CREATE VIEW sched_g AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.sample_id, t.goid, t.status_raw, t.status, t.scan_bit, t.wait_reason, t.m_id, t.locked_m_id,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT group_concat(x, '') FROM (SELECT p.text || CASE WHEN p.fmt IS NULL THEN '' ELSE (SELECT CASE p.fmt WHEN 'ms' THEN CASE WHEN v >= 10000 THEN v / 1000 WHEN v = 0 THEN '0' WHEN v < 100 THEN printf('0.%03d', v) WHEN v < 1000 THEN printf('0.%02d', v / 10) ELSE printf('%d.%d', v / 1000, v / 100 % 10) END WHEN 's' THEN printf('%d.%03d', v / 1000, v % 1000) ELSE v END FROM (SELECT CASE p.col WHEN 'sample_id' THEN t.sample_id WHEN 'goid' THEN t.goid WHEN 'status_raw' THEN t.status_raw WHEN 'status' THEN t.status WHEN 'scan_bit' THEN t.scan_bit WHEN 'wait_reason' THEN t.wait_reason WHEN 'm_id' THEN t.m_id WHEN 'locked_m_id' THEN t.locked_m_id END AS v)) END AS x FROM rule_pieces p WHERE p.rule_id = t.rule_id ORDER BY p.seq)) END AS raw,
  t.extra
FROM sched_g_rows t;
CREATE TABLE scvg_rows (
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
  released_kib INTEGER,
  rule_id INTEGER REFERENCES rules(id),
  line TEXT,
  extra TEXT
);
CREATE VIEW scvg AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.scvg_num, t.forced, t.released_mib, t.inuse_mib, t.idle_mib, t.sys_mib, t.released_now_mib, t.consumed_mib, t.released_kib,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT group_concat(x, '') FROM (SELECT p.text || CASE WHEN p.fmt IS NULL THEN '' ELSE (SELECT CASE p.fmt WHEN 'ms' THEN CASE WHEN v >= 10000 THEN v / 1000 WHEN v = 0 THEN '0' WHEN v < 100 THEN printf('0.%03d', v) WHEN v < 1000 THEN printf('0.%02d', v / 10) ELSE printf('%d.%d', v / 1000, v / 100 % 10) END WHEN 's' THEN printf('%d.%03d', v / 1000, v % 1000) ELSE v END FROM (SELECT CASE p.col WHEN 'scvg_num' THEN t.scvg_num WHEN 'forced' THEN t.forced WHEN 'released_mib' THEN t.released_mib WHEN 'inuse_mib' THEN t.inuse_mib WHEN 'idle_mib' THEN t.idle_mib WHEN 'sys_mib' THEN t.sys_mib WHEN 'released_now_mib' THEN t.released_now_mib WHEN 'consumed_mib' THEN t.consumed_mib WHEN 'released_kib' THEN t.released_kib END AS v)) END AS x FROM rule_pieces p WHERE p.rule_id = t.rule_id ORDER BY p.seq)) END AS raw,
  t.extra
FROM scvg_rows t;
CREATE TABLE scav_rows (
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
  rule_id INTEGER REFERENCES rules(id),
  line TEXT,
  extra TEXT
);
CREATE VIEW scav AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.scav_gen, t.released_kib, t.released_bg_kib, t.released_eager_kib, t.released_now_kib, t.util_pct, t.forced, t.controller_reset, t.prev_gc_num,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT group_concat(x, '') FROM (SELECT p.text || CASE WHEN p.fmt IS NULL THEN '' ELSE (SELECT CASE p.fmt WHEN 'ms' THEN CASE WHEN v >= 10000 THEN v / 1000 WHEN v = 0 THEN '0' WHEN v < 100 THEN printf('0.%03d', v) WHEN v < 1000 THEN printf('0.%02d', v / 10) ELSE printf('%d.%d', v / 1000, v / 100 % 10) END WHEN 's' THEN printf('%d.%03d', v / 1000, v % 1000) ELSE v END FROM (SELECT CASE p.col WHEN 'scav_gen' THEN t.scav_gen WHEN 'released_kib' THEN t.released_kib WHEN 'released_bg_kib' THEN t.released_bg_kib WHEN 'released_eager_kib' THEN t.released_eager_kib WHEN 'released_now_kib' THEN t.released_now_kib WHEN 'util_pct' THEN t.util_pct WHEN 'forced' THEN t.forced WHEN 'controller_reset' THEN t.controller_reset WHEN 'prev_gc_num' THEN t.prev_gc_num END AS v)) END AS x FROM rule_pieces p WHERE p.rule_id = t.rule_id ORDER BY p.seq)) END AS raw,
  t.extra
FROM scav_rows t;
CREATE TABLE pacer_start_rows (
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
  rule_id INTEGER REFERENCES rules(id),
  line TEXT,
  extra TEXT
);
CREATE VIEW pacer_start AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.gc_num, t.assist_ratio, t.scan_est_mib, t.heap_start_mib, t.heap_goal_mib, t.dedicated_workers, t.fractional_goal,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT group_concat(x, '') FROM (SELECT p.text || CASE WHEN p.fmt IS NULL THEN '' ELSE (SELECT CASE p.fmt WHEN 'ms' THEN CASE WHEN v >= 10000 THEN v / 1000 WHEN v = 0 THEN '0' WHEN v < 100 THEN printf('0.%03d', v) WHEN v < 1000 THEN printf('0.%02d', v / 10) ELSE printf('%d.%d', v / 1000, v / 100 % 10) END WHEN 's' THEN printf('%d.%03d', v / 1000, v % 1000) WHEN 'e' THEN (SELECT CASE WHEN v < 0 THEN '-' ELSE '+' END || substr(f, 1, 8) || 'e' || CASE WHEN CAST(substr(f, 10) AS INTEGER) < 0 THEN '-' ELSE '+' END || printf('%03d', abs(CAST(substr(f, 10) AS INTEGER))) FROM (SELECT printf('%.6e', abs(v)) AS f)) ELSE v END FROM (SELECT CASE p.col WHEN 'gc_num' THEN t.gc_num WHEN 'assist_ratio' THEN t.assist_ratio WHEN 'scan_est_mib' THEN t.scan_est_mib WHEN 'heap_start_mib' THEN t.heap_start_mib WHEN 'heap_goal_mib' THEN t.heap_goal_mib WHEN 'dedicated_workers' THEN t.dedicated_workers WHEN 'fractional_goal' THEN t.fractional_goal END AS v)) END AS x FROM rule_pieces p WHERE p.rule_id = t.rule_id ORDER BY p.seq)) END AS raw,
  t.extra
FROM pacer_start_rows t;
CREATE TABLE pacer_end_rows (
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
  rule_id INTEGER REFERENCES rules(id),
  line TEXT,
  extra TEXT
);
CREATE VIEW pacer_end AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.gc_num, t.h_m_prev_b, t.trigger_ratio, t.trigger_b, t.actual_ratio, t.heap_end_b, t.goal_ratio, t.goal_b, t.util_actual, t.util_goal, t.scan_work_b, t.goal_delta, t.actual_delta, t.util_ratio, t.cpu_util_pct, t.cpu_util_goal_pct, t.heap_scan_work_b, t.stack_scan_work_b, t.globals_scan_work_b, t.scan_work_exp_b, t.goal_overshoot_b, t.cons_mark, t.controller_reset,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT group_concat(x, '') FROM (SELECT p.text || CASE WHEN p.fmt IS NULL THEN '' ELSE (SELECT CASE p.fmt WHEN 'ms' THEN CASE WHEN v >= 10000 THEN v / 1000 WHEN v = 0 THEN '0' WHEN v < 100 THEN printf('0.%03d', v) WHEN v < 1000 THEN printf('0.%02d', v / 10) ELSE printf('%d.%d', v / 1000, v / 100 % 10) END WHEN 's' THEN printf('%d.%03d', v / 1000, v % 1000) WHEN 'e' THEN (SELECT CASE WHEN v < 0 THEN '-' ELSE '+' END || substr(f, 1, 8) || 'e' || CASE WHEN CAST(substr(f, 10) AS INTEGER) < 0 THEN '-' ELSE '+' END || printf('%03d', abs(CAST(substr(f, 10) AS INTEGER))) FROM (SELECT printf('%.6e', abs(v)) AS f)) ELSE v END FROM (SELECT CASE p.col WHEN 'gc_num' THEN t.gc_num WHEN 'h_m_prev_b' THEN t.h_m_prev_b WHEN 'trigger_ratio' THEN t.trigger_ratio WHEN 'trigger_b' THEN t.trigger_b WHEN 'actual_ratio' THEN t.actual_ratio WHEN 'heap_end_b' THEN t.heap_end_b WHEN 'goal_ratio' THEN t.goal_ratio WHEN 'goal_b' THEN t.goal_b WHEN 'util_actual' THEN t.util_actual WHEN 'util_goal' THEN t.util_goal WHEN 'scan_work_b' THEN t.scan_work_b WHEN 'goal_delta' THEN t.goal_delta WHEN 'actual_delta' THEN t.actual_delta WHEN 'util_ratio' THEN t.util_ratio WHEN 'cpu_util_pct' THEN t.cpu_util_pct WHEN 'cpu_util_goal_pct' THEN t.cpu_util_goal_pct WHEN 'heap_scan_work_b' THEN t.heap_scan_work_b WHEN 'stack_scan_work_b' THEN t.stack_scan_work_b WHEN 'globals_scan_work_b' THEN t.globals_scan_work_b WHEN 'scan_work_exp_b' THEN t.scan_work_exp_b WHEN 'goal_overshoot_b' THEN t.goal_overshoot_b WHEN 'cons_mark' THEN t.cons_mark WHEN 'controller_reset' THEN t.controller_reset END AS v)) END AS x FROM rule_pieces p WHERE p.rule_id = t.rule_id ORDER BY p.seq)) END AS raw,
  t.extra
FROM pacer_end_rows t;
CREATE TABLE pacer_sweep_rows (
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
  rule_id INTEGER REFERENCES rules(id),
  line TEXT,
  extra TEXT
);
CREATE VIEW pacer_sweep AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.prev_gc_num, t.heap_mib, t.alloc_during_sweep_mib, t.pages_swept, t.pages_per_byte,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT group_concat(x, '') FROM (SELECT p.text || CASE WHEN p.fmt IS NULL THEN '' ELSE (SELECT CASE p.fmt WHEN 'ms' THEN CASE WHEN v >= 10000 THEN v / 1000 WHEN v = 0 THEN '0' WHEN v < 100 THEN printf('0.%03d', v) WHEN v < 1000 THEN printf('0.%02d', v / 10) ELSE printf('%d.%d', v / 1000, v / 100 % 10) END WHEN 's' THEN printf('%d.%03d', v / 1000, v % 1000) WHEN 'e' THEN (SELECT CASE WHEN v < 0 THEN '-' ELSE '+' END || substr(f, 1, 8) || 'e' || CASE WHEN CAST(substr(f, 10) AS INTEGER) < 0 THEN '-' ELSE '+' END || printf('%03d', abs(CAST(substr(f, 10) AS INTEGER))) FROM (SELECT printf('%.6e', abs(v)) AS f)) ELSE v END FROM (SELECT CASE p.col WHEN 'prev_gc_num' THEN t.prev_gc_num WHEN 'heap_mib' THEN t.heap_mib WHEN 'alloc_during_sweep_mib' THEN t.alloc_during_sweep_mib WHEN 'pages_swept' THEN t.pages_swept WHEN 'pages_per_byte' THEN t.pages_per_byte END AS v)) END AS x FROM rule_pieces p WHERE p.rule_id = t.rule_id ORDER BY p.seq)) END AS raw,
  t.extra
FROM pacer_sweep_rows t;
CREATE TABLE events_rows (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  segment INTEGER NOT NULL,
  line_no INTEGER NOT NULL,
  wall_s REAL,
  repaired INTEGER NOT NULL DEFAULT 0,
  event TEXT,
  message TEXT,
  rule_id INTEGER REFERENCES rules(id),
  line TEXT,
  extra TEXT
);
CREATE VIEW events AS SELECT t.id, t.run_id, t.segment, t.line_no, t.wall_s, t.repaired, t.event, t.message,
  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,
  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line ELSE (SELECT group_concat(x, '') FROM (SELECT p.text || CASE WHEN p.fmt IS NULL THEN '' ELSE (SELECT CASE p.fmt WHEN 'ms' THEN CASE WHEN v >= 10000 THEN v / 1000 WHEN v = 0 THEN '0' WHEN v < 100 THEN printf('0.%03d', v) WHEN v < 1000 THEN printf('0.%02d', v / 10) ELSE printf('%d.%d', v / 1000, v / 100 % 10) END WHEN 's' THEN printf('%d.%03d', v / 1000, v % 1000) ELSE v END FROM (SELECT CASE p.col WHEN 'event' THEN t.event WHEN 'message' THEN t.message END AS v)) END AS x FROM rule_pieces p WHERE p.rule_id = t.rule_id ORDER BY p.seq)) END AS raw,
  t.extra
FROM events_rows t;
CREATE INDEX sched_p_sample ON sched_p_rows(sample_id);
CREATE INDEX sched_m_sample ON sched_m_rows(sample_id);
CREATE INDEX sched_g_sample ON sched_g_rows(sample_id);
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
CREATE TABLE run_ranges (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  tbl TEXT NOT NULL,
  first_id INTEGER NOT NULL,
  last_id INTEGER NOT NULL,
  PRIMARY KEY (run_id, tbl)
);
