#!/usr/bin/env python3
"""stamped-feed.py - a live program's stream with time-stamped lines.

    stamped-feed.py write SECONDS [--app-ms MS] [--gc-ms MS] [--go FILE]
                                  [--counts FILE]
        Write "APP <seq> <monotonic ns>" every --app-ms and a Go 1.19 gc
        line every --gc-ms for SECONDS, flushing each line.  With --go,
        wait until FILE exists first.  --counts gets "app=N" and "gc=N".
    stamped-feed.py read [--out FILE]
        Read lines; for each APP line, the delay since its stamp.  Print
        "lines=N max_ms=X p99_ms=Y"; --out gets every line read.
"""
import argparse
import os
import sys
import time

GC = ("gc %d @%d.%03ds 0%%: 0.010+1.0+0.010 ms clock, 0.020+0/1.0/0+0.020 "
      "ms cpu, 4->4->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P\n")


def write(a):
    if a.go:
        while not os.path.exists(a.go):
            time.sleep(0.01)
    out = sys.stdout.buffer
    start = time.monotonic()
    next_app = next_gc = start
    app = gc = 0
    while time.monotonic() - start < a.seconds:
        now = time.monotonic()
        if now >= next_gc:
            gc += 1
            ms = int((now - start) * 1000)
            out.write((GC % (gc, ms // 1000, ms % 1000)).encode())
            out.flush()
            next_gc += a.gc_ms / 1000.0
        if now >= next_app:
            app += 1
            out.write(b"APP %d %d\n" % (app, time.monotonic_ns()))
            out.flush()
            next_app += a.app_ms / 1000.0
        delay = min(next_app, next_gc) - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    if a.counts:
        with open(a.counts, "w") as f:
            f.write("app=%d\ngc=%d\n" % (app, gc))


def read(a):
    delays = []
    out = open(a.out, "wb") if a.out else None
    for line in sys.stdin.buffer:
        now = time.monotonic_ns()
        if out:
            out.write(line)
        if line.startswith(b"APP "):
            delays.append((now - int(line.split()[2])) / 1e6)
    delays.sort()
    p99 = delays[int(0.99 * (len(delays) - 1))] if delays else 0
    print("lines=%d max_ms=%.1f p99_ms=%.1f" % (
        len(delays), delays[-1] if delays else 0, p99))


ap = argparse.ArgumentParser()
sub = ap.add_subparsers(dest="cmd", required=True)
w = sub.add_parser("write")
w.add_argument("seconds", type=float)
w.add_argument("--app-ms", type=float, default=5)
w.add_argument("--gc-ms", type=float, default=20)
w.add_argument("--go")
w.add_argument("--counts")
r = sub.add_parser("read")
r.add_argument("--out")
a = ap.parse_args()
write(a) if a.cmd == "write" else read(a)
