#!/usr/bin/env python3
"""linesback.py - every trace line a store holds is given back byte for
byte by its views (test oracle only).

    linesback.py LOG STORE

The expected lines come from LOG alone: the application text the sample
programs interleave (samples/gen) is cut out where it tore a trace line,
and the lines that start like a Go runtime trace line are kept, in order,
less those that are no row of their own ("GC forced", which marks the next
cycle periodic; "scvgN: X MB released", merged into the scvg row after
it).  The actual lines are raw_lines of STORE read with Python's own
sqlite3 (plain SQL: no tracestat function), ordered by line number.  They
must be equal, every byte; and the rows the rules' shapes give back (the
line not kept as text) must be most of them.
"""
import re
import sqlite3
import sys

# Application lines of the samples, each with its newline (samples/gen).
APP = re.compile(
    rb"APPLINE w=\d+ n=\d+ the quick brown fox\n"
    rb"|\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d{6} worker=\d+ seq=\d+ msg=[^\n]*\n")
TRACE = re.compile(
    rb"^(gc \d+ @|gc\d+\(\d+\): |SCHED \d+ms: |  [PMG]\d+: |scav |scvg|"
    rb"forced scvg|pacer: |scan: |panic: |fatal error: |runtime: )")
NOT_ROWS = re.compile(rb"^(GC forced$|(forced )?scvg\d*: \d+ MB released$)")


def main():
    log, store = sys.argv[1], sys.argv[2]
    text = APP.sub(b"", open(log, "rb").read())
    want = [l for l in text.split(b"\n")
            if TRACE.match(l) and not NOT_ROWS.match(l)]
    db = sqlite3.connect(store)
    got = [r[0].encode() if isinstance(r[0], str) else r[0]
           for r in db.execute("SELECT raw FROM raw_lines WHERE tbl != "
                               "'broken_lines' ORDER BY run_id, line_no, id")]
    if got != want:
        for i, (g, w) in enumerate(zip(got, want)):
            if g != w:
                print("line %d of %d differs:\n  got  %r\n  want %r" % (
                    i + 1, len(want), g, w))
                break
        print("%d lines given back, %d expected" % (len(got), len(want)))
        return 1
    kept = 0
    total = 0
    for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = "
                           "'table' AND name LIKE '%\\_rows' ESCAPE '\\'"):
        n, k = db.execute("SELECT count(rule_id), count(line) FROM %s" %
                          t).fetchone()
        total += n
        kept += k
    if total and kept > total // 20:
        print("%d of %d lines kept as text: the shapes give back too few"
              % (kept, total))
        return 1
    print("%d lines, %d kept as text" % (len(got), kept))
    return 0


sys.exit(main())
