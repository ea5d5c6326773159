#!/usr/bin/env python3
"""prefixcheck.py DB FIXTURE WALL: a prefixed fixture was stored exactly.

DB is the store of one ingest of FIXTURE with a prefix before every line.
Every record kind must read as tests/refparse.py reads the bare FIXTURE
(numbers compared as numbers), every row's wall_s must be WALL (d(Y, M, D,
h, m, s[, us]) in UTC, or None), and the run must count nothing as repaired or
unrecognised.  Prints what differs and exits 1.
"""
import datetime
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import refparse  # noqa: E402

TABLES = {'gc': 'gc_cycles', 'scan': 'gc_scan_classes', 'sched': 'sched_samples'}


def same(a, b):
    if a == b:
        return True
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return False


def text(v):
    if v is None:
        return ''
    if isinstance(v, float):
        return repr(v)
    return str(v)


def main():
    db, fixture, wall = sys.argv[1:4]

    def d(*a):
        return datetime.datetime(*a, tzinfo=datetime.timezone.utc).timestamp()
    wall = eval(wall, {'d': d})
    con = sqlite3.connect('file:%s?mode=ro' % db, uri=True)
    bad = []
    for kind, cols in refparse.COLUMNS.items():
        rows = []

        class Collect:
            def writerow(self, row):
                rows.append([text(refparse.cell(v)) for v in row])

        refparse.parse(kind, fixture, Collect())
        names = cols.split(',')
        if kind.startswith('sched_'):
            sql = ('SELECT (SELECT count(*) FROM sched_samples s WHERE '
                   's.run_id = t.run_id AND s.id <= t.sample_id), %s FROM %s t '
                   'ORDER BY t.id' % (','.join(names[1:]), kind))
        else:
            sql = 'SELECT %s FROM %s ORDER BY id' % (cols, TABLES.get(kind, kind))
        got = [[text(v) for v in r] for r in con.execute(sql)]
        if len(got) != len(rows):
            bad.append('%s: %d rows, expected %d' % (kind, len(got), len(rows)))
            continue
        for i, (e, a) in enumerate(zip(rows, got)):
            if not all(same(x, y) for x, y in zip(e, a)):
                bad.append('%s row %d: expected %s, got %s' % (kind, i, e, a))
                break
    for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                "AND sql LIKE '%wall_s%'"):
        for (w,) in con.execute('SELECT DISTINCT wall_s FROM %s' % table):
            if (w is None) != (wall is None) or (w is not None and abs(w - wall) > 1e-3):
                bad.append('%s: wall_s %r, expected %r' % (table, w, wall))
    for r in con.execute('SELECT repaired_lines, unrecognised_lines FROM runs'):
        if r != (0, 0):
            bad.append('runs: repaired, unrecognised = %r' % (r,))
    print('\n'.join(bad))
    sys.exit(1 if bad else 0)


main()
