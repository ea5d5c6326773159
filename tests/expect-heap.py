#!/usr/bin/env python3
"""Expected figures of 'tracestat heap', computed independently from a raw log.

usage: expect-heap.py [--buckets N] [--detear] [--by-bucket] LOG [ACTUAL.json]

The gc rows come from tests/refparse.py, never from tracestat; the whole log is
one segment.  The method is that of tracestat-heap(1), written out again here:
a cycle needs its time and its four heap sizes; buckets split [first, last]
start time into N with index (t - first) * N // (last - first); growth is last
minus first live heap; the fastest growth is the largest rise of the bucket
mean live heap per minute between the midpoints of consecutive non-empty
buckets; overshoot is heap_end > goal; the allocation between cycles n-1 and n
is (end - start of n-1) + (start of n - live of n-1) over their start times,
for consecutive gc numbers with time moving on.

Without ACTUAL, print the expected JSON; with ACTUAL (tracestat --format json)
compare every key and exit 1 on a difference.
"""

import argparse
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from importlib import import_module  # noqa: E402

ep = import_module('expect-pauses')   # gc_rows, percentile, same


def valid(r):
    return all(r[k] is not None for k in ('start_ms', 'heap_start_mib', 'heap_end_mib',
                                          'heap_live_mib', 'heap_goal_mib'))


