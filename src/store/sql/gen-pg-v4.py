#!/usr/bin/env python3
"""Wrote pg-v4.sql once: schema 4 of the SQLite store (v4.sql) in
PostgreSQL's dialect, with the same tables, views and columns.  Kept to
show how it was made; the .sql file is frozen, so never run it to change
it: a new schema version gets new files.

What differs from SQLite and why:
- INTEGER is BIGINT, REAL is DOUBLE PRECISION; an id is BIGSERIAL.
- Every <table>_rows is indexed by (run_id, id): the cursors read one run
  in id order, and a distributed database (Citus) shards on run_id.
- The raw view's formatting (printf) in PostgreSQL's functions.
- No run_status(): the server cannot see the ingest's process; tracestat
  tells 'abandoned' runs itself.
- run_ranges is a view: the first and the last id of each run's rows per
  table, computed from the rows.  SQLite's writer keeps it as a table so
  that a run of a store holding many is read as a range of ids; here the
  (run_id, id) index does that, and the writer has nothing to keep.
  (No PostgreSQL store of schema 3 was ever released: the engine begins
  with schema 4.)
- tracestat_schema holds what SQLite keeps in its header (application_id,
  user_version).
- The rows tables and broken_lines have no REFERENCES: SQLite does not
  enforce them (foreign_keys is off), and PostgreSQL would check each row
  of a COPY against runs and rules, which took two thirds of an ingest's
  time; a distributed PostgreSQL has them harder still.

usage: gen-pg-v4.py V4_SQL > pg-v4.sql
"""
import re
import sqlite3
import sys

COMMON = ["id", "run_id", "segment", "line_no", "wall_s", "repaired"]
TAIL = ["rule_id", "line", "extra"]

# Go's fmtNSAsMS (runtime/mgc.go) of a duration stored in microseconds.
MS = ("CASE WHEN n >= 10000 THEN (n / 1000)::text WHEN n = 0 THEN '0' "
      "WHEN n < 100 THEN '0.' || lpad(n::text, 3, '0') "
      "WHEN n < 1000 THEN '0.' || lpad((n / 10)::text, 2, '0') "
      "ELSE (n / 1000)::text || '.' || (n / 100 % 10)::text END")
# The @ time of a gc line: milliseconds as seconds with three decimals.
SEC = "(n / 1000)::text || '.' || lpad((n % 1000)::text, 3, '0')"
# A real as the runtime's print(float64): +d.dddddde+ddd.
FLOAT = ("(SELECT CASE WHEN f < 0 THEN '-' ELSE '+' END || substr(e, 1, 8) "
         "|| 'e' || CASE WHEN substr(e, 10)::int < 0 THEN '-' ELSE '+' END "
         "|| lpad(abs(substr(e, 10)::int)::text, 3, '0') FROM (SELECT "
         "ltrim(to_char(abs(f), '0.000000EEEE')) AS e) x)")


def pgtype(t):
    return {"INTEGER": "BIGINT", "REAL": "DOUBLE PRECISION",
            "TEXT": "TEXT"}[t]


def convert_table(name, sql):
    """A CREATE TABLE of v3.sql in PostgreSQL's types."""
    if name.endswith("_rows") or name == "broken_lines":
        sql = re.sub(r" REFERENCES \w+\(id\)", "", sql)
    sql = sql.replace("id INTEGER PRIMARY KEY", "id BIGSERIAL PRIMARY KEY")
    sql = re.sub(r"\bINTEGER\b", "BIGINT", sql)
    sql = re.sub(r"\bREAL\b", "DOUBLE PRECISION", sql)
    return sql


