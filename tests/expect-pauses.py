#!/usr/bin/env python3
"""Expected figures of 'tracestat pauses', computed independently from a raw log.

usage: expect-pauses.py [--over DUR] [--phase any|sweep|mark] [--top N] [--detear]
                        [--list] LOG [ACTUAL.json]

The gc rows come from tests/refparse.py (the independent parser), never from
tracestat.  The whole log is one segment.  Method (tracestat-pauses(1)): the
stop-the-world phases are the first and the last clock value (stored as whole
us); a cycle with a missing (wrap-around) phase is skipped; "over" is strictly
greater than the threshold; percentiles are type 7; the worst cycles are ranked
by the chosen phase (any: the larger of the two, sweep on a tie), ties by file
order.

Without ACTUAL: print the expected JSON object (or, with --list, the expected
CSV of every cycle).  With ACTUAL (tracestat's --format json output, one
object): compare every key (the same set of keys, numbers within rounding) and
exit 1 on a difference.
--detear removes the application lines ('APPLINE ...\\n') written into the
middle of gc lines in samples/torn.log before parsing.
"""

import argparse
import json
import math
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import refparse  # noqa: E402

UNITS = {'ns': 1e-3, 'us': 1.0, 'µs': 1.0, 'ms': 1e3, 's': 1e6}


def parse_duration(text):
    m = re.fullmatch(r'([0-9]*\.?[0-9]+)(ns|us|µs|ms|s)', text)
    if not m:
        raise SystemExit('bad duration %r' % text)
    return float(m.group(1)) * UNITS[m.group(2)]


class Rows:
    def __init__(self, kind):
        self.names = refparse.COLUMNS[kind].split(',')
        self.rows = []

    def writerow(self, row):
        self.rows.append(dict(zip(self.names, row)))


def gc_rows(path, detear=False):
    """The gc rows of a log as dicts (refparse columns, None for NULL)."""
    if detear:
        with open(path, encoding='utf-8', newline='') as fh:
            text = re.sub(r'APPLINE[^\n]*\n', '', fh.read())
        with tempfile.NamedTemporaryFile('w', suffix='.log', delete=False,
                                         encoding='utf-8', newline='') as tmp:
            tmp.write(text)
        path = tmp.name
    out = Rows('gc')
    try:
        refparse.parse('gc', path, out)
    finally:
        if detear:
            os.unlink(path)
    return out.rows


def percentile(sorted_v, p):
    """Hyndman-Fan type 7, written out."""
    n = len(sorted_v)
    h = (n - 1) * p / 100.0
    lo = math.floor(h)
    if lo + 1 >= n:
        return sorted_v[-1]
    return sorted_v[lo] + (h - lo) * (sorted_v[lo + 1] - sorted_v[lo])