def buckets(rows, n):
    first, last = rows[0]['start_ms'], rows[-1]['start_ms']
    span = last - first
    if span <= 0:
        n = 1
    out = []
    for i in range(n):
        lo = first + (span * i // n if span > 0 else 0)
        hi = first + (span * (i + 1) // n if span > 0 else 0)
        out.append({'bucket': i + 1, 'start_s': lo / 1000, 'end_s': hi / 1000, 'rows': []})
    for r in rows:
        i = (r['start_ms'] - first) * n // span if span > 0 else 0
        out[max(0, min(n - 1, i))]['rows'].append(r)
    for b in out:
        rs = b.pop('rows')
        b['cycles'] = len(rs)
        for name, col in (('live', 'heap_live_mib'), ('start', 'heap_start_mib'),
                          ('goal', 'heap_goal_mib')):
            v = [r[col] for r in rs]
            b[name + '_min_mib'] = min(v) if v else None
            b[name + '_mean_mib'] = sum(v) / len(v) if v else None
            b[name + '_max_mib'] = max(v) if v else None
        for name, col in (('stacks', 'stacks_mib'), ('globals', 'globals_mib')):
            v = [r[col] for r in rs if r[col] is not None]
            b[name + '_max_mib'] = max(v) if v else None
    return out


def peak(rows, col):
    best = None
    for r in rows:
        if best is None or r[col] > best[col]:
            best = r
    return best[col], best['gc_num'], best['start_ms'] / 1000


def expected(all_rows, nb):
    rows = [r for r in all_rows if valid(r)]
    e = {'run': 1, 'name': None, 'segment': 1, 'cycles': len(rows),
         'skipped_cycles': len(all_rows) - len(rows),
         'forced_cycles': sum(1 for r in rows if r['forced'])}
    keys = ['first_s', 'last_s', 'duration_s', 'first_live_mib', 'last_live_mib',
            'min_live_mib', 'mean_live_mib', 'peak_live_mib', 'peak_live_gc_num',
            'peak_live_t_s', 'peak_start_mib', 'peak_start_gc_num', 'peak_start_t_s',
            'peak_goal_mib', 'max_stacks_mib', 'max_globals_mib', 'growth_mib',
            'growth_mib_per_min', 'fastest_from_s', 'fastest_to_s', 'fastest_growth_mib',
            'fastest_growth_mib_per_min', 'overshoot_cycles', 'overshoot_share',
            'overshoot_max_mib', 'overshoot_max_pct', 'alloc_pairs', 'alloc_skipped_pairs',
            'alloc_mib', 'alloc_rate_mean_mib_per_s', 'alloc_rate_p50_mib_per_s',
            'alloc_rate_p99_mib_per_s', 'alloc_rate_max_mib_per_s']
    for k in keys:
        e[k] = None
    e.update({'overshoot_cycles': 0, 'alloc_pairs': 0, 'alloc_skipped_pairs': 0,
              'alloc_mib': 0})
    if not rows:
        return e, []
    live = [r['heap_live_mib'] for r in rows]
    e['first_s'] = rows[0]['start_ms'] / 1000
    e['last_s'] = rows[-1]['start_ms'] / 1000
    e['duration_s'] = e['last_s'] - e['first_s']
    e['first_live_mib'], e['last_live_mib'] = live[0], live[-1]
    e['min_live_mib'] = min(live)
    e['mean_live_mib'] = sum(live) / len(live)
    e['peak_live_mib'], e['peak_live_gc_num'], e['peak_live_t_s'] = peak(rows, 'heap_live_mib')
    e['peak_start_mib'], e['peak_start_gc_num'], e['peak_start_t_s'] = peak(rows, 'heap_start_mib')
    e['peak_goal_mib'] = max(r['heap_goal_mib'] for r in rows)
    for name, col in (('max_stacks_mib', 'stacks_mib'), ('max_globals_mib', 'globals_mib')):
        v = [r[col] for r in rows if r[col] is not None]
        e[name] = max(v) if v else None
    e['growth_mib'] = live[-1] - live[0]
    if e['duration_s'] > 0:
        e['growth_mib_per_min'] = e['growth_mib'] / (e['duration_s'] / 60)
    bs = buckets(rows, nb)
    prev = None
    for b in bs:
        if b['cycles'] == 0:
            continue
        if prev is not None:
            growth = b['live_mean_mib'] - prev['live_mean_mib']
            minutes = ((b['start_s'] + b['end_s']) - (prev['start_s'] + prev['end_s'])) / 2 / 60
            if minutes > 0:
                rate = growth / minutes
                if e['fastest_growth_mib_per_min'] is None or rate > e['fastest_growth_mib_per_min']:
                    e['fastest_from_s'], e['fastest_to_s'] = prev['start_s'], b['end_s']
                    e['fastest_growth_mib'], e['fastest_growth_mib_per_min'] = growth, rate
        prev = b
    over = [r for r in rows if r['heap_end_mib'] > r['heap_goal_mib']]
    e['overshoot_cycles'] = len(over)
    e['overshoot_share'] = len(over) / len(rows)
    e['overshoot_max_mib'] = max([r['heap_end_mib'] - r['heap_goal_mib'] for r in over] or [0])
    e['overshoot_max_pct'] = max([100 * (r['heap_end_mib'] - r['heap_goal_mib']) / r['heap_goal_mib']
                                  for r in over if r['heap_goal_mib'] > 0] or [0])
    rates, total, ms, skipped = [], 0, 0, 0
    for i in range(1, len(all_rows)):
        p, n = all_rows[i - 1], all_rows[i]
        if not (valid(p) and valid(n)):
            continue
        if n['gc_num'] != p['gc_num'] + 1 or n['start_ms'] <= p['start_ms']:
            skipped += 1
            continue
        alloc = (p['heap_end_mib'] - p['heap_start_mib']) + (n['heap_start_mib'] - p['heap_live_mib'])
        dt = n['start_ms'] - p['start_ms']
        rates.append(alloc * 1000 / dt)
        total += alloc
        ms += dt
    e['alloc_pairs'], e['alloc_skipped_pairs'], e['alloc_mib'] = len(rates), skipped, total
    if rates:
        s = sorted(rates)
        e['alloc_rate_mean_mib_per_s'] = total * 1000 / ms
        e['alloc_rate_p50_mib_per_s'] = ep.percentile(s, 50)
        e['alloc_rate_p99_mib_per_s'] = ep.percentile(s, 99)
        e['alloc_rate_max_mib_per_s'] = s[-1]
    return e, bs


def compare_rows(want, got):
    bad = 0
    if len(want) != len(got):
        print('expected %d rows, got %d' % (len(want), len(got)))
        return 1
    for i, (w, g) in enumerate(zip(want, got)):
        if set(w) != set(g):
            print('row %d keys differ: missing %s, extra %s'
                  % (i + 1, sorted(set(w) - set(g)), sorted(set(g) - set(w))))
            bad = 1
        for k in w:
            # Bucket means are shown with one decimal.
            tol = 0.051 if k.endswith('_mean_mib') and 'bucket' in w else 0
            if k in g and not (ep.same(w[k], g[k]) or
                               (tol and w[k] is not None and g[k] is not None
                                and abs(w[k] - g[k]) <= tol)):
                print('row %d %s: expected %r, got %r' % (i + 1, k, w[k], g[k]))
                bad = 1
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--buckets', type=int, default=10)
    ap.add_argument('--by-bucket', action='store_true')
    ap.add_argument('--detear', action='store_true')
    ap.add_argument('log')
    ap.add_argument('actual', nargs='?')
    a = ap.parse_args()
    e, bs = expected(ep.gc_rows(a.log, a.detear), a.buckets)
    want = [e]
    if a.by_bucket:
        want = [dict({'run': 1, 'segment': 1}, **b) for b in bs]
    if a.actual is None:
        print(json.dumps(want))
        return 0
    with open(a.actual, encoding='utf-8') as fh:
        return compare_rows(want, json.load(fh))


if __name__ == '__main__':
    sys.exit(main())
