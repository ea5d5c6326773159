#!/usr/bin/env python3
"""expect-leaks.py [options] FILE...: the leak method of tracestat-leaks(1),
written again from the man page, on the raw logs (test oracle only).

Each FILE is read with tests/refparse.py (gc lines) and analysed as one
segment.  Prints CSV: file, verdict, slope_bytes_per_s, intercept_mib,
rise_mib, threshold_mib, window_start_s, window_end_s, windows,
cycles_used, p_value, floor_end_mib, time_to_limit_s.

Options: --warmup auto|0|Ns|N%  --min-rise MIB  --limit MIB
         --compare OUT.json: instead of printing, compare with tracestat's
         JSON rows (one per FILE, in order); print differences, exit 1.

Written from tracestat-leaks(1), not from the C code: Theil-Sen, Mann-Kendall
and the windows are computed here from scratch.
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


def cycles_of(path):
    out = subprocess.run([sys.executable, os.path.join(HERE, 'refparse.py'), 'gc', path],
                         check=True, capture_output=True, text=True).stdout
    rd = csv.DictReader(io.StringIO(out))
    return [(int(r['start_ms']) / 1000.0, float(r['heap_live_mib']),
             int(r['forced']), int(r['periodic'])) for r in rd]


def analyse(cycles, warmup, min_rise, limit):
    res = {'verdict': 'inconclusive', 'slope': None, 'intercept': None, 'rise': None,
           'threshold': None, 'ws': None, 'we': None, 'windows': 0, 'used': 0,
           'p': None, 'floor_end': None, 'ttl': None}
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
    nwin = min(MAX_WINDOWS, len(an) // CYCLES_PER_WINDOW)
    if nwin < MIN_WINDOWS or we <= ws:
        return res
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
    res['windows'] = len(ft)
    if len(ft) < MIN_WINDOWS:
        return res
    b, a = theil_sen(ft, fv)
    s, z, p = mann_kendall(fv)
    rise = b * (we - ws)
    thr = max(min_rise, QUANTUM_FLOOR_MIB, RELATIVE_FLOOR * (a + b * ws))
    h = len(ft) // 2
    bl, al = theil_sen(ft[h:], fv[h:])
    growing = bl >= LATE_FRACTION * b or b * (we - ft[h]) < thr
    leak = b > 0 and s > 0 and p < ALPHA and rise >= thr and growing
    res.update(verdict='leak' if leak else 'no-leak', slope=b, intercept=a, rise=rise,
               threshold=thr, p=p, floor_end=a + b * we)
    if limit is not None and b > 0 and res['floor_end'] < limit:
        res['ttl'] = (limit - res['floor_end']) / b
    return res


# Tolerances for --compare: tracestat rounds its JSON to the decimals it
# shows; anything beyond half a unit of those is a real difference.
COMPARE = [('verdict', 'verdict', None), ('slope', 'slope_bytes_per_s', 0.5),
           ('intercept', 'intercept_mib', 0.0005), ('rise', 'rise_mib', 0.05),
           ('threshold', 'threshold_mib', 0.05), ('ws', 'window_start_s', 0.0005),
           ('we', 'window_end_s', 0.0005), ('windows', 'windows', 0),
           ('used', 'cycles_used', 0), ('p', 'p_value', 5e-7),
           ('floor_end', 'floor_end_mib', 0.0005), ('ttl', 'time_to_limit_s', 0.5)]


def compare(expected, actual):
    bad = 0
    for key, col, tol in COMPARE:
        e = expected[key]
        if key == 'slope' and e is not None:
            e *= 1048576.0
        a = actual.get(col)
        if tol is None or e is None or a is None:
            ok = e == a
        else:
            ok = abs(e - a) <= tol + 1e-9 * abs(e)
        if not ok:
            print('%s: expected %r, tracestat says %r' % (col, e, a))
            bad += 1
    return bad


def main(argv):
    warmup, min_rise, limit, against = 'auto', 4.0, None, None
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
        elif argv[i] == '--compare':
            against = argv[i + 1]
            i += 2
        else:
            files.append(argv[i])
            i += 1
    results = [analyse(cycles_of(path), warmup, min_rise, limit) for path in files]
    if against is not None:
        # --compare OUT.json: tracestat's rows, one per FILE in order.
        import json
        with open(against) as fh:
            rows = json.load(fh)
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
    w.writerow(['file', 'verdict', 'slope_bytes_per_s', 'intercept_mib', 'rise_mib',
                'threshold_mib', 'window_start_s', 'window_end_s', 'windows',
                'cycles_used', 'p_value', 'floor_end_mib', 'time_to_limit_s'])
    for path, r in zip(files, results):
        def f(v, scale=1.0):
            return '' if v is None else repr(v * scale)
        w.writerow([os.path.basename(path), r['verdict'], f(r['slope'], 1048576.0),
                    f(r['intercept']), f(r['rise']), f(r['threshold']), f(r['ws']),
                    f(r['we']), r['windows'], r['used'], f(r['p']), f(r['floor_end']),
                    f(r['ttl'])])
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
