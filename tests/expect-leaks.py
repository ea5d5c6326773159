#!/usr/bin/env python3
"""expect-leaks.py [options] FILE...: the leak method of tracestat-leaks(1),
written again from the man page, on the raw logs (test oracle only).

Each FILE is read with tests/refparse.py (gc lines) and analysed as one
segment, in each series (heap_live_mib, then stacks_mib).  Prints CSV:
file, series, verdict, slope_bytes_per_s, intercept_mib, rise_mib,
threshold_mib, window_start_s, window_end_s, windows, cycles_used, p_value,
floor_end_mib, time_to_limit_s.

Options: --warmup auto|0|Ns|N%  --min-rise MIB  --limit MIB
         --series heap|stacks|both (both)
         --compare OUT.json: instead of printing, compare with tracestat's
         JSON rows (one per FILE and series, in order); print differences,
         exit 1.

Written from tracestat-leaks(1), not from the C code: Theil-Sen, Mann-Kendall
(normal and exact), the windows and the cycles method are computed here from
scratch.  The exact distribution of S is counted here by a different route
than the C code's: a memoised recursion over which value comes first.
"""
import csv
import io
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

MAX_WINDOWS = 10
MIN_WINDOWS = 6
CYCLES_PER_WINDOW = 3
MIN_CYCLES_IN_WINDOW = 2
ALPHA = 0.05
QUANTUM_FLOOR_MIB = 2.0
RELATIVE_FLOOR = 0.01
LATE_FRACTION = 0.25


