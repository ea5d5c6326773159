#!/usr/bin/env python3
"""input-gen.py - write one trace as the log files of containers and journald.

    input-gen.py SOURCE OUTDIR [--trace-stream stderr|stdout]

SOURCE is a plain trace (the program's standard error, e.g. samples/leak.log).
Its lines are put on the trace stream, and application lines of our own
(Unicode, JSON escapes, tabs, an empty line, lines over 16 KiB) are put
between them on the other stream, each line stamped with a clock that
advances by an irregular number of nanoseconds.  Written, independently of
tracestat, from the formats' definitions:

  0.log         a CRI log (kubelet's /var/log/pods/.../0.log):
                "TIME STREAM F|P MESSAGE", lines over 16 KiB cut into "P"
                pieces as containerd does, and some trace lines cut into
                pieces too, with a record of the other stream between two
                pieces of a line (the streams are separate pipes)
  json.log      the same records as a Docker json-file log
                ({"log":"...\\n","stream":"stderr","time":"..."}, a partial
                line without its "\\n"; escaped as Go's encoding/json does)
  plain.log     the same lines as plain text: each whole line, in the
                order it was completed (what `kubectl logs` prints)
  journal.json  the same lines as `journalctl -o json` (one entry a line,
                __REALTIME_TIMESTAMP in microseconds, MESSAGE a string or,
                for some, an array of bytes)
  journal.log   those entries' messages as plain text
  app.out       the application lines (not from SOURCE) in completion
                order: what ingest must pass through for 0.log and json.log
  walls.csv     line_no,wall_s of every line of plain.log: the time of its
                first piece in the CRI and Docker files
  jwalls.csv    the same for journal.log (microsecond times)
  japp.out      the application lines in journal.json
"""
import datetime
import json
import random
import sys

BASE = datetime.datetime(2026, 11, 21, 18, 58, 7, 599879,
                         tzinfo=datetime.timezone.utc)
BASE_NS = (int((BASE - datetime.datetime(1970, 1, 1,
                                          tzinfo=datetime.timezone.utc))
               .total_seconds()) * 10**9 + BASE.microsecond * 1000)
CRI_MAX = 16384


def rfc3339nano(ns):
    """Go's time.RFC3339Nano: trailing zeros of the fraction dropped."""
    sec, frac = divmod(ns, 10**9)
    t = datetime.datetime.fromtimestamp(sec, tz=datetime.timezone.utc)
    s = t.strftime("%Y-%m-%dT%H:%M:%S")
    if frac:
        s += ("." + "%09d" % frac).rstrip("0")
    return s + "Z"


def go_json_string(b):
    """A byte string as Go's encoding/json writes it (Docker's encoder)."""
    text = b.decode("utf-8", errors="replace")
    out = ['"']
    for ch in text:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif o < 0x20 or ch in "<>&" or o in (0x2028, 0x2029):
            out.append("\\u%04x" % o)
        elif o > 0xffff and random.random() < 0.5:
            # Valid JSON either way; exercise surrogate pairs as well.
            o -= 0x10000
            out.append("\\u%04x\\u%04x" % (0xd800 + (o >> 10),
                                           0xdc00 + (o & 0x3ff)))
        elif o > 0x7f and random.random() < 0.3:
            out.append("\\u%04x" % o if o <= 0xffff else ch)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def app_lines():
    n = 0
    while True:
        n += 1
        kind = n % 9
        if kind == 5 and n % 45 != 5:
            kind = 0    # a long line now and then, not every ninth
        if kind == 1:
            yield b"app: request %d handled in 3ms" % n
        elif kind == 2:
            yield ("app: caf\u00e9 na\u00efve \U0001F642 \u65e5\u672c %d"
                   % n).encode()
        elif kind == 3:
            yield b'app: {"quote":"\\"x\\"","path":"C:\\\\tmp"}\t<a&b>'
        elif kind == 4:
            yield b""
        elif kind == 5:
            yield b"app: long " + (b"0123456789abcdef" * 2600)[:40000 + n]
        elif kind == 6:
            yield b"app: \x1b[31mred\x1b[0m done"
        else:
            yield b"app: tick %d" % n