def expected(rows, over_us, phase, top):
    threshold = round(over_us * 1000) / 1000
    valid = [r for r in rows if r['stw_sweepterm_wall_us'] is not None
             and r['stw_markterm_wall_us'] is not None]
    e = {'run': 1, 'name': None, 'segment': 1, 'phase': phase,
         'threshold_us': threshold, 'cycles': len(valid),
         'skipped_cycles': len(rows) - len(valid),
         'forced_cycles': sum(1 for r in valid if r['forced'])}
    sweep = [r['stw_sweepterm_wall_us'] for r in valid]
    mark = [r['stw_markterm_wall_us'] for r in valid]
    stw = [a + b for a, b in zip(sweep, mark)]
    e['sweep_over'] = sum(1 for v in sweep if v > threshold)
    e['mark_over'] = sum(1 for v in mark if v > threshold)
    e['stw_over'] = sum(1 for v in stw if v > threshold)

    def rank_value(r):
        s, m = r['stw_sweepterm_wall_us'], r['stw_markterm_wall_us']
        if phase == 'sweep':
            return s, 'sweep'
        if phase == 'mark':
            return m, 'mark'
        return (s, 'sweep') if s >= m else (m, 'mark')

    e['cycles_over'] = sum(1 for r in valid if rank_value(r)[0] > threshold)
    e['share_over'] = e['cycles_over'] / len(valid) if valid else 0
    # A cycle's pause as the phase counts it (any: the longer phase).
    cycle = [rank_value(r)[0] for r in valid]
    for name, v in (('sweep', sweep), ('mark', mark), ('stw', stw), ('pause', cycle)):
        s = sorted(v)
        for key, p in (('p50', 50), ('p90', 90), ('p99', 99), ('p999', 99.9)):
            e['%s_%s_us' % (key, name)] = percentile(s, p) if s else None
        e['max_%s_us' % name] = s[-1] if s else None
        e['mean_%s_us' % name] = sum(s) / len(s) if s else None
        e['total_%s_us' % name] = sum(s)
    ranked = sorted(range(len(valid)), key=lambda i: (-rank_value(valid[i])[0], i))
    for k in range(top):
        pre = 'worst%d_' % (k + 1)
        if k < len(ranked):
            r = valid[ranked[k]]
            value, ph = rank_value(r)
            e[pre + 'gc_num'] = r['gc_num']
            e[pre + 't_s'] = None if r['start_ms'] is None else r['start_ms'] / 1000
            e[pre + 'phase'] = ph
            e[pre + 'us'] = value
        else:
            for key in ('gc_num', 't_s', 'phase', 'us'):
                e[pre + key] = None
    return e


def listing(rows, over_us, phase):
    threshold = round(over_us * 1000) / 1000
    lines = ['run,segment,gc_num,t_s,sweep_us,mark_us,stw_us,forced,over']
    for r in rows:
        s, m = r['stw_sweepterm_wall_us'], r['stw_markterm_wall_us']
        t = '' if r['start_ms'] is None else '%.3f' % (r['start_ms'] / 1000)
        if s is None or m is None:
            lines.append('1,1,%d,%s,,,,%d,' % (r['gc_num'], t, r['forced']))
            continue
        v = {'sweep': s, 'mark': m}.get(phase, max(s, m))
        lines.append('1,1,%d,%s,%d,%d,%d,%d,%d' % (r['gc_num'], t, s, m, s + m,
                                                   r['forced'], 1 if v > threshold else 0))
    return '\n'.join(lines) + '\n'


def same(want, got):
    if want is None or got is None or isinstance(want, str) or isinstance(got, str):
        return want == got
    return abs(want - got) <= 0.0011 + 1e-9 * abs(want)


def compare(e, actual_path):
    with open(actual_path, encoding='utf-8') as fh:
        data = json.load(fh)
    if len(data) != 1:
        print('expected one row, got %d' % len(data))
        return 1
    got = data[0]
    bad = 0
    if set(got) != set(e):
        print('keys differ: missing %s, extra %s'
              % (sorted(set(e) - set(got)), sorted(set(got) - set(e))))
        bad = 1
    for k in e:
        if k in got and not same(e[k], got[k]):
            print('%s: expected %r, got %r' % (k, e[k], got[k]))
            bad = 1
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--over', default='100us')
    ap.add_argument('--phase', default='any', choices=('any', 'sweep', 'mark'))
    ap.add_argument('--top', type=int, default=5)
    ap.add_argument('--list', action='store_true')
    ap.add_argument('--detear', action='store_true')
    ap.add_argument('log')
    ap.add_argument('actual', nargs='?')
    a = ap.parse_args()
    rows = gc_rows(a.log, a.detear)
    over = parse_duration(a.over)
    if a.list:
        sys.stdout.write(listing(rows, over, a.phase))
        return 0
    e = expected(rows, over, a.phase, a.top)
    if a.actual is None:
        print(json.dumps(e))
        return 0
    return compare(e, a.actual)


if __name__ == '__main__':
    sys.exit(main())
