#!/usr/bin/env python3
"""tear.py LOG SEED PERCENT OUT APPLINES [KIND [MAXGAP]]: tear trace lines like the runtime.

The Go runtime writes one trace line in many write(2) calls, one per
printed value and one per literal ("gc ", "14", " @", "0.464", "s ", ...),
so an application line written meanwhile lands where a number meets text.
Application lines that start with a digit other than a time stamp
("42 items done") and land right after a number cannot always be told
apart from the number (tracestat(1) says how it decides); the lines used
here are the common kinds: JSON, key=value, words (KIND text), those plus
access logs (digits), those plus lines that begin with a time stamp
(dates: Go's log package, ISO 8601, a time of day), which are never taken
for trace text.
This script makes such a stream from a clean log: PERCENT of the gc and
SCHED lines get one to three application lines at such places, sometimes
with whole application lines in between (up to two, or, with MAXGAP, a
tenth of the time up to MAXGAP: the runtime's thread descheduled between
two writes while the others log, and a forced gc line always torn before
its " (forced)").  The application lines written
go to APPLINES, in order: a correct ingest passes exactly them through and
stores exactly the clean log's trace lines.
"""
import random
import sys

NUMBER = set("0123456789.")
# KIND "text": application lines that start with a letter or a brace.
TEXT = [
    '{"level":"info","ts":1795287000.5,"msg":"served","status":200}',
    "APPLINE the quick brown fox",
    "APPLINE the quick brown fox",
    "level=info msg=\"listening\" addr=:8080",
    "WARN slow query took 1.2s (limit 1s)",
]
# KIND "digits": as written by Go's log package and web servers.
DIGITS = [
    "2026/11/21 18:50:00 worker=4 GET /api 200",
    "2026/11/21 18:50:01 main.go:42: cache refreshed (17 keys)",
    "10.0.0.7 - - [21/Nov/2026:18:50:02 +0000] \"GET /x HTTP/1.1\" 200 512",
]
# KIND "dates": lines that begin with a time stamp, as Go's log package
# (LstdFlags, Lmicroseconds, Lshortfile), slog's text handler, zap/logrus
# (ISO 8601) and time-only loggers write them.
DATES = [
    "2026/11/27 14:27:38.636129 worker=2 seq=17479 msg=handled request",
    "2026/11/27 14:27:38 main.go:42: cache refreshed (17 keys)",
    "2026/11/27 14:27:39 INFO served path=/api status=200 took=0.25ms",
    "2026-11-27T14:27:39.120Z\tINFO\tserver/main.go:88\tlistening",
    "2026-11-27 14:27:40,331 WARN pool 3/16 busy",
    "14:27:41.002311 tick 42",
]


def cuts(line):
    places = [i for i in range(1, len(line))
              if (line[i - 1] in NUMBER) != (line[i] in NUMBER)]
    # The runtime writes a gc line's " (forced)" with a write of its own.
    if line.endswith(" (forced)"):
        places.append(len(line) - len(" (forced)"))
    return places


def main():
    src, seed, pct, out_path, app_path = sys.argv[1:6]
    kind = sys.argv[6] if len(sys.argv) > 6 else "text"
    maxgap = int(sys.argv[7]) if len(sys.argv) > 7 else 2
    app_lines = {"text": TEXT, "digits": TEXT + DIGITS,
                 "dates": TEXT + DATES}[kind]
    rng = random.Random(int(seed))
    share = float(pct) / 100
    out, apps = [], []
    with open(src) as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for line in lines:
        is_trace = line.startswith("gc ") or line.startswith("SCHED ")
        if not is_trace or rng.random() >= share:
            out.append(line)
            if not is_trace and not line.startswith(("scav", "GC forced", "pacer", "  P", "  M", "  G")):
                apps.append(line)
            continue
        places = set(rng.sample(cuts(line), min(len(cuts(line)),
                                                rng.randint(1, 3))))
        # With MAXGAP, a forced line is always torn before its suffix.
        if maxgap > 2 and line.endswith(" (forced)"):
            places.add(len(line) - len(" (forced)"))
        places = sorted(places)
        pieces, last = [], 0
        for p in places:
            pieces.append(line[last:p])
            last = p
        pieces.append(line[last:])
        text = pieces[0]
        for piece in pieces[1:]:
            app = rng.choice(app_lines)
            out.append(text + app)
            apps.append(app)
            gap = rng.choice((0, 0, 0, 1, 2))
            if maxgap > 2 and rng.random() < 0.1:
                gap = rng.randint(3, maxgap)
            for _ in range(gap):
                extra = rng.choice(app_lines)
                out.append(extra)
                apps.append(extra)
            text = piece
        out.append(text)
    with open(out_path, "w") as f:
        f.write("\n".join(out) + "\n")
    with open(app_path, "w") as f:
        f.write("".join(a + "\n" for a in apps))


main()