def median(v):
    s = sorted(v)
    n = len(s)
    if n % 2:
        return s[n // 2]
    return (s[n // 2 - 1] + s[n // 2]) / 2


def theil_sen(x, y):
    slopes = []
    for i in range(len(x)):
        for j in range(i + 1, len(x)):
            if x[j] != x[i]:
                slopes.append((y[j] - y[i]) / (x[j] - x[i]))
    b = median(slopes)
    a = median([yi - b * xi for xi, yi in zip(x, y)])
    return b, a


def mann_kendall(y):
    n = len(y)
    s = 0
    for i in range(n):
        for j in range(i + 1, n):
            s += (y[j] > y[i]) - (y[j] < y[i])
    var = n * (n - 1) * (2 * n + 5)
    for v in set(y):
        t = y.count(v)
        var -= t * (t - 1) * (2 * t + 5)
    var /= 18
    if var <= 0 or s == 0:
        z = 0.0
    else:
        z = (s - 1) / math.sqrt(var) if s > 0 else (s + 1) / math.sqrt(var)
    p = math.erfc(abs(z) / math.sqrt(2))
    return s, z, p


def exact_rise_p(y):
    """One-sided P(S >= s) over every ordering of the values of y (ties
    kept), and the least such p: count the orderings by their discordant
    pairs D with a memoised recursion on the multiset left (the value put
    first is discordant with every smaller value after it); S = T - 2D."""
    from functools import lru_cache
    vals = sorted(set(y))
    counts = tuple(y.count(v) for v in vals)

    @lru_cache(maxsize=None)
    def dist(left):
        if sum(left) == 0:
            return {0: 1}
        out = {}
        smaller = 0
        for k, c in enumerate(left):
            if c:
                rest = left[:k] + (c - 1,) + left[k + 1:]
                for d, w in dist(rest).items():
                    out[d + smaller] = out.get(d + smaller, 0) + w
            smaller += c
        return out
    full = dist(counts)
    n = len(y)
    s = sum((y[j] > y[i]) - (y[j] < y[i]) for i in range(n) for j in range(i + 1, n))
    untied = n * (n - 1) // 2 - sum(c * (c - 1) // 2 for c in counts)
    total = sum(full.values())
    tail = sum(w for d, w in full.items() if untied - 2 * d >= s)
    return s, tail / total, full[0] / total


def cycles_of(path, column='heap_live_mib'):
    out = subprocess.run([sys.executable, os.path.join(HERE, 'refparse.py'), 'gc', path],
                         check=True, capture_output=True, text=True).stdout
    rd = csv.DictReader(io.StringIO(out))
    return [(int(r['start_ms']) / 1000.0, float(r[column]),
             int(r['forced']), int(r['periodic'])) for r in rd
            if r['start_ms'] != '' and r[column] != '']


def line_and_late(ft, fv, ws, we, min_rise):
    b, a = theil_sen(ft, fv)
    rise = b * (we - ws)
    thr = max(min_rise, QUANTUM_FLOOR_MIB, RELATIVE_FLOOR * (a + b * ws))
    h = len(ft) // 2
    bl, al = theil_sen(ft[h:], fv[h:])
    growing = bl >= LATE_FRACTION * b or b * (we - ft[h]) < thr
    return b, a, rise, thr, growing


def by_cycles(res, used, warmup, ws, we, min_rise):
    """Too few cycles for the floors: the cycles themselves, exact test."""
    res['method'] = 'cycles'
    if warmup == 'auto':
        n = len(used)
        live = [v for t, v in used]
        level = median(live[n // 2:])
        tol = max(1.0, 0.01 * level)
        reach = next((i for i, v in enumerate(live) if v >= level - tol), n - 1)
        lo = math.ceil(0.10 * n - 1e-9)
        hi = max(lo, math.floor(0.25 * n))
        first = min(max(reach, lo), hi)
        ws = used[first][0]
        res['ws'] = ws
        an = used[first:]
    else:
        an = [(t, v) for t, v in used if t >= ws]
    res['used'] = len(an)
    if len(an) < 4 or we <= ws:
        return res
    ft = [t for t, v in an]
    fv = [v for t, v in an]
    res['windows'] = len(ft)
    b, a, rise, thr, growing = line_and_late(ft, fv, ws, we, min_rise)
    if len(fv) <= 60:
        s, p, least = exact_rise_p(fv)
    else:
        s, z, p2 = mann_kendall(fv)
        p, least = (p2 / 2 if s > 0 else 1 - p2 / 2), 0.0
    res.update(slope=b, intercept=a, rise=rise, threshold=thr, p=p, floor_end=a + b * we)
    if rise < thr:
        res['verdict'] = 'no-leak'
    elif least > ALPHA:
        res['verdict'] = 'inconclusive'
    elif p > ALPHA or not growing:
        res['verdict'] = 'no-leak'
    else:
        res['verdict'] = 'leak'
    return res


def analyse(cycles, warmup, min_rise, limit):
    res = {'verdict': 'inconclusive', 'slope': None, 'intercept': None, 'rise': None,
           'threshold': None, 'ws': None, 'we': None, 'windows': 0, 'used': 0,
           'p': None, 'floor_end': None, 'ttl': None, 'method': 'floors'}
    res = analyse_method(res, cycles, warmup, min_rise)
    if limit is not None and res['slope'] is not None and res['slope'] > 0 \
            and res['floor_end'] < limit:
        res['ttl'] = (limit - res['floor_end']) / res['slope']
    return res


def analyse_method(res, cycles, warmup, min_rise):
    used = [(t, v) for t, v, f, p in cycles if not f and not p]
    if len(used) < 2:
        return res
    t0, t1 = used[0][0], used[-1][0]
    span = t1 - t0
    if warmup == 'auto':
        late = [v for t, v in used if t >= t0 + span / 2]
        level = median(late)
        tol = max(1.0, 0.01 * level)
        reach = next(t for t, v in used if v >= level - tol)
        w = min(max(reach - t0, 0.10 * span), 0.25 * span)
    elif warmup.endswith('%'):
        w = float(warmup[:-1]) / 100 * span
    else:
        w = float(warmup.rstrip('s'))
    ws, we = t0 + w, t1
    res['ws'], res['we'] = ws, we
    an = [(t, v) for t, v in used if t >= ws]
    res['used'] = len(an)
    if we <= ws:
        return res
    nwin = min(MAX_WINDOWS, len(an) // CYCLES_PER_WINDOW)
    if nwin < MIN_WINDOWS:
        return by_cycles(res, used, warmup, ws, we, min_rise)
    buckets = [[] for _ in range(nwin)]
    for t, v in an:
        k = min(nwin - 1, int((t - ws) / (we - ws) * nwin))
        buckets[k].append((t, v))
    ft, fv = [], []
    for b in buckets:
        if len(b) < MIN_CYCLES_IN_WINDOW:
            continue
        m = min(v for t, v in b)
        ft.append(next(t for t, v in b if v == m))
        fv.append(m)
    if len(ft) < MIN_WINDOWS:
        return by_cycles(res, used, warmup, ws, we, min_rise)
    res['windows'] = len(ft)
    b, a, rise, thr, growing = line_and_late(ft, fv, ws, we, min_rise)
    s, z, p = mann_kendall(fv)
    leak = b > 0 and s > 0 and p < ALPHA and rise >= thr and growing
    res.update(verdict='leak' if leak else 'no-leak', slope=b, intercept=a, rise=rise,
               threshold=thr, p=p, floor_end=a + b * we)
    return res


# Tolerances for --compare: tracestat rounds its JSON to the decimals it
# shows; anything beyond half a unit of those is a real difference.
COMPARE = [('verdict', 'verdict', None), ('slope', 'slope_bytes_per_s', 0.5),
           ('intercept', 'intercept_mib', 0.0005), ('rise', 'rise_mib', 0.05),
           ('threshold', 'threshold_mib', 0.05), ('ws', 'window_start_s', 0.0005),
           ('we', 'window_end_s', 0.0005), ('windows', 'windows', 0),
           ('used', 'cycles_used', 0), ('p', 'p_value', 5e-7),
           ('floor_end', 'floor_end_mib', 0.0005), ('ttl', 'time_to_limit_s', 0.5),
           ('series', 'series', None), ('method', 'method', None)]

METHODS = {'floors': 'theil-sen+mann-kendall on window floors',
           'cycles': 'theil-sen+exact mann-kendall on cycles'}


def compare(expected, actual):
    bad = 0
    for key, col, tol in COMPARE:
        e = expected[key]
        if key == 'slope' and e is not None:
            e *= 1048576.0
        a = actual.get(col)
        if key == 'method':
            e = METHODS[e]
        if tol is None or e is None or a is None:
            ok = e == a
        else:
            ok = abs(e - a) <= tol + 1e-9 * abs(e)
        if not ok:
            print('%s: expected %r, tracestat says %r' % (col, e, a))
            bad += 1
    return bad


def main(argv):
    warmup, min_rise, limit, against, series = 'auto', 4.0, None, None, 'both' 
    files = []
    i = 1
    while i < len(argv):
        if argv[i] == '--warmup':
            warmup = argv[i + 1]
            i += 2
        elif argv[i] == '--min-rise':
            min_rise = float(argv[i + 1])
            i += 2
        elif argv[i] == '--limit':
            limit = float(argv[i + 1])
            i += 2
        elif argv[i] == '--series':
            series = argv[i + 1]
            i += 2
        elif argv[i] == '--compare':
            against = argv[i + 1]
            i += 2
        else:
            files.append(argv[i])
            i += 1
    which = [('heap', 'heap_live_mib'), ('stacks', 'stacks_mib')]
    if series != 'both':
        which = [w for w in which if w[0] == series]
    results, names = [], []
    for path in files:
        for name, column in which:
            r = analyse(cycles_of(path, column), warmup, min_rise, limit)
            r['series'] = name
            results.append(r)
            names.append(path)
    files = names
    if against is not None:
        # --compare OUT.json: tracestat's rows, one per FILE and series.
        import json
        with open(against) as fh:
            rows = json.load(fh)
        if series != 'both':
            rows = [r for r in rows if r.get('series') == series]
        if len(rows) != len(results):
            print('%d rows from tracestat, %d files' % (len(rows), len(results)))
            return 1
        bad = 0
        for path, r, row in zip(files, results, rows):
            n = compare(r, row)
            if n:
                print('  in %s' % path)
            bad += n
        return 1 if bad else 0
    w = csv.writer(sys.stdout, lineterminator='\n')
    w.writerow(['file', 'series', 'verdict', 'slope_bytes_per_s', 'intercept_mib', 'rise_mib',
                'threshold_mib', 'window_start_s', 'window_end_s', 'windows',
                'cycles_used', 'p_value', 'floor_end_mib', 'time_to_limit_s'])
    for path, r in zip(files, results):
        def f(v, scale=1.0):
            return '' if v is None else repr(v * scale)
        w.writerow([os.path.basename(path), r['series'], r['verdict'], f(r['slope'], 1048576.0),
                    f(r['intercept']), f(r['rise']), f(r['threshold']), f(r['ws']),
                    f(r['we']), r['windows'], r['used'], f(r['p']), f(r['floor_end']),
                    f(r['ttl'])])
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
