#!/usr/bin/env python3
"""Checks for the plot and report tests (test oracle only).

  plotcheck.py rows SCRIPT BLOCK       data rows of $BLOCK in a gnuplot script
  plotcheck.py expect KIND LOG...      rows a plot KIND must hold, from the log
                                       (via tests/refparse.py), one segment per LOG
  plotcheck.py gccpu SCRIPT LOG        every gc-cpu row against the log
  plotcheck.py over LOG US             cycles with a pause strictly over US
  plotcheck.py png FILE W H MINBYTES   a PNG of that size, at least MINBYTES

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
    for a, b in zip(gc, gc[1:]):
        if a['start_ms'] == '' or b['start_ms'] == '':
            continue
        t0, t1, p = int(a['start_ms']), int(b['start_ms']), int(a['gomaxprocs'])
        if t1 <= t0 or p <= 0:
            continue
        cap = p * (t1 - t0) * 1000.0

        def us(k):
            return int(a[k]) if a.get(k, '') != '' else 0
        stw = us('stw_sweepterm_cpu_us') + us('stw_markterm_cpu_us')
        out.append((t0 / 1000.0, t1 / 1000.0, 100 * stw / cap,
                    100 * us('assist_cpu_us') / cap,
                    100 * (us('bg_mark_cpu_us') + us('scan_cpu_us')) / cap,
                    100 * us('idle_mark_cpu_us') / cap))
    return out


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
    else:
        sys.exit('unknown check ' + cmd)


main()
