-- Schema 3 -> 4: an index on run_id of each record table, so that the
-- records of one run are read without scanning the rows of every other
-- run of the store (many runs in one file).  Each entry is appended at
-- the end of its index while a run is written, which costs an ingest
-- next to nothing.  Frozen: never edit.
CREATE INDEX gc_cycles_rows_run ON gc_cycles_rows(run_id);
CREATE INDEX gc_legacy_rows_run ON gc_legacy_rows(run_id);
CREATE INDEX gc_scan_classes_rows_run ON gc_scan_classes_rows(run_id);
CREATE INDEX sched_samples_rows_run ON sched_samples_rows(run_id);
CREATE INDEX sched_p_rows_run ON sched_p_rows(run_id);
CREATE INDEX sched_m_rows_run ON sched_m_rows(run_id);
CREATE INDEX sched_g_rows_run ON sched_g_rows(run_id);
CREATE INDEX scvg_rows_run ON scvg_rows(run_id);
CREATE INDEX scav_rows_run ON scav_rows(run_id);
CREATE INDEX pacer_start_rows_run ON pacer_start_rows(run_id);
CREATE INDEX pacer_end_rows_run ON pacer_end_rows(run_id);
CREATE INDEX pacer_sweep_rows_run ON pacer_sweep_rows(run_id);
CREATE INDEX events_rows_run ON events_rows(run_id);
