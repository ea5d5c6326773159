#!/usr/bin/env python3
"""Checks for the plot and report tests (test oracle only).

  plotcheck.py rows SCRIPT BLOCK       data rows of $BLOCK in a gnuplot script
  plotcheck.py expect KIND LOG...      rows a plot KIND must hold, from the log
                                       (via tests/refparse.py), one segment per LOG
  plotcheck.py gccpu SCRIPT LOG        every gc-cpu row against the log
  plotcheck.py over LOG US             cycles with a pause strictly over US
  plotcheck.py png FILE W H MINBYTES   a PNG of that size, at least MINBYTES
  plotcheck.py cdf SCRIPT LOG US       pause-dist: every CDF point, the counts over US
  plotcheck.py rolling SCRIPT LOG      gc-cpu: rolling means and the run's GC CPU
  plotcheck.py sat SCRIPT LOG WIDTH    sched: the saturated spans and their share
  plotcheck.py svg FILE W H            a self-contained SVG of that size

Exit status 0 when the check holds; a message on stderr otherwise.
"""

import csv
import io
import os
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def ref(kind, log):
    out = subprocess.run([sys.executable, os.path.join(HERE, 'refparse.py'), kind, log],
                         check=True, capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(out)))


def block(script, name):
    rows, inside = [], False
    with open(script, encoding='utf-8', errors='replace') as f:
        for line in f:
            line = line.rstrip('\n')
            if line == '$%s << EOD' % name:
                inside = True
                continue
            if inside and line == 'EOD':
                return rows
            if inside and line.strip() and not line.startswith('#'):
                rows.append(line.split())
    if inside:
        sys.exit('block $%s is not closed' % name)
    return None


def expect(kind, logs):
    n = 0
    for log in logs:
        gc = [r for r in ref('gc', log) if r['start_ms'] != '']
        if kind in ('heap', 'pauses', 'gcstart'):
            n += len(gc)
        elif kind == 'sched':
            n += len([r for r in ref('sched', log) if r['t_ms'] != ''])
        elif kind == 'gc-cpu':
            n += len(gccpu_rows(ref('gc', log)))
    return n


def gccpu_rows(gc):
    """Cycle n over gomaxprocs * (start(n+1) - start(n)), in percent, by class.

    The runtime's GC CPU (the P% of a gc line, runtime/mgc.go): sweep
    termination + root scan (go1.5) + assist + background + mark termination;
    idle marking apart.  Consecutive lines only, both with a start time.
    """
    out = []
    for t0, t1, us, cap in gccpu_intervals(gc):
        stw = us('stw_sweepterm_cpu_us') + us('stw_markterm_cpu_us')
        out.append((t0, t1, 100 * stw / cap, 100 * us('assist_cpu_us') / cap,
                    100 * (us('bg_mark_cpu_us') + us('scan_cpu_us')) / cap,
                    100 * us('idle_mark_cpu_us') / cap))
    return out


def gccpu_intervals(gc):
    """(t0_s, t1_s, us(column), capacity_us) of each pair of consecutive
    cycles that counts: both with a start time, the second later, P >= 1."""
    for a, b in zip(gc, gc[1:]):
        if a['start_ms'] == '' or b['start_ms'] == '':
            continue
        t0, t1, p = int(a['start_ms']), int(b['start_ms']), int(a['gomaxprocs'])
        if t1 <= t0 or p <= 0:
            continue

        def us(k, a=a):
            return int(a[k]) if a.get(k, '') != '' else 0
        yield t0 / 1000.0, t1 / 1000.0, us, p * (t1 - t0) * 1000.0


def gccpu_raw(gc):
    """Per interval (t0_s, t1_s, gc_us, idle_us, capacity_us)."""
    return [(t0, t1, sum(us(k) for k in ('stw_sweepterm_cpu_us', 'stw_markterm_cpu_us',
                                         'assist_cpu_us', 'bg_mark_cpu_us', 'scan_cpu_us')),
             us('idle_mark_cpu_us'), cap)
            for t0, t1, us, cap in gccpu_intervals(gc)]


def text_of(script):
    with open(script, encoding='utf-8') as f:
        return f.read()


def check_cdf(script, log, thr):
    """Each phase's block holds (pause, % at or under it) pairs of the
    log's pauses, the largest at 100%; the key counts those over thr."""
    gc = [r for r in ref('gc', log)
          if r['stw_sweepterm_wall_us'] != '' and r['stw_markterm_wall_us'] != '']
    text = text_of(script)
    for name, col, phase in (('sweep', 'stw_sweepterm_wall_us', 'sweep termination'),
                             ('mark', 'stw_markterm_wall_us', 'mark termination')):
        vals = sorted(int(r[col]) for r in gc)
        n = len(vals)
        at_or_under = {}
        for i, v in enumerate(vals):
            at_or_under[v] = 100.0 * (i + 1) / n
        rows = block(script, name)
        if not rows:
            sys.exit('cdf: no rows in $' + name)
        for v, pct in rows:
            if int(v) not in at_or_under or abs(float(pct) - at_or_under[int(v)]) > 1e-5:
                sys.exit('cdf %s: (%s, %s) is not a point of the distribution' % (name, v, pct))
        if int(rows[-1][0]) != vals[-1] or float(rows[-1][1]) != 100.0:
            sys.exit('cdf %s: the largest pause is not at 100%%' % name)
        if [int(r[0]) for r in rows] != sorted(int(r[0]) for r in rows):
            sys.exit('cdf %s: not in order' % name)
        over = sum(1 for v in vals if v > thr)
        want = '%s: %d of %d over' % (phase, over, n)
        if want not in text:
            sys.exit('cdf: the key does not say %r' % want)
    return len(gc)


