#!/usr/bin/env python3
"""expect-fleet.py [options] HOST:NAME:LOG ...: the rows that
'tracestat fleet --format json' should print for a store holding one run
per LOG (ingested in that order, each one segment, labelled host=HOST and
named NAME), computed from the raw logs, never from tracestat (test
oracle only).

Each figure comes from the independent references the other tests use:
tests/refparse.py rows (cycles, span, GC CPU as tracestat-summary(1)
defines it), tests/expect-pauses.py (max and p99 stop-the-world, cycles
over), tests/expect-leaks.py (verdicts and slopes), tests/schedref.py
(saturated share); the criteria and the order are written again from
tracestat-fleet(1).

options: --over US (100)  --max-gc-cpu PCT (25)  --max-saturated PCT (50)
         --compare ACTUAL.json: compare instead of printing; exit 1 on a
         difference.
"""
import csv
import io
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PROBLEMS = ["heap-leak", "stacks-leak", "saturated", "gc-cpu", "pauses"]


def run(*args):
    return subprocess.run([sys.executable] + list(args), capture_output=True,
                          text=True, check=True).stdout


def rows(kind, log):
    return list(csv.DictReader(io.StringIO(run(os.path.join(HERE, "refparse.py"),
                                               kind, log))))


def num(r, k):
    return int(r[k]) if r.get(k, "") != "" else None


def expect_run(run_id, host, name, log, over_us, max_gc, max_sat):
    gc = rows("gc", log)
    sched = rows("sched", log)
    row = {"run": run_id, "host": host, "name": name, "status": "complete",
           "segments": 1, "gc_cycles": len(gc)}
    times = [num(r, "start_ms") for r in gc if num(r, "start_ms") is not None]
    times += [num(r, "t_ms") for r in sched if num(r, "t_ms") is not None]
    row["duration_s"] = (max(times) - min(times)) / 1000.0 if times else None
    # GC CPU: cycle n's CPU over gomaxprocs(n) x (start(n+1) - start(n)).
    busy = avail = 0.0
    pairs = 0
    for a, b in zip(gc, gc[1:]):
        if num(a, "start_ms") is None or num(b, "start_ms") is None:
            continue
        dt = num(b, "start_ms") - num(a, "start_ms")
        procs = num(a, "gomaxprocs") or 0
        if dt <= 0 or procs < 1:
            continue
        busy += sum(num(a, k) or 0 for k in (
            "stw_sweepterm_cpu_us", "scan_cpu_us", "assist_cpu_us",
            "bg_mark_cpu_us", "stw_markterm_cpu_us"))
        avail += dt * 1000.0 * procs
        pairs += 1
    row["gc_cpu_pct"] = busy / avail * 100 if pairs else None
    if gc:
        p = json.loads(run(os.path.join(HERE, "expect-pauses.py"), "--over",
                           "%gus" % over_us, log))
        row["max_pause_us"] = p["max_pause_us"]
        row["p99_pause_us"] = p["p99_pause_us"]
        row["cycles_over"] = p["cycles_over"]
        stw_cycles = p["cycles"]
    else:
        row["max_pause_us"] = row["p99_pause_us"] = row["cycles_over"] = None
        stw_cycles = 0
    for r in csv.DictReader(io.StringIO(run(os.path.join(HERE, "expect-leaks.py"),
                                            log))):
        slope = r["slope_bytes_per_s"]
        row[r["series"] + "_leak"] = r["verdict"]
        row[r["series"] + "_slope_mib_per_min"] = (
            float(slope) * 60 / 1048576 if slope != "" else None)
    s = list(csv.DictReader(io.StringIO(run(os.path.join(HERE, "schedref.py"),
                                            "summary", log))))
    share = s[0]["saturated_share"] if s else ""
    row["saturated_pct"] = float(share) * 100 if share not in ("", None) else None
    trouble = []
    if row.get("heap_leak") == "leak":
        trouble.append("heap-leak")
    if row.get("stacks_leak") == "leak":
        trouble.append("stacks-leak")
    if row["saturated_pct"] is not None and row["saturated_pct"] > max_sat:
        trouble.append("saturated")
    if row["gc_cpu_pct"] is not None and row["gc_cpu_pct"] > max_gc:
        trouble.append("gc-cpu")
    if stw_cycles > 0 and row["cycles_over"] > 0.01 * stw_cycles:
        trouble.append("pauses")
    row["trouble"] = ",".join(trouble) if trouble else None
    return row


def worst_key(r):
    """tracestat-fleet(1), Order: more problems; the most severe problem;
    the longest p99; the highest GC CPU; the newest run."""
    t = r["trouble"].split(",") if r["trouble"] else []
    severity = tuple(-1 if p in t else 0 for p in PROBLEMS)
    p99 = r["p99_pause_us"]
    cpu = r["gc_cpu_pct"]
    return (-len(t), severity, (0, -p99) if p99 is not None else (1, 0),
            (0, -cpu) if cpu is not None else (1, 0), -r["run"])


def close(a, b, decimals):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return abs(float(a) - float(b)) <= 0.5 * 10 ** -decimals + 1e-9


DECIMALS = {"duration_s": 3, "gc_cpu_pct": 2, "p99_pause_us": 1,
            "heap_slope_mib_per_min": 3, "stacks_slope_mib_per_min": 3,
            "saturated_pct": 2}


def main(argv):
    over, max_gc, max_sat, compare = 100.0, 25.0, 50.0, None
    runs = []
    i = 1
    while i < len(argv):
        a = argv[i]
        if a in ("--over", "--max-gc-cpu", "--max-saturated", "--compare"):
            v = argv[i + 1]
            i += 2
            if a == "--over":
                over = float(v)
            elif a == "--max-gc-cpu":
                max_gc = float(v)
            elif a == "--max-saturated":
                max_sat = float(v)
            else:
                compare = v
            continue
        host, name, log = a.split(":", 2)
        runs.append(expect_run(len(runs) + 1, host, name, log, over, max_gc,
                               max_sat))
        i += 1
    runs.sort(key=worst_key)
    if compare is None:
        json.dump(runs, sys.stdout, indent=1)
        print()
        return 0
    actual = json.load(open(compare))
    bad = 0
    if [r["run"] for r in actual] != [r["run"] for r in runs]:
        print("order: got runs %s, expected %s" % (
            [r["run"] for r in actual], [r["run"] for r in runs]))
        bad = 1
    by_run = {r["run"]: r for r in actual}
    for e in runs:
        a = by_run.get(e["run"])
        if a is None:
            print("run %d missing" % e["run"])
            bad = 1
            continue
        for k, v in e.items():
            if not close(v, a.get(k), DECIMALS.get(k, 0)):
                print("run %d (%s) %s: got %r, expected %r" % (
                    e["run"], e["name"], k, a.get(k), v))
                bad = 1
    return bad


sys.exit(main(sys.argv))
