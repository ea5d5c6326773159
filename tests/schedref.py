#!/usr/bin/env python3
"""schedref.py MODE LOG [ARGS]: reference figures for tracestat sched (tests only).

Works from the raw trace through tests/refparse.py (sched, sched_p and sched_g rows),
independently of tracestat's C code.  Prints CSV with a header, formatted as tracestat
prints the same columns in CSV, so that tests/csvsame.py can compare them.

  summary LOG          samples, backlog p50/p99/max, saturated samples and share,
                       idle Ps, threads min/max, spinning threads
  window LOG FROM TO   SCHED samples with FROM <= t_ms <= TO, how many are saturated
  detail LOG           G lines by status and wait reasons of waiting Gs (status 4)
  goroutines LOG       dumps, mean and max of non-dead G lines per dump
"""

import csv
import io
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
G_STATUS = ['idle', 'runnable', 'running', 'syscall', 'waiting', 'moribund', 'dead',
            'enqueue', 'copystack', 'preempted']


def rows(kind, log):
    out = subprocess.run([sys.executable, os.path.join(HERE, 'refparse.py'), kind, log],
                         check=True, capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(out)))


def num(v):
    return None if v == '' else int(v)


def percentile7(values, p):
    """Hyndman-Fan type 7, written out: h = (n-1)p, linear between ranks."""
    v = sorted(values)
    h = (len(v) - 1) * p / 100.0
    lo = int(h)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (h - lo) * (v[hi] - v[lo])


def samples(log):
    """SCHED samples with backlog = runqueue + local queues (P lines for dumps)."""
    sched = rows('sched', log)
    local = {}
    for p in rows('sched_p', log):
        k = int(p['sample'])
        local[k] = local.get(k, 0) + int(p['local_runq'])
    out = []
    for i, s in enumerate(sched, 1):
        lq = num(s['local_runq_total'])
        if lq is None:
            lq = local.get(i)
        backlog = None if lq is None else int(s['global_runq']) + lq
        out.append({'t_ms': int(s['t_ms']), 'idle': int(s['idle_procs']),
                    'threads': int(s['threads']), 'spin': int(s['spinning_threads']),
                    'backlog': backlog,
                    'saturated': backlog is not None and int(s['idle_procs']) == 0
                    and backlog > 0})
    return out


def emit(header, values):
    w = csv.writer(sys.stdout, lineterminator='\n')
    w.writerow(header)
    for v in values:
        w.writerow(v)


def summary(log):
    ss = samples(log)
    b = [s['backlog'] for s in ss if s['backlog'] is not None]
    sat = sum(1 for s in ss if s['saturated'])
    idle = [s['idle'] for s in ss]
    emit(['samples', 'backlog_p50_goroutines', 'backlog_p99_goroutines',
          'backlog_max_goroutines', 'saturated_samples', 'saturated_share',
          'idle_procs_mean', 'idle_procs_min', 'threads_min', 'threads_max',
          'spinning_threads_max'],
         [[len(ss), f'{percentile7(b, 50):.1f}', f'{percentile7(b, 99):.1f}', max(b), sat,
           f'{sat / len(b):.4f}', f'{sum(idle) / len(idle):.2f}', min(idle),
           min(s['threads'] for s in ss), max(s['threads'] for s in ss),
           max(s['spin'] for s in ss)]])


def window(log, lo, hi):
    ss = [s for s in samples(log) if lo <= s['t_ms'] <= hi]
    emit(['samples', 'saturated'], [[len(ss), sum(1 for s in ss if s['saturated'])]])


def detail(log, goroutines):
    dumps = sum(1 for s in rows('sched', log) if s['detailed'] == '1')
    g = rows('sched_g', log)
    by_status = {}
    reasons = {}
    per_dump = {}
    for r in g:
        st = int(r['status'])
        by_status[st] = by_status.get(st, 0) + 1
        if st == 4:
            reasons[r['wait_reason']] = reasons.get(r['wait_reason'], 0) + 1
        if st != 6:
            per_dump[r['sample']] = per_dump.get(r['sample'], 0) + 1
    out = []
    total = sum(by_status.values())
    for st in sorted(by_status):
        out.append(['g_status', G_STATUS[st], by_status[st],
                    f'{by_status[st] / dumps:.2f}', f'{by_status[st] / total:.4f}'])
    total = sum(reasons.values())
    for reason, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
        out.append(['wait_reason', reason, n, f'{n / dumps:.2f}', f'{n / total:.4f}'])
    if goroutines:
        emit(['detailed_samples', 'detail_goroutines_mean', 'detail_goroutines_max'],
             [[dumps, f'{sum(per_dump.values()) / dumps:.2f}', max(per_dump.values())]])
    else:
        emit(['group', 'value', 'count', 'per_dump_mean', 'share'], out)


def main():
    mode, log = sys.argv[1], sys.argv[2]
    if mode == 'summary':
        summary(log)
    elif mode == 'window':
        window(log, int(sys.argv[3]), int(sys.argv[4]))
    elif mode in ('detail', 'goroutines'):
        detail(log, mode == 'goroutines')
    else:
        sys.exit(f'schedref.py: unknown mode {mode}')


main()
