-- Schema 3 -> 4: where the rows of each run are.  run_ranges holds, for
-- each run and record table, the first and the last id of its rows, so
-- that one run of a store holding many is read as a range of ids instead
-- of a scan of every run's rows.  The writer widens a run's ranges once a
-- batch, in the batch's transaction; an index on run_id would cost every
-- inserted row a second b-tree insert.  tbl is the table's name without
-- _rows (the view's name).  Frozen: never edit.
CREATE TABLE run_ranges (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  tbl TEXT NOT NULL,
  first_id INTEGER NOT NULL,
  last_id INTEGER NOT NULL,
  PRIMARY KEY (run_id, tbl)
);
INSERT INTO run_ranges SELECT run_id, 'gc_cycles', min(id), max(id) FROM gc_cycles_rows GROUP BY run_id;
INSERT INTO run_ranges SELECT run_id, 'gc_legacy', min(id), max(id) FROM gc_legacy_rows GROUP BY run_id;
INSERT INTO run_ranges SELECT run_id, 'gc_scan_classes', min(id), max(id) FROM gc_scan_classes_rows GROUP BY run_id;
INSERT INTO run_ranges SELECT run_id, 'sched_samples', min(id), max(id) FROM sched_samples_rows GROUP BY run_id;
INSERT INTO run_ranges SELECT run_id, 'sched_p', min(id), max(id) FROM sched_p_rows GROUP BY run_id;
INSERT INTO run_ranges SELECT run_id, 'sched_m', min(id), max(id) FROM sched_m_rows GROUP BY run_id;
INSERT INTO run_ranges SELECT run_id, 'sched_g', min(id), max(id) FROM sched_g_rows GROUP BY run_id;
INSERT INTO run_ranges SELECT run_id, 'scvg', min(id), max(id) FROM scvg_rows GROUP BY run_id;
INSERT INTO run_ranges SELECT run_id, 'scav', min(id), max(id) FROM scav_rows GROUP BY run_id;
INSERT INTO run_ranges SELECT run_id, 'pacer_start', min(id), max(id) FROM pacer_start_rows GROUP BY run_id;
INSERT INTO run_ranges SELECT run_id, 'pacer_end', min(id), max(id) FROM pacer_end_rows GROUP BY run_id;
INSERT INTO run_ranges SELECT run_id, 'pacer_sweep', min(id), max(id) FROM pacer_sweep_rows GROUP BY run_id;
INSERT INTO run_ranges SELECT run_id, 'events', min(id), max(id) FROM events_rows GROUP BY run_id;
