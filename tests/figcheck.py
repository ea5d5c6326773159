#!/usr/bin/env python3
"""GC CPU and duration checks for t1420 (test oracle only).

  figcheck.py anchor LOG
      The oracle's GC CPU numerator is the runtime's: summed from the first
      line, over GOMAXPROCS x the time to the end of each cycle, it gives
      the P% that every gc line of LOG prints (int(), so within [P, P+1),
      with 0.1 of slack for the 2-digit CPU fields); counted with idle
      marking it does not, on at least one line.
  figcheck.py gccpu LOG TRUTH SUMMARY_JSON SCRIPT...
      GC CPU and idle marking of the one segment of LOG, computed here,
      against the summary (--format json) and against the $cpu rows and the
      $mean line of each gnuplot SCRIPT (plot gc-cpu, the report's gc-cpu).
      TRUTH (or -) is the sample's truth file: its gomaxprocs and num_gc
      must be those of the log.
  figcheck.py duration US
      US microseconds as a person reads it, with the micro sign.
  figcheck.py maxpause LOG
      The longest stop-the-world pause (a cycle's longer phase), in us.

Everything is computed from the log through tests/refparse.py, which was
written from the format reference independently of the C parser.
"""

import csv
import io
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GC_PARTS = ('stw_sweepterm_cpu_us', 'scan_cpu_us', 'assist_cpu_us',
            'bg_mark_cpu_us', 'stw_markterm_cpu_us')
WALL_PARTS = ('stw_sweepterm_wall_us', 'scan_wall_us', 'installwb_wall_us',
              'mark_wall_us', 'stw_markterm_wall_us')


def gc_lines(log):
    out = subprocess.run([sys.executable, os.path.join(HERE, 'refparse.py'), 'gc', log],
                         check=True, capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(out)))


def us(row, key):
    return int(row[key]) if row.get(key, '') != '' else 0


def anchor(log):
    rows = [r for r in gc_lines(log) if r['start_ms'] != '']
    gc = idle = 0
    misses_gc = misses_idle = 0
    for r in rows:
        gc += sum(us(r, k) for k in GC_PARTS)
        idle += us(r, 'idle_mark_cpu_us')
        end_us = int(r['start_ms']) * 1000 + sum(us(r, k) for k in WALL_PARTS)
        cap = int(r['gomaxprocs']) * end_us
        p = int(r['gc_cpu_pct'])
        if not p - 0.1 <= 100 * gc / cap < p + 1.1:
            misses_gc += 1
        if not p - 0.1 <= 100 * (gc + idle) / cap < p + 1.1:
            misses_idle += 1
    if misses_gc:
        sys.exit('%s: the GC CPU without idle marking misses P%% on %d of %d lines'
                 % (log, misses_gc, len(rows)))
    if not misses_idle:
        sys.exit('%s: counting idle marking too matches every P%%: no evidence'
                 % log)
    print('%d lines, P%% reproduced; with idle marking %d missed'
          % (len(rows), misses_idle))


def truth(path):
    t = {}
    with open(path) as f:
        for line in f:
            if '=' in line and not line.startswith('#'):
                k, v = line.rstrip('\n').split('=', 1)
                t[k] = v
    return t


