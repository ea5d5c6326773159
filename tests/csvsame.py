#!/usr/bin/env python3
"""csvsame.py EXPECTED ACTUAL: compare two CSV files cell by cell.

Cells that both read as numbers are compared as numbers (so 1e+06 equals
1000000.0); other cells as text.  Prints the differences and exits 1 if
there are any.  Used by the tests to compare tracestat's output with an
independent computation.
"""
import csv
import sys


def cells(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


def same(a, b):
    if a == b:
        return True
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def main():
    exp, act = cells(sys.argv[1]), cells(sys.argv[2])
    bad = 0
    if len(exp) != len(act):
        print(f"row count: expected {len(exp)}, got {len(act)}")
        bad += 1
    for i, (e, a) in enumerate(zip(exp, act)):
        if len(e) != len(a) or not all(same(x, y) for x, y in zip(e, a)):
            print(f"row {i}:\n  expected {e}\n  actual   {a}")
            bad += 1
            if bad > 20:
                break
    sys.exit(1 if bad else 0)


main()