def main():
    args = sys.argv[1:]
    trace_stream = "stderr"
    if "--trace-stream" in args:
        i = args.index("--trace-stream")
        trace_stream = args[i + 1]
        del args[i:i + 2]
    source, outdir = args
    other = "stdout" if trace_stream == "stderr" else "stderr"
    random.seed(8)

    with open(source, "rb") as f:
        src = f.read().split(b"\n")
    if src and src[-1] == b"":
        src.pop()

    # The lines in the order they were written: (stream, bytes, is_app).
    apps = app_lines()
    lines = []
    for i, line in enumerate(src):
        lines.append((trace_stream, line, False))
        if i % 3 == 1:
            lines.append((other, next(apps), True))

    clock = [BASE_NS]

    def tick():
        clock[0] += random.randint(1, 3_000_000)
        return clock[0]

    # Records: (ns, stream, tag, piece bytes); completed: (ns, line, app).
    records, completed = [], []

    def pieces_of(k, line):
        if len(line) > CRI_MAX:
            return [line[i:i + CRI_MAX]
                    for i in range(0, len(line), CRI_MAX)]
        if not lines[k][2] and k % 5 == 0 and len(line) > 20:
            cuts = sorted(random.sample(range(1, len(line)), 2))
            return [line[:cuts[0]], line[cuts[0]:cuts[1]], line[cuts[1]:]]
        return [line]

    k, done = 0, set()
    while k < len(lines):
        if k in done:
            k += 1
            continue
        stream, line, is_app = lines[k]
        pieces = pieces_of(k, line)
        first = None
        for j, p in enumerate(pieces):
            last = j == len(pieces) - 1
            if last and j > 0 and k + 1 < len(lines) and \
                    lines[k + 1][0] != stream and k + 1 not in done and \
                    len(pieces_of(k + 1, lines[k + 1][1])) == 1:
                # The other stream's next line lands between two pieces.
                t2 = tick()
                s2, l2, a2 = lines[k + 1]
                records.append((t2, s2, "F", l2))
                completed.append((t2, l2, a2))
                done.add(k + 1)
            t = tick()
            if first is None:
                first = t
            records.append((t, stream, "F" if last else "P", p))
        completed.append((first, line, is_app))
        k += 1

    with open(outdir + "/0.log", "wb") as f:
        for t, s, tag, p in records:
            f.write(b"%s %s %s %s\n" % (rfc3339nano(t).encode(),
                                        s.encode(), tag.encode(), p))
    with open(outdir + "/json.log", "wb") as f:
        for t, s, tag, p in records:
            log = p + (b"\n" if tag == "F" else b"")
            f.write(('{"log":%s,"stream":"%s","time":"%s"}\n' % (
                go_json_string(log), s, rfc3339nano(t))).encode())
    with open(outdir + "/plain.log", "wb") as f:
        for t, line, _ in completed:
            f.write(line + b"\n")
    with open(outdir + "/app.out", "wb") as f:
        for _, line, is_app in completed:
            if is_app:
                f.write(line + b"\n")
    with open(outdir + "/walls.csv", "w") as f:
        for n, (t, _, _) in enumerate(completed):
            f.write("%d,%d.%09d\n" % (n + 1, t // 10**9, t % 10**9))

    # journald: one entry a line, microsecond stamps.
    us = BASE_NS // 1000
    boot = "0f6a1c5e2d3b4a59a8c7d6e5f4a3b2c1"
    with open(outdir + "/journal.json", "wb") as jf, \
            open(outdir + "/journal.log", "wb") as pf, \
            open(outdir + "/jwalls.csv", "w") as wf, \
            open(outdir + "/japp.out", "wb") as af:
        for i, (stream, line, is_app) in enumerate(lines):
            us += random.randint(1, 3000)
            try:
                text = line.decode("utf-8")
                printable = all(c >= " " or c == "\t" for c in text)
            except UnicodeDecodeError:
                printable = False
            if not printable or (not is_app and i % 4 == 0):
                message = list(line)
            else:
                message = line.decode()
            entry = {
                "__CURSOR": "s=%s;i=%x;b=%s;m=%x;t=%x;x=%x" % (
                    boot, i + 1, boot, us - BASE_NS // 1000, us, i),
                "__REALTIME_TIMESTAMP": str(us),
                "__MONOTONIC_TIMESTAMP": str(us - BASE_NS // 1000 + 5000),
                "_BOOT_ID": boot,
                "PRIORITY": "6",
                "_TRANSPORT": "stdout",
                "SYSLOG_IDENTIFIER": "app",
                "_PID": "4242",
                "_COMM": "app",
                "MESSAGE": message,
            }
            jf.write(json.dumps(entry).encode() + b"\n")
            pf.write(line + b"\n")
            if is_app:
                af.write(line + b"\n")
            wf.write("%d,%d.%06d\n" % (i + 1, us // 10**6, us % 10**6))


if __name__ == "__main__":
    main()