def check_rolling(script, log):
    """Column 7 and 8 of $cpu: GC CPU and idle marking over the last W
    intervals (sum over sum), W = max(10, cycles // 300); $mean the whole
    segment's sum over sum."""
    gc = ref('gc', log)
    raw = gccpu_raw(gc)
    w = max(10, len(gc) // 300)
    want = {}
    for i in range(len(raw)):
        win = raw[max(0, i - w + 1):i + 1]
        cap = sum(r[4] for r in win)
        want['%.3f' % raw[i][0]] = (100 * sum(r[2] for r in win) / cap,
                                    100 * sum(r[3] for r in win) / cap)
    rows = block(script, 'cpu')
    for r in rows:
        g, i = want[r[0]]
        if abs(float(r[6]) - g) > 0.0006 or abs(float(r[7]) - i) > 0.0006:
            sys.exit('gc-cpu rolling at %s: %s %s, expected %.4f %.4f' % (r[0], r[6], r[7], g, i))
    mean = 100 * sum(r[2] for r in raw) / sum(r[4] for r in raw)
    m = block(script, 'mean')
    if not m or abs(float(m[0][1]) - mean) > 0.0006:
        sys.exit('gc-cpu mean %s, expected %.4f' % (m and m[0][1], mean))
    if 'rolling mean of %d cycles' % w not in text_of(script):
        sys.exit('gc-cpu: the key does not state the window of %d cycles' % w)
    return len(rows)


def check_sat(script, log, width):
    """Saturated samples (no idle P, run queues not empty) each shaded
    from their time to the next sample's, spans within a pixel merged;
    the share of them in the title."""
    rows = [r for r in ref('sched', log) if r['t_ms'] != '']
    t = [int(r['t_ms']) / 1000.0 for r in rows]
    sat = [int(r['idle_procs']) == 0 and
           int(r['global_runq']) + int(r['local_runq_total'] or 0) > 0 for r in rows]
    gcs = [int(r['start_ms']) / 1000.0 for r in ref('gc', log) if r['start_ms'] != '']
    lo, hi = min(t + gcs), max(t + gcs)
    pixel = (hi - lo) / width
    spans = []
    for k, s in enumerate(sat):
        if not s:
            continue
        end = t[k + 1] if k + 1 < len(t) else t[k]
        if spans and t[k] - spans[-1][1] <= pixel:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([t[k], end if end > t[k] else t[k] + pixel])
    got = block(script, 'sat') or []
    if len(got) != len(spans) or any(abs(float(a) - b) > 0.0015 or abs(float(c) - d) > 0.0015
                                     for (a, c), (b, d) in zip(got, spans)):
        sys.exit('saturated spans %s, expected %s' % (got, spans))
    share = '%.0f%% of %d samples' % (100.0 * sum(sat) / len(sat), len(sat))
    if sum(sat) and share not in text_of(script):
        sys.exit('sched: the title does not say %r' % share)
    return len(spans)


def check_svg(path, w, h):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    if '<svg' not in text:
        sys.exit('%s: not an SVG' % path)
    if 'width="%d" height="%d"' % (w, h) not in text and \
            'width="%dpx" height="%dpx"' % (w, h) not in text:
        sys.exit('%s: not of size %dx%d' % (path, w, h))
    for bad in ('<image', 'xlink:href="http', 'href="http', '@import', '@font-face', 'url(http',
                '<script'):
        if bad in text:
            sys.exit('%s: not self-contained (%s)' % (path, bad))


def main():
    cmd = sys.argv[1]
    if cmd == 'rows':
        rows = block(sys.argv[2], sys.argv[3])
        if rows is None:
            sys.exit('no block $%s' % sys.argv[3])
        print(len(rows))
    elif cmd == 'expect':
        print(expect(sys.argv[2], sys.argv[3:]))
    elif cmd == 'gccpu':
        got = block(sys.argv[2], 'cpu')
        want = gccpu_rows(ref('gc', sys.argv[3]))
        if got is None or len(got) != len(want):
            sys.exit('gc-cpu: %s rows, expected %d' % (None if got is None else len(got),
                                                       len(want)))
        for i, (g, w) in enumerate(zip(got, want)):
            for gv, wv in zip(g, w):
                if abs(float(gv) - wv) > 0.0006:
                    sys.exit('gc-cpu row %d: %s, expected %r' % (i + 1, g, w))
        print(len(got))
    elif cmd == 'over':
        thr = float(sys.argv[3])
        n = 0
        for r in ref('gc', sys.argv[2]):
            if r['start_ms'] == '':
                continue
            v = [int(r[k]) for k in ('stw_sweepterm_wall_us', 'stw_markterm_wall_us')
                 if r[k] != '']
            if v and max(v) > thr:
                n += 1
        print(n)
    elif cmd == 'png':
        path, w, h, least = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
        with open(path, 'rb') as f:
            data = f.read()
        if data[:8] != b'\x89PNG\r\n\x1a\n':
            sys.exit('%s: not a PNG' % path)
        if data[12:16] != b'IHDR':
            sys.exit('%s: no IHDR first' % path)
        gw, gh = struct.unpack('>II', data[16:24])
        if (gw, gh) != (w, h):
            sys.exit('%s: %dx%d, expected %dx%d' % (path, gw, gh, w, h))
        if len(data) < least:
            sys.exit('%s: %d bytes, expected at least %d' % (path, len(data), least))
    elif cmd == 'cdf':
        print(check_cdf(sys.argv[2], sys.argv[3], float(sys.argv[4])))
    elif cmd == 'rolling':
        print(check_rolling(sys.argv[2], sys.argv[3]))
    elif cmd == 'sat':
        print(check_sat(sys.argv[2], sys.argv[3], int(sys.argv[4])))
    elif cmd == 'svg':
        check_svg(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit('unknown check ' + cmd)


main()
