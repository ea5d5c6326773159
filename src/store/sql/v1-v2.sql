-- Schema 1 -> 2: who writes a run, and why it ended as it did; the exact
-- size of Go 1.13's "scvg: N KB released".  Frozen: never edit.
ALTER TABLE runs ADD COLUMN pid INTEGER;
ALTER TABLE runs ADD COLUMN host TEXT;
ALTER TABLE runs ADD COLUMN status_reason TEXT;
ALTER TABLE runs ADD COLUMN dropped_records INTEGER NOT NULL DEFAULT 0;
ALTER TABLE scvg ADD COLUMN released_kib INTEGER;