def create_view(name, own):
    cols = ", ".join("t." + c for c in COMMON + [c for c, _ in own])
    text_case = "CASE p.col" + "".join(
        " WHEN '%s' THEN t.%s::text" % (c, c) for c, _ in own) + " END"
    num_case = "CASE p.col" + "".join(
        " WHEN '%s' THEN t.%s" % (c, c) for c, t in own
        if t != "TEXT") + " END"
    if not any(t != "TEXT" for _, t in own):
        num_case = "NULL"
    piece = "CASE WHEN p.fmt IS NULL THEN '' "
    if name == "sched_samples":
        piece += ("WHEN p.fmt = 'list' THEN coalesce((SELECT string_agg(v::text, "
                  "' ' ORDER BY q.p_idx) FROM (SELECT q.p_idx, CASE p.col WHEN "
                  "'local_runq' THEN q.local_runq ELSE q.schedtick END AS v "
                  "FROM sched_p_rows q WHERE q.sample_id = t.id AND "
                  "q.rule_id IS NULL) q WHERE v IS NOT NULL), '') ")
    piece += ("WHEN p.fmt = 'ms' THEN (SELECT %s FROM (SELECT (%s)::bigint "
              "AS n) x) WHEN p.fmt = 's' THEN (SELECT %s FROM (SELECT "
              "(%s)::bigint AS n) x) " % (MS, num_case, SEC, num_case))
    if any(t == "REAL" for _, t in own):
        piece += ("WHEN p.fmt = 'e' THEN (SELECT %s FROM (SELECT "
                  "(%s)::double precision AS f) y) " % (FLOAT, num_case))
    piece += "ELSE %s END" % text_case
    return ("CREATE VIEW %s AS SELECT %s,\n"
            "  (SELECT name FROM rules WHERE id = t.rule_id) AS rule,\n"
            "  CASE WHEN t.line IS NOT NULL OR t.rule_id IS NULL THEN t.line "
            "ELSE (SELECT string_agg(p.text || %s, '' ORDER BY p.seq) "
            "FROM rule_pieces p WHERE p.rule_id = t.rule_id) END AS raw,\n"
            "  t.extra\nFROM %s_rows t;\n" % (name, cols, piece, name))


def main():
    text = open(sys.argv[1]).read()
    db = sqlite3.connect(":memory:")
    db.executescript(text)
    out = ["-- Schema 4 in PostgreSQL's dialect: the tables, views and columns",
           "-- of v4.sql (see gen-pg-v4.py for what differs and why).",
           "-- Frozen: never edit."]
    rows = []
    views = []
    for name, sql in db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
            "ORDER BY rowid"):
        if name == "run_ranges":
            continue
        out.append(convert_table(name, sql) + ";")
        if name.endswith("_rows"):
            base = name[:-5]
            cols = [(r[1], r[2]) for r in db.execute(
                "SELECT * FROM pragma_table_info(?)", (name,))]
            own = [c for c in cols if c[0] not in COMMON + TAIL]
            rows.append(base)
            out.append("CREATE INDEX %s_run ON %s (run_id, id);" % (base, name))
            views.append(create_view(base, own).rstrip("\n"))
    for name, sql in db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
            "sql IS NOT NULL ORDER BY rowid"):
        out.append(sql + ";")
    out.extend(views)
    parts = ["SELECT run_id, segment, line_no, '%s' AS tbl, id, rule, raw "
             "FROM %s WHERE rule IS NOT NULL" % (n, n) for n in rows]
    parts.append("SELECT run_id, NULL, line_no, 'broken_lines', id, NULL, "
                 "text FROM broken_lines")
    out.append("CREATE VIEW raw_lines AS\n" + "\nUNION ALL ".join(parts) + ";")
    ranges = ["SELECT run_id, '%s' AS tbl, min(id) AS first_id, "
              "max(id) AS last_id FROM %s_rows GROUP BY run_id" % (n, n)
              for n in rows]
    out.append("CREATE VIEW run_ranges AS\n" + "\nUNION ALL ".join(ranges)
               + ";")
    out.append("CREATE TABLE tracestat_schema (\n  application_id BIGINT NOT NULL,"
               "\n  version BIGINT NOT NULL\n);")
    print("\n".join(out))


main()
