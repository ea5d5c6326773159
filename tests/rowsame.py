#!/usr/bin/env python3
"""rowsame.py - two stores hold exactly the same rows.

    rowsame.py EXPECTED.db ACTUAL.db [--stream NAME] [--walls CSV]

Every table with a run_id column (the trace tables as their views give
them, segments,
broken_lines; not run_inputs and run_labels, which name the files), read with Python's own sqlite3, is compared row by row and
column by column, ordered by line number, leaving out only the "id"
primary keys; the runs' line and record counts too.  The "extra" JSON is
compared without its "stream" key; with --stream, every trace row of ACTUAL
read from a line (with a rule; not the per-P rows of a SCHED list) must
have that stream there (and EXPECTED none).  With --walls, EXPECTED
has no wall_s (plain text) and every trace row of ACTUAL has the wall_s
CSV gives its line_no (line_no,seconds lines), to the microsecond.
"""
import json
import sqlite3
import sys

RUN_COUNTS = ["lines", "trace_lines", "other_lines", "gc_cycles",
              "sched_samples", "repaired_lines", "unrecognised_lines",
              "overlong_lines", "invalid_values", "segments"]


def tables(db):
    out = []
    for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE '%\\_rows' ESCAPE '\\' AND "
            "name != 'raw_lines' ORDER BY name"):
        cols = [r[1] for r in db.execute("PRAGMA table_info(%s)" % name)]
        if "run_id" in cols and name not in ("run_inputs", "run_labels"):
            out.append((name, cols))
    return out


def rows(db, name, cols):
    keep = [c for c in cols if c != "id"]
    order = [c for c in ("segment", "line_no", "first_line") if c in cols]
    if "id" in cols:
        order.append("id")
    sql = "SELECT %s FROM %s ORDER BY %s" % (
        ", ".join(keep), name, ", ".join(order) or "1")
    return keep, db.execute(sql).fetchall()


def main():
    args = sys.argv[1:]
    stream = None
    walls = None
    if "--walls" in args:
        i = args.index("--walls")
        with open(args[i + 1]) as f:
            walls = dict((int(a), float(b)) for a, b in
                         (line.split(",") for line in f))
        del args[i:i + 2]
    if "--stream" in args:
        i = args.index("--stream")
        stream = args[i + 1]
        del args[i:i + 2]
    a = sqlite3.connect(args[0])
    b = sqlite3.connect(args[1])
    bad = 0
    ta, tb = tables(a), tables(b)
    if [t[0] for t in ta] != [t[0] for t in tb]:
        print("different tables")
        return 1
    total = 0
    for (name, cols), (_, cols_b) in zip(ta, tb):
        if cols != cols_b:
            print("%s: different columns" % name)
            bad += 1
            continue
        keep, ra = rows(a, name, cols)
        _, rb = rows(b, name, cols)
        if len(ra) != len(rb):
            print("%s: %d rows expected, %d found" % (name, len(ra),
                                                      len(rb)))
            bad += 1
            continue
        total += len(ra)
        ex = keep.index("extra") if "extra" in keep else None
        for x, y in zip(ra, rb):
            x, y = list(x), list(y)
            if ex is not None:
                jx = json.loads(x[ex]) if x[ex] else {}
                jy = json.loads(y[ex]) if y[ex] else {}
                sx, sy = jx.pop("stream", None), jy.pop("stream", None)
                own = y[keep.index("rule")] is not None
                if stream is not None and own and (sx is not None or
                                                   sy != stream):
                    print("%s line %s: stream %r, expected %r" % (
                        name, y[keep.index("line_no")], sy, stream))
                    bad += 1
                x[ex], y[ex] = jx, jy
            if walls is not None and "wall_s" in keep:
                w = keep.index("wall_s")
                want = walls.get(y[keep.index("line_no")])
                if x[w] is not None or y[w] is None or \
                        abs(y[w] - want) > 1e-6:
                    print("%s line %s: wall_s %r, expected %r" % (
                        name, y[keep.index("line_no")], y[w], want))
                    bad += 1
                x[w] = y[w] = None
            for c, u, v in zip(keep, x, y):
                if u != v:
                    print("%s: column %s: %r expected, %r found (row %r)"
                          % (name, c, u, v, x))
                    bad += 1
                    break
            if bad > 20:
                return 1
    ca = a.execute("SELECT %s FROM runs" % ", ".join(RUN_COUNTS)).fetchall()
    cb = b.execute("SELECT %s FROM runs" % ", ".join(RUN_COUNTS)).fetchall()
    if ca != cb:
        print("runs: counts %r expected, %r found" % (ca, cb))
        bad += 1
    if total == 0:
        print("no rows at all")
        bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
