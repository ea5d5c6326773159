#!/usr/bin/env python3
"""schemasame.py - the schema of SQLite databases, normalised, and rows
kept across an upgrade (test oracle only).

    schemasame.py schema DB [--unordered]
        print DB's schema, one line per table column, index and view, and
        its user_version and application_id; --unordered: a table's
        columns sorted by name (stores whose columns came in another
        order)
    schemasame.py rows OLD NEW
        every row of every table of OLD (a store of an earlier version) is
        in NEW, the same table or view of that name, every column OLD has
        with the same value, and NEW has no other row of OLD's runs in
        those tables
"""
import re
import sqlite3
import sys


def schema(path, unordered=False):
    db = sqlite3.connect(path)
    out = ["user_version %d" % db.execute("PRAGMA user_version").fetchone()[0],
           "application_id %d" %
           db.execute("PRAGMA application_id").fetchone()[0]]
    for typ, name, tbl, sql in db.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master "
            "ORDER BY type, name"):
        if typ == "table":
            cols = [tuple(r[1:]) for r in
                    db.execute("PRAGMA table_info(\"%s\")" % name)]
            if unordered:
                cols.sort()
            out += ["table %s %r" % (name, c) for c in cols]
        elif typ == "index":
            cols = [r[2] for r in
                    db.execute("PRAGMA index_info(\"%s\")" % name)]
            uniq = [r[2] for r in db.execute("PRAGMA index_list(\"%s\")" %
                                             tbl) if r[1] == name]
            out.append("index %s on %s %r unique=%r" % (name, tbl, cols,
                                                        uniq))
        else:
            out.append("%s %s %s" % (typ, name,
                                     re.sub(r"\s+", " ", sql or "")))
    return out


def rows(old, new):
    a = sqlite3.connect(old)
    b = sqlite3.connect(new)
    n = 0
    last = a.execute("SELECT max(id) FROM runs").fetchone()[0]
    for (t,) in a.execute("SELECT name FROM sqlite_master WHERE type = "
                          "'table' AND name NOT LIKE 'sqlite%' ORDER BY "
                          "name"):
        cols = [r[1] for r in a.execute("PRAGMA table_info(\"%s\")" % t)]
        key = "id" if t == "runs" else "run_id"
        if key not in cols:
            # Of no run (the line shapes of schema 3): every row kept, and
            # the new runs' may come after them.
            sel = "SELECT %s FROM \"%s\"" % (
                ", ".join('"%s"' % c for c in cols), t)
            x = set(a.execute(sel).fetchall())
            if not x <= set(b.execute(sel).fetchall()):
                print("table %s: rows lost" % t)
                return 1
            n += len(x)
            continue
        sel = "SELECT %s FROM \"%s\" WHERE %s <= %d ORDER BY %s" % (
            ", ".join('"%s"' % c for c in cols), t, key, last, ", ".join(
                '"%s"' % c for c in cols))
        x = a.execute(sel).fetchall()
        y = b.execute(sel).fetchall()
        if x != y:
            print("table %s: %d rows before, %d after, first difference:" %
                  (t, len(x), len(y)))
            for p, q in zip(x, y):
                if p != q:
                    print(" ", p, "\n ", q)
                    break
            return 1
        n += len(x)
    print("%d rows kept" % n)
    return 0


def main():
    if sys.argv[1] == "schema":
        print("\n".join(schema(sys.argv[2], "--unordered" in sys.argv)))
        return 0
    return rows(sys.argv[2], sys.argv[3])


sys.exit(main())
