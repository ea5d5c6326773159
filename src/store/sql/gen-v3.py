#!/usr/bin/env python3
"""Wrote v2-v3.sql and v3.sql once, from the record tables of a schema-2
store (tests/stores/v2.db).  Kept to show how they were made; the .sql
files are frozen, so never run it to change them: a new schema version
gets new files.

usage: gen-v3.py V2_STORE OUTDIR
"""
import sqlite3
import sys

COMMON = ["id", "run_id", "segment", "line_no", "wall_s", "repaired"]
TAIL = ["rule", "raw", "extra"]

# Go's fmtNSAsMS (runtime/mgc.go) of a duration stored in microseconds.
MS = ("CASE WHEN v >= 10000 THEN v / 1000 WHEN v = 0 THEN '0' "
      "WHEN v < 100 THEN printf('0.%03d', v) "
      "WHEN v < 1000 THEN printf('0.%02d', v / 10) "
      "ELSE printf('%d.%d', v / 1000, v / 100 % 10) END")
# The @ time of a gc line: milliseconds as seconds with three decimals.
SEC = "printf('%d.%03d', v / 1000, v % 1000)"
# A real as the runtime's print(float64): +d.dddddde+ddd.
FLOAT = ("(SELECT CASE WHEN v < 0 THEN '-' ELSE '+' END || substr(f, 1, 8) "
         "|| 'e' || CASE WHEN CAST(substr(f, 10) AS INTEGER) < 0 THEN '-' "
         "ELSE '+' END || printf('%03d', abs(CAST(substr(f, 10) AS "
         "INTEGER))) FROM (SELECT printf('%.6e', abs(v)) AS f))")


def tables(db):
    out = []
    for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND "
            "sql LIKE '%raw TEXT%' ORDER BY rowid"):
        cols = [(r[1], r[2]) for r in db.execute(
            "SELECT * FROM pragma_table_info(?)", (name,))]
        own = [c for c in cols if c[0] not in COMMON + TAIL]
        out.append((name, own))
    return out


def create_rows(name, own):
    s = ("CREATE TABLE %s_rows (\n  id INTEGER PRIMARY KEY,\n"
         "  run_id INTEGER NOT NULL REFERENCES runs(id),\n"
         "  segment INTEGER NOT NULL,\n  line_no INTEGER NOT NULL,\n"
         "  wall_s REAL,\n  repaired INTEGER NOT NULL DEFAULT 0,\n" % name)
    for c, t in own:
        s += "  %s %s,\n" % (c, t)
    s += ("  rule_id INTEGER REFERENCES rules(id),\n  line TEXT,\n"
          "  extra TEXT\n);\n")
    return s


def value_case(own):
    s = "CASE p.col"
    for c, _ in own:
        s += " WHEN '%s' THEN t.%s" % (c, c)
    return s + " END"


def create_view(name, own):
    cols = ", ".join("t." + c for c in COMMON + [c for c, _ in own])
    piece = ("CASE WHEN p.fmt IS NULL THEN '' ")
    if name == "sched_samples":
        piece += ("WHEN p.fmt = 'list' THEN ifnull((SELECT group_concat(v, "
                  "' ') FROM (SELECT CASE p.col WHEN 'local_runq' THEN "
                  "q.local_runq ELSE q.schedtick END AS v FROM sched_p_rows "
                  "q WHERE q.sample_id = t.id AND q.rule_id IS NULL AND "
                  "v IS NOT NULL ORDER BY q.p_idx)), '') ")
    piece += ("ELSE (SELECT CASE p.fmt WHEN 'ms' THEN %s WHEN 's' THEN %s "
              "%sELSE v END FROM (SELECT %s AS v)) END" %
              (MS, SEC, ("WHEN 'e' THEN %s " % FLOAT) if any(
                  t == "REAL" for _, t in own) else "", value_case(own)))
    return ("CREATE VIEW %s AS SELECT %s,\n"
            "  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,\n"
            "  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line "
            "ELSE (SELECT group_concat(x, '') FROM (SELECT p.text || %s AS x "
            "FROM rule_pieces p WHERE p.rule_id = t.rule_id ORDER BY p.seq)) "
            "END AS raw,\n  t.extra\nFROM %s_rows t;\n" %
            (name, cols, piece, name))


RULES = """CREATE TABLE rules (
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
"""


def raw_lines(tabs):
    parts = ["SELECT run_id, segment, line_no, '%s' AS tbl, id, rule, raw "
             "FROM %s WHERE rule IS NOT NULL" % (n, n) for n, _ in tabs]
    parts.append("SELECT run_id, NULL, line_no, 'broken_lines', id, NULL, "
                 "text FROM broken_lines")
    return ("CREATE VIEW raw_lines AS\n" + "\nUNION ALL ".join(parts) +
            ";\n")


def main():
    db = sqlite3.connect(sys.argv[1])
    out = sys.argv[2]
    tabs = tables(db)
    step = ["-- Schema 2 -> 3: the rows of each trace table in <table>_rows, with a",
            "-- rule id instead of the rule's name and the line only where its",
            "-- rule's shape does not give it back; the table's name is a view",
            "-- with the columns of schema 2.  Frozen: never edit.",
            RULES.rstrip("\n")]
    step.append("INSERT INTO rules (name, shape) SELECT DISTINCT rule, '' "
                "FROM (" + " UNION ".join("SELECT rule FROM %s" % n
                                           for n, _ in tabs) +
                ") WHERE rule IS NOT NULL ORDER BY rule;")
    for n, own in tabs:
        step.append(create_rows(n, own).rstrip("\n"))
        names = COMMON + [c for c, _ in own]
        step.append("INSERT INTO %s_rows (%s, rule_id, line, extra) SELECT "
                    "%s, (SELECT id FROM rules WHERE name = o.rule AND "
                    "shape = ''), raw, extra FROM %s o ORDER BY id;" %
                    (n, ", ".join(names), ", ".join("o." + c for c in names),
                     n))
        step.append("DROP TABLE %s;" % n)
        step.append(create_view(n, own).rstrip("\n"))
    for t in ("sched_p", "sched_m", "sched_g"):
        step.append("CREATE INDEX %s_sample ON %s_rows(sample_id);" % (t, t))
    step.append(raw_lines(tabs).rstrip("\n"))
    with open(out + "/v2-v3.sql", "w") as f:
        f.write("\n".join(step) + "\n")


main()
