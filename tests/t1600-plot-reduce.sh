#!/bin/sh
# The plot reducer (src/analysis/plot-reduce.c) alone, through its C
# helper: for random and adversarial series, every pixel column keeps the
# first row with each series' minimum and maximum, every marked row
# survives, the rows kept are a subsequence of the input in order, and no
# more than 2 per series and column plus the marked ones are kept.  The
# expected rows are computed here in python, independently.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

REDUCE=$(dirname "$TRACESTAT")/tests/plot-reduce-check

cat >"$TEST_TMP/check.py" <<'PY'
import math, random, subprocess, sys

reduce_bin = sys.argv[1]


def column(x, lo, hi, cols):
    if not hi > lo or math.isnan(x):
        return 0
    f = (x - lo) / (hi - lo) * cols
    if not f > 0:
        return 0
    return min(cols - 1, int(f))


def expected(rows, lo, hi, cols, ns):
    """Indices kept: per run of rows in one column (a segment break ends
    a run too), the first minimum and first maximum of each series, and
    every marked row."""
    keep = set()
    runs, cur, last = [], [], None
    for i, r in enumerate(rows):
        if r is None:
            runs.append(cur); cur = []; last = None
            continue
        c = column(r[0], lo, hi, cols)
        if c != last and cur:
            runs.append(cur); cur = []
        last = c
        cur.append(i)
    runs.append(cur)
    for run in runs:
        for k in range(ns):
            vals = [(rows[i][1 + k], i) for i in run if not math.isnan(rows[i][1 + k])]
            if vals:
                m = min(v for v, _ in vals); M = max(v for v, _ in vals)
                keep.add(next(i for v, i in vals if v == m))
                keep.add(next(i for v, i in vals if v == M))
        for i in run:
            if rows[i][-1]:
                keep.add(i)
    return sorted(keep), len(runs)


def fmt(v):
    return 'nan' if math.isnan(v) else repr(v)


def run(name, rows, lo, hi, cols, ns):
    text = ''.join('\n' if r is None else
                   ' '.join(fmt(v) for v in r[:-1]) + ' %d\n' % r[-1]
                   for r in rows)
    out = subprocess.run([reduce_bin, str(cols), repr(lo), repr(hi), str(ns)],
                         input=text, capture_output=True, text=True, check=True).stdout
    lines = text.splitlines(keepends=True)
    want, nruns = expected(rows, lo, hi, cols, ns)
    want_text = ''.join(lines[i] for i in sorted(set(want) | {i for i, r in enumerate(rows) if r is None}))
    if out != want_text:
        got = out.splitlines()
        sys.exit('%s: %d lines kept, expected %d; first difference near %r' % (
            name, len(got), len(want_text.splitlines()),
            next((a for a, b in zip(got, want_text.splitlines()) if a != b), None)))
    marked = sum(1 for r in rows if r is not None and r[-1])
    kept = sum(1 for l in out.splitlines() if l)
    # Ordered x: one run per column and segment.
    bound = 2 * ns * nruns + marked
    if kept > bound:
        sys.exit('%s: %d rows kept, over the bound %d' % (name, kept, bound))
    return kept, bound


rnd = random.Random(12)
cases = []
W = 800
# random walk, 100k rows, 3 series, a few marked
n = 100000
rows, y = [], [0.0, 0.0, 0.0]
for i in range(n):
    y = [v + rnd.gauss(0, 1) for v in y]
    rows.append([i * 0.01] + y + [1 if rnd.random() < 0.001 else 0])
cases.append(('random walk', rows, 0.0, n * 0.01, W, 3))
# adversarial: single spikes and dips between flat runs, alternating
# extremes, ties everywhere, NaN holes, monotone rise, all marked
rows = []
for i in range(50000):
    v = 1.0
    if i % 997 == 0:
        v = 1e9
    elif i % 991 == 0:
        v = -1e9
    rows.append([float(i), v, float(i % 2), float('nan') if i % 3 else float(i), 0])
cases.append(('spikes, ties, NaN', rows, 0.0, 50000.0, 300, 3))
rows = [[float(i), float(i), -float(i), 0] for i in range(30000)]
cases.append(('monotone', rows, 0.0, 30000.0, 1000, 2))
rows = [[float(i), rnd.random(), 1 if i % 7 == 0 else 0] for i in range(20000)]
cases.append(('one in seven marked', rows, 0.0, 20000.0, 100, 1))
rows = [[float(i) / 10, rnd.random(), 1] for i in range(3000)]
cases.append(('all marked', rows, 0.0, 300.0, 50, 1))
# segments: a blank line between them, times restarting at 0, and x
# outside the range (clamped into the first and last column)
rows = []
for seg in range(3):
    for i in range(5000):
        rows.append([i * 0.02 - 10 + seg * 100, rnd.expovariate(1.0), 1 if i == 0 or i == 4999 else 0])
    rows.append(None)
cases.append(('segments, x out of range', rows[:-1], 0.0, 250.0, 400, 1))
# a single column and one row
cases.append(('one column', [[float(i), rnd.random(), 0] for i in range(1000)], 0.0, 1.0, 1, 1))
cases.append(('one row', [[5.0, 2.0, 0]], 0.0, 10.0, 10, 1))
for name, rows, lo, hi, cols, ns in cases:
    kept, bound = run(name, rows, lo, hi, cols, ns)
    print('# %s: %d rows -> %d kept (bound %d)' % (name, sum(1 for r in rows if r), kept, bound))
PY

test_expect_success 'reducer: columns keep their minima and maxima, marked rows survive, count bounded' "
	python3 '$TEST_TMP/check.py' '$REDUCE' >out &&
	cat out &&
	grep -q '^# random walk: 100000 rows -> ' out
"

test_done
