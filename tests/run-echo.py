#!/usr/bin/env python3
"""run-echo.py TRACESTAT PROBE stdout|stderr - is CMD's stdout, or the
application text of its stderr, passed on at once by `tracestat run`?
runprobe -mode echo prints "line N+1" for every newline it reads; this
script reads each line before it sends the next newline, so a line held
back anywhere hangs the exchange (a 60 s bound, not a timing test, turns
the hang into a failure).  On stderr, tracestat's closing line follows."""
import select
import subprocess
import sys

tracestat, probe, which = sys.argv[1], sys.argv[2], sys.argv[3]
args = [tracestat, "--db", "echo.db", "run", "--", probe, "-mode", "echo"]
if which == "stderr":
    p = subprocess.Popen(args + ["-stderr"], stdin=subprocess.PIPE,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stream = p.stderr
else:
    p = subprocess.Popen(args, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    stream = p.stdout


def read_line():
    line = b""
    while not line.endswith(b"\n"):
        r, _, _ = select.select([stream], [], [], 60)
        if not r:
            sys.exit("no line within 60 s after %r: held back" % line)
        c = stream.read1(1)
        if not c:
            sys.exit("end of output after %r" % line)
        line += c
    return line.decode()


for n in range(1, 11):
    got = read_line()
    if got != "line %d\n" % n:
        sys.exit("expected line %d, got %r" % (n, got))
    if n < 10:
        p.stdin.write(b"\n")
        p.stdin.flush()
p.stdin.close()
rest = stream.read().decode()
if which == "stderr":
    if not rest.startswith("tracestat: run 1: "):
        sys.exit("unexpected output %r" % rest)
elif rest:
    sys.exit("unexpected output %r" % rest)
sys.exit(p.wait())
