#!/usr/bin/env python3
"""bench/baseline.py - the Python baseline of bench/ingest: the typed
fields of each Go 1.19-1.21 gc line, read with re and stored with sqlite3
in one transaction (see bench/README.md).

usage: baseline.py LOG DB
"""
import re
import sqlite3
import sys

from decimal import Decimal

GC = re.compile(
    r"gc (\d+) @([0-9.]+)s (\d+)%: ([0-9.]+)\+([0-9.]+)\+([0-9.]+) ms clock, "
    r"([0-9.]+)\+([0-9.]+)/([0-9.]+)/([0-9.]+)\+([0-9.]+) ms cpu, "
    r"(\d+)->(\d+)->(\d+) MB, (\d+) MB goal, (\d+) MB stacks, "
    r"(\d+) MB globals, (\d+) P( \(forced\))?$")
MS = (2, 4, 5, 6, 7, 8, 9, 10, 11)    # groups in ms, stored in us (@: in ms)


def row(m):
    g = m.groups()
    out = []
    for i, v in enumerate(g[:-1], 1):
        out.append(int(Decimal(v) * 1000) if i in MS else int(v))
    out.append(1 if g[-1] else 0)
    return out


def main():
    log, path = sys.argv[1], sys.argv[2]
    db = sqlite3.connect(path)
    db.execute(SCHEMA)
    with open(log, encoding="utf-8", errors="replace") as f:
        rows = (row(m) for m in map(GC.match, f) if m)
        db.executemany("INSERT INTO gc VALUES (%s)" % ", ".join("?" * 19),
                       rows)
    db.commit()
    db.close()


SCHEMA = """CREATE TABLE gc (gc_num INTEGER, start_ms INTEGER,
gc_cpu_pct INTEGER, stw_sweepterm_wall_us INTEGER, mark_wall_us INTEGER,
stw_markterm_wall_us INTEGER, stw_sweepterm_cpu_us INTEGER,
assist_cpu_us INTEGER, bg_mark_cpu_us INTEGER, idle_mark_cpu_us INTEGER,
stw_markterm_cpu_us INTEGER, heap_start_mib INTEGER, heap_end_mib INTEGER,
heap_live_mib INTEGER, heap_goal_mib INTEGER, stacks_mib INTEGER,
globals_mib INTEGER, gomaxprocs INTEGER, forced INTEGER)"""

main()