def expected(log, truth_path):
    """(rows, gc share %, idle share %) of the one segment of LOG."""
    rows = gc_lines(log)
    if truth_path != '-':
        t = truth(truth_path)
        if len(rows) != int(t['num_gc']):
            sys.exit('%s: %d gc lines, truth num_gc=%s' % (log, len(rows), t['num_gc']))
        procs = {r['gomaxprocs'] for r in rows}
        if procs != {t['gomaxprocs']}:
            sys.exit('%s: P fields %s, truth gomaxprocs=%s' % (log, procs, t['gomaxprocs']))
    out, gc, idle, cap = [], 0.0, 0.0, 0.0
    for a, b in zip(rows, rows[1:]):
        if a['start_ms'] == '' or b['start_ms'] == '':
            continue
        t0, t1, p = int(a['start_ms']), int(b['start_ms']), int(a['gomaxprocs'])
        if t1 <= t0 or p < 1:
            continue
        c = p * (t1 - t0) * 1000.0
        stw = us(a, 'stw_sweepterm_cpu_us') + us(a, 'stw_markterm_cpu_us')
        bg = us(a, 'bg_mark_cpu_us') + us(a, 'scan_cpu_us')
        out.append((t0 / 1000.0, t1 / 1000.0, 100 * stw / c,
                    100 * us(a, 'assist_cpu_us') / c, 100 * bg / c,
                    100 * us(a, 'idle_mark_cpu_us') / c))
        gc += sum(us(a, k) for k in GC_PARTS)
        idle += us(a, 'idle_mark_cpu_us')
        cap += c
    if not out:
        sys.exit('%s: no interval' % log)
    return out, 100 * gc / cap, 100 * idle / cap


def block(script, name):
    rows, inside = [], False
    with open(script, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if line == '$%s << EOD' % name:
                inside = True
            elif inside and line == 'EOD':
                return rows
            elif inside and line.strip() and not line.startswith('#'):
                rows.append([float(x) for x in line.split()])
    return None


def gccpu(log, truth_path, summary, scripts):
    want_rows, want_gc, want_idle = expected(log, truth_path)
    s = json.load(open(summary))
    if len(s) != 1:
        sys.exit('summary: %d rows' % len(s))
    for key, want in (('gc_cpu_pct', want_gc), ('gc_idle_cpu_pct', want_idle)):
        got = s[0][key]
        if got is None or abs(got - want) > 0.005 + 1e-9:
            sys.exit('summary %s %r, computed %.5f' % (key, got, want))
    for script in scripts:
        rows = block(script, 'cpu')
        if rows is None or len(rows) != len(want_rows):
            sys.exit('%s: %s $cpu rows, computed %d' % (
                script, None if rows is None else len(rows), len(want_rows)))
        for i, (g, w) in enumerate(zip(rows, want_rows)):
            if any(abs(a - b) > 0.0006 for a, b in zip(g, w)):
                sys.exit('%s: $cpu row %d %r, computed %r' % (script, i + 1, g, w))
        mean = block(script, 'mean')
        if mean is None or len(mean) != 2:
            sys.exit('%s: $mean %r' % (script, mean))
        if (abs(mean[0][0] - want_rows[0][0]) > 0.0006 or
                abs(mean[1][0] - want_rows[-1][1]) > 0.0006 or
                any(abs(m[1] - want_gc) > 0.0006 for m in mean)):
            sys.exit('%s: $mean %r, computed %.4f%% from %.3f to %.3f s' % (
                script, mean, want_gc, want_rows[0][0], want_rows[-1][1]))
        with open(script, encoding='utf-8') as f:
            text = f.read()
        title = "title 'GC CPU of the segment: %.2f%%'" % s[0]['gc_cpu_pct']
        if title not in text:
            sys.exit('%s: no %s' % (script, title))
    print('%.4f %.4f' % (want_gc, want_idle))


def duration(v):
    if v != 0 and abs(v) < 0.5:
        return '%.2g µs' % v
    if v < 999.5:
        return '%.0f µs' % v
    if v < 999995:
        return '%.2f ms' % (v / 1e3)
    return '%.2f s' % (v / 1e6)


def main():
    cmd = sys.argv[1]
    if cmd == 'anchor':
        anchor(sys.argv[2])
    elif cmd == 'gccpu':
        gccpu(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    elif cmd == 'duration':
        print(duration(float(sys.argv[2])))
    elif cmd == 'maxpause':
        print(max(max(us(r, 'stw_sweepterm_wall_us'), us(r, 'stw_markterm_wall_us'))
                  for r in gc_lines(sys.argv[2])))
    else:
        sys.exit('unknown check ' + cmd)


main()
