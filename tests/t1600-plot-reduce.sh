#!/bin/sh
# The plot reducer (src/analysis/plot-reduce.c) alone, through its C
# helper: for random and adversarial series, every pixel column keeps the
# first row with each series' minimum and maximum, every marked row
# survives, the rows kept are a subsequence of the input in order, and no
# more than 2 per series and column plus the marked ones are kept.  The
# expected rows are computed here in python, independently.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

REDUCE=$(dirname "$TRACESTAT")/tests/plot-reduce-check

# x's pixel column, as the reducer counts them (both scripts below).
cat >"$TEST_TMP/plotcols.py" <<'PY'
import math


def column(x, lo, hi, cols):
    if not hi > lo or math.isnan(x):
        return 0
    f = (x - lo) / (hi - lo) * cols
    if not f > 0:
        return 0
    return min(cols - 1, int(f))
PY

cat >"$TEST_TMP/check.py" <<'PY'
import math, random, subprocess, sys
from plotcols import column

reduce_bin = sys.argv[1]


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

# The marks drawn one by one (pauses over the threshold): the first of
# each series on each pixel (column over X, row over the log of Y) of a
# run of marks in one column; the rest would be drawn over it.
cat >"$TEST_TMP/dots.py" <<'PY'
import math, random, subprocess, sys
from plotcols import column

reduce_bin = sys.argv[1]


def row(y, lo, hi, rows):
    if not (hi > lo > 0) or not y > 0:
        return 0
    f = (math.log10(y) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * rows
    if not f > 0:
        return 0
    return min(rows - 1, int(f))


def expected(marks, xlo, xhi, cols, ylo, yhi, rows, ns):
    """Indices kept: per run of marks in one column, the first on each
    (row, series)."""
    kept, seen, last = [], set(), None
    for i, (x, y, s) in enumerate(marks):
        c = column(x, xlo, xhi, cols)
        if c != last:
            seen, last = set(), c
        key = (row(y, ylo, yhi, rows), s if 0 <= s < ns else ns - 1)
        if key not in seen:
            seen.add(key)
            kept.append(i)
    return kept


rnd = random.Random(5)
cases = []
# dense pauses over 100 us on a 1 us - 100 ms axis, two phases
marks = [(i * 0.01, 10 ** rnd.uniform(2, 5), rnd.randint(0, 1)) for i in range(100000)]
cases.append(('dense', marks, 0.0, 100.0, 800, 1.0, 1e5, 400, 2))
# a narrow axis (a quarter decade): rows are fine
marks = [(i * 0.1, rnd.uniform(100, 180), 0) for i in range(20000)]
cases.append(('narrow axis', marks, 0.0, 2000.0, 1600, 89.0, 190.0, 900, 1))
# columns visited again, y off the axis, zero, NaN, series out of range
marks = []
for i in range(5000):
    x = float(i // 50 % 3) * 500 + rnd.random()
    y = rnd.choice([0.0, 1e-3, 1e12, float('nan'), 10 ** rnd.uniform(0, 6)])
    marks.append((x, y, rnd.choice([-1, 0, 1, 5])))
cases.append(('revisits and edges', marks, 0.0, 1500.0, 3, 1.0, 1e6, 100, 2))
for name, marks, xlo, xhi, cols, ylo, yhi, rows, ns in cases:
    text = ''.join('%r %r %d\n' % m for m in marks)
    out = subprocess.run([reduce_bin, 'dots', str(cols), repr(xlo), repr(xhi), repr(ylo),
                          repr(yhi), str(rows), str(ns)], input=text, capture_output=True,
                         text=True, check=True).stdout
    lines = text.splitlines(keepends=True)
    want_lines = [lines[i]
                  for i in expected(marks, xlo, xhi, cols, ylo, yhi, rows, ns)]
    if out != ''.join(want_lines):
        sys.exit('%s: %d marks kept, expected %d' % (name, len(out.splitlines()), len(want_lines)))
    print('# %s: %d marks -> %d kept' % (name, len(marks), len(want_lines)))
PY

test_expect_success 'dots: one mark per pixel and series, in order' "
	python3 '$TEST_TMP/dots.py' '$REDUCE' >out &&
	cat out &&
	grep -q '^# dense: 100000 marks -> ' out
"

test_done
