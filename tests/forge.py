#!/usr/bin/env python3
"""forge.py BASE OUT MODE - a tracestat store with forged values.

Copies the store BASE to OUT and overwrites its values, as a hostile or
damaged store would hold them:

  value:NAME   every column of every table except the keys (id, run_id,
               segment, sample_id) set to one extreme value NAME
  random:SEED  every cell, keys included, replaced with probability 0.3
               by a value drawn from the whole set
  keys:NAME    only the keys set to NAME

The values: the int64 ends, -1, 0, NULL, text, empty text, a blob with a
NUL byte, +-1e308, +-Inf, 2^53+1, numbers as text.
"""
import random
import shutil
import sqlite3
import sys

VALUES = {
    "max": 2**63 - 1,
    "min": -2**63,
    "minus1": -1,
    "zero": 0,
    "null": None,
    "text": "x\x1b[31m\u00e9",
    "empty": "",
    "blob": b"\x00\xff\n",
    "huge": 1e308,
    "neghuge": -1e308,
    "inf": float("inf"),
    "neginf": float("-inf"),
    "big53": 2**53 + 1,
    "numtext": "12.5",
}
KEYS = {"id", "run_id", "segment", "sample_id"}


def main():
    base, out, mode = sys.argv[1:4]
    shutil.copyfile(base, out)
    kind, arg = mode.split(":", 1)
    rng = random.Random(arg)
    db = sqlite3.connect(out)
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite%'")]
    pool = list(VALUES.values())
    for t in tables:
        cols = [r[1] for r in db.execute("PRAGMA table_info(%s)" % t)]
        if kind == "value":
            sets = [c for c in cols if c not in KEYS]
        elif kind == "keys":
            sets = [c for c in cols if c in KEYS]
        else:
            sets = cols
        if not sets:
            continue
        if kind != "random":
            for c in sets:
                # Column by column: a NOT NULL column keeps its value
                # without sparing the others.
                if c == "id" and not isinstance(VALUES[arg], int):
                    continue
                db.execute("UPDATE OR IGNORE %s SET %s = ?" % (t, c),
                           (VALUES[arg],))
            continue
        rows = [r[0] for r in db.execute("SELECT rowid FROM %s" % t)]
        for rowid in rows:
            for c in sets:
                if rng.random() >= 0.3:
                    continue
                v = rng.choice(pool)
                if c == "id" and not isinstance(v, int):
                    continue
                db.execute("UPDATE OR IGNORE %s SET %s = ? WHERE rowid = ?"
                           % (t, c), (v, rowid))
    db.commit()
    db.close()


if __name__ == "__main__":
    main()
