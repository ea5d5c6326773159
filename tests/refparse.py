#!/usr/bin/env python3
"""Reference parser for Go runtime GODEBUG trace lines (test oracle only).

Written from shared/reference/go-trace-formats.md (sections 1-3 and 7), independently of
the C parser.  The test suite runs it to compute expected values.

Usage:  python3 tests/refparse.py KIND FILE...

Prints CSV on stdout: one header line with the column names, then one row per line of
kind KIND, in file order (files in argument order).  NULL is an empty field, booleans are
0/1, integers plain decimal, floats Python repr() of float(token); NaN/+Inf/-Inf are NULL.

Only whole lines starting at column 0 are understood (no foreign prefixes, no torn lines).
Lines that are not of kind KIND are skipped.  A trailing '\\r' is ignored.

Per-file state (reset for every FILE):
  * gc.periodic    - 1 when the line just before the gc line is exactly "GC forced".
  * scan.gc_num    - number of the latest gc line above the scan: line (NULL if none).
  * sched_*.sample - 1-based index of the latest SCHED line above (lines before any SCHED
                     line are skipped).
  * scvg           - a "MB released" line is remembered until the next "inuse:" line; it
                     is merged into it when both carry the same prefix ("scvg3", "scvg-1",
                     "scvg", "forced scvg"), otherwise released_mib is NULL.
"""

import csv
import math
import re
import signal
import sys

# --------------------------------------------------------------------------- tokens

# Runtime float, both eras (spec 1.3): "+2.500000e-001" (1.5-1.25) or "%g" (1.26+).
F = r'(?:[+-]?[0-9]+(?:\.[0-9]+)?(?:e[+-][0-9]+)?|NaN|[+-]Inf)'
# gctrace millisecond field (spec 1.2): "0", "0.045", "0.10", "9.9", "1052".
MS = r'[0-9]+(?:\.[0-9]{1,3})?'
I = r'-?[0-9]+'        # signed decimal
U = r'[0-9]+'          # unsigned decimal
ID = r'(?:-?[0-9]+|nil)'   # id that may be "-1" (<=1.19) or "nil" (1.20+)
B = r'(?:true|false|0|1)'

WRAP_MS = 10 ** 12     # printed ms value >= 1e12 is a 64-bit wrap-around (spec 3)


def ms_to_us(tok):
    """'0.045' -> 45, '11' -> 11000, '1.2' -> 1200; wrap-around -> None."""
    if '.' in tok:
        whole, frac = tok.split('.')
    else:
        whole, frac = tok, ''
    if int(whole) >= WRAP_MS:
        return None
    return int(whole) * 1000 + int((frac + '000')[:3])


def at_to_ms(tok):
    """'12.345' (from '@12.345s') -> 12345; wrap-around (>= 1e12 ms) -> None."""
    whole, frac = tok.split('.')
    v = int(whole) * 1000 + int(frac)
    return None if v >= WRAP_MS else v


def flt(tok):
    if tok is None:
        return None
    v = float(tok)
    if math.isnan(v) or math.isinf(v):
        return None
    return v


def opt_int(tok):
    return None if tok is None else int(tok)


def id_or_null(tok):
    """'-1' and 'nil' mean 'no such id' -> NULL."""
    if tok is None or tok in ('nil', '-1'):
        return None
    return int(tok)


def boolean(tok):
    if tok is None:
        return None
    return 1 if tok in ('1', 'true') else 0


# --------------------------------------------------------------------------- patterns

# gc summary line, go1.5 .. go1.26 (spec 2.1)
RE_GC = re.compile(
    r'gc (' + U + r') @([0-9]+\.[0-9]{3})s (' + I + r')%'
    r'( \(checking for goroutine leaks\))?: '
    # clock: 5 phases (1.5) or 3 phases (1.6+)
    r'(' + MS + r')\+(' + MS + r')\+(' + MS + r')(?:\+(' + MS + r')\+(' + MS + r'))? ms clock, '
    # cpu: a+b+c+d/e/f+g (1.5) or a+b/c/d+e (1.6+)
    r'(' + MS + r')\+(?:(' + MS + r')\+(' + MS + r')\+)?'
    r'(' + MS + r')/(' + MS + r')/(' + MS + r')\+(' + MS + r') ms cpu, '
    r'(' + U + r')->(' + U + r')->(' + U + r') MB, (' + U + r') MB goal, '
    r'(?:(' + U + r') MB stacks, (' + U + r') MB globals, )?'
    r'(' + U + r') P( \(forced\))?$')

# pre-1.5 C runtime gc line (spec 2.1, "Pre-1.5"); goroutines field optional (1.3 has none)
RE_GC_LEGACY = re.compile(
    r'gc(' + U + r')\((' + U + r')\): (' + U + r')\+(' + U + r')\+(' + U + r')\+(' + U + r') us, '
    r'(' + U + r') -> (' + U + r') MB, (' + U + r') \((' + U + r')-(' + U + r')\) objects, '
    r'(?:(' + U + r') goroutines, )?'
    r'(' + U + r')/(' + U + r')/(' + U + r') sweeps, '
    r'(' + U + r')\((' + U + r')\) handoff, (' + U + r')\((' + U + r')\) steal, '
    r'(' + U + r')/(' + U + r')/(' + U + r') yields$')

RE_GC_FORCED = re.compile(r'GC forced$')

# SCHED header, all eras (spec 2.5, 2.6).  Go 1.2-1.3 (C runtime, proc.c
# schedtrace, see tests/fixtures/README.md) have no spinningthreads= and put
# nmspinning= (the same counter) among the detailed flags.
RE_SCHED = re.compile(
    r'SCHED (' + I + r')ms: gomaxprocs=(' + I + r') idleprocs=(' + I + r') threads=(' + I + r') '
    r'(?:spinningthreads=(' + I + r') )?(?:needspinning=(' + U + r') )?idlethreads=(' + I + r') '
    r'runqueue=(' + I + r')'
    r'(?:'
    r' \[([ 0-9]*)\](?: schedticks=\[([ 0-9]*)\])?'                         # summary form
    r'| gcwaiting=(' + B + r') nmidlelocked=(' + I + r')(?: nmspinning=(' + I + r'))? '
    r'stopwait=(' + I + r') sysmonwait=(' + B + r')'                         # detailed form
    r')$')

# Go 1.2 prints the local queue as length/capacity.
RE_P = re.compile(
    r'  P(' + U + r'): status=(' + U + r') schedtick=(' + U + r') syscalltick=(' + U + r') '
    r'm=(' + ID + r') runqsize=(' + U + r')(?:/' + U + r')? gfreecnt=(' + I + r')'
    r'(?: timerslen=(' + I + r'))?$')

# Go 1.2-1.4 M line: gcing=, helpgc=, 0/1 spinning, blocked= from 1.3, no preemptoff.
RE_M_OLD = re.compile(
    r'  M(' + I + r'): p=(' + ID + r') curg=(' + ID + r') mallocing=(' + I + r') '
    r'throwing=(' + I + r') gcing=' + I + r' locks=(' + I + r') dying=(' + I + r') '
    r'helpgc=(' + I + r') spinning=(' + B + r')(?: blocked=(' + B + r'))? '
    r'lockedg=(' + ID + r')$')

RE_M = re.compile(
    r'  M(' + I + r'): p=(' + ID + r') curg=(' + ID + r') mallocing=(' + I + r') '
    r'throwing=(' + I + r') preemptoff=(.*?) locks=(' + I + r') dying=(' + I + r')'
    r'(?: helpgc=(' + I + r'))? spinning=(' + B + r') blocked=(' + B + r') '
    r'lockedg=(' + ID + r')$')

# wait reason: greedy up to the last ") m=" (nested parentheses allowed)
RE_G = re.compile(
    r'  G(' + U + r'): status=(' + U + r')\((.*)\) m=(' + ID + r') lockedm=(' + ID + r')$')

# scavenger, gctrace era (spec 2.3): prefix is "scvgN", "scvg-1", "scvg", "forced scvg"
# Go 1.13's background scavenger says KB (not in the spec; see tests/fixtures/README.md)
RE_SCVG_REL = re.compile(r'((?:forced )?scvg(' + I + r')?): (' + U + r') (MB|KB) released$')
RE_SCVG_USE = re.compile(
    r'((?:forced )?scvg(' + I + r')?): inuse: (' + U + r'), idle: (' + U + r'), '
    r'sys: (' + U + r'), released: (' + U + r'), consumed: (' + U + r') \(MB\)$')

SCAV_TAIL = r'(' + U + r')% util( \(forced\)| \[controller reset\])?$'
# 1.14 / 1.19-1.20 (no generation) and 1.15-1.18 (generation)
RE_SCAV_OLD = re.compile(
    r'scav (?:(' + U + r') )?(' + U + r') KiB work, (' + U + r') KiB total, ' + SCAV_TAIL)
# 1.21+
RE_SCAV_NEW = re.compile(
    r'scav (' + U + r') KiB work \(bg\), (' + U + r') KiB work \(eager\), '
    r'(' + U + r') KiB now, ' + SCAV_TAIL)

RE_PACER_START = re.compile(
    r'pacer: assist ratio=(' + F + r') \(scan (' + U + r') MB in (' + U + r')->(' + U + r') MB\) '
    r'workers=(' + I + r')\+(' + F + r')$')

# go1.5-1.17: U+0394 GREEK CAPITAL LETTER DELTA (CE 94)
RE_PACER_OLD = re.compile(
    r'pacer: H_m_prev=(' + U + r') h_t=(' + F + r') H_T=(' + U + r') h_a=(' + F + r') '
    r'H_a=(' + U + r') h_g=(' + F + r') H_g=(' + I + r') u_a=(' + F + r') u_g=(' + F + r') '
    r'W_a=(' + I + r') goal\u0394=(' + F + r') actual\u0394=(' + F + r') '
    r'u_a/u_g=(' + F + r')$')

# go1.18+: U+2206 INCREMENT (E2 88 86)
RE_PACER_NEW = re.compile(
    r'pacer: (' + I + r')% CPU \((' + I + r') exp\.\) for (' + I + r')\+(' + I + r')\+(' + I + r') '
    r'B work \((' + U + r') B exp\.\) in (' + U + r') B -> (' + U + r') B '
    r'\(\u2206goal (' + I + r'), cons/mark (' + F + r')\)(\[controller reset\])?$')

RE_PACER_SWEEP = re.compile(
    r'pacer: sweep done at heap size (' + U + r')MB; allocated (' + U + r')MB '
    r'(?:of spans|during sweep); swept (' + U + r') pages'
    r'(?: at (' + F + r') pages/byte)?$')

RE_SCAN_PLAIN = re.compile(r'scan: (total|class (L|' + U + r'B)) (' + U + r') objs$')
RE_SCAN_GREEN = re.compile(
    r'scan: (total|class (L|' + U + r'B)) (' + U + r')\+(' + U + r')\+(' + U + r')=(' + U + r') objs, '
    r'(' + U + r')\+(' + U + r')=(' + U + r') spans$')

# --------------------------------------------------------------------------- columns

COLUMNS = {
    'gc': 'gc_num,start_ms,gc_cpu_pct,leak_check,stw_sweepterm_wall_us,scan_wall_us,'
          'installwb_wall_us,mark_wall_us,stw_markterm_wall_us,stw_sweepterm_cpu_us,'
          'scan_cpu_us,installwb_cpu_us,assist_cpu_us,bg_mark_cpu_us,idle_mark_cpu_us,'
          'stw_markterm_cpu_us,heap_start_mib,heap_end_mib,heap_live_mib,heap_goal_mib,'
          'stacks_mib,globals_mib,gomaxprocs,forced,periodic',
    'gc_legacy': 'gc_num,gc_procs,phase1_us,phase2_us,phase3_us,phase4_us,heap_before_mib,'
                 'heap_after_mib,objects,mallocs,frees,goroutines,sweeps_span,sweeps_bg,'
                 'sweeps_pause,handoff,handoff_count,steal,steal_count,yields_a,yields_b,'
                 'yields_c',
    'sched': 't_ms,gomaxprocs,idle_procs,threads,spinning_threads,need_spinning,idle_threads,'
             'global_runq,local_runq_total,detailed,gc_waiting,idle_locked_threads,stop_wait,'
             'sysmon_wait',
    'sched_p': 'sample,p_idx,local_runq,schedtick,status,syscalltick,m_id,gfree_count,'
               'timers_len',
    'sched_m': 'sample,m_id,p_id,cur_goid,mallocing,throwing,preempt_off,locks,dying,helpgc,'
               'spinning,blocked,locked_goid',
    'sched_g': 'sample,goid,status_raw,status,scan_bit,wait_reason,m_id,locked_m_id',
    'scvg': 'scvg_num,forced,released_mib,inuse_mib,idle_mib,sys_mib,released_now_mib,'
            'consumed_mib,released_kib',
    'scav': 'scav_gen,released_kib,released_bg_kib,released_eager_kib,released_now_kib,'
            'util_pct,forced,controller_reset',
    'pacer_start': 'assist_ratio,scan_est_mib,heap_start_mib,heap_goal_mib,dedicated_workers,'
                   'fractional_goal',
    'pacer_end': 'h_m_prev_b,trigger_ratio,trigger_b,actual_ratio,heap_end_b,goal_ratio,goal_b,'
                 'util_actual,util_goal,scan_work_b,goal_delta,actual_delta,util_ratio,'
                 'cpu_util_pct,cpu_util_goal_pct,heap_scan_work_b,stack_scan_work_b,'
                 'globals_scan_work_b,scan_work_exp_b,goal_overshoot_b,cons_mark,'
                 'controller_reset',
    'pacer_sweep': 'heap_mib,alloc_during_sweep_mib,pages_swept,pages_per_byte',
    'scan': 'gc_num,size_class,class_bytes,objs_sparse,objs_span_sparse,objs_span_dense,'
            'objs_total,spans_sparse,spans_dense,spans_total',
}

# --------------------------------------------------------------------------- per-kind rows


def row_gc(m, prev_line):
    (num, at, pct, leak, c1, c2, c3, c4, c5,
     u1, u2, u3, assist, bg, idle, ulast,
     h0, h1, h2, goal, stacks, globs, procs, forced) = m.groups()
    if c4 is None:      # 1.6+: sweep-term + mark + mark-term
        sweep_w, scan_w, iwb_w, mark_w, term_w = c1, None, None, c2, c3
    else:               # 1.5: sweep-term + scan + install-WB + mark + mark-term
        sweep_w, scan_w, iwb_w, mark_w, term_w = c1, c2, c3, c4, c5
    conv = lambda t: None if t is None else ms_to_us(t)
    return [int(num), at_to_ms(at), int(pct), 1 if leak else 0,
            conv(sweep_w), conv(scan_w), conv(iwb_w), conv(mark_w), conv(term_w),
            conv(u1), conv(u2), conv(u3), conv(assist), conv(bg), conv(idle), conv(ulast),
            int(h0), int(h1), int(h2), int(goal), opt_int(stacks), opt_int(globs),
            int(procs), 1 if forced else 0,
            1 if prev_line == 'GC forced' else 0]


def row_gc_legacy(m):
    return [opt_int(g) for g in m.groups()]


def split_ints(text):
    return [int(x) for x in text.split()]


def parse(kind, path, out):
    prev_line = None
    last_gc = None
    sample = 0
    pending_rel = None       # (prefix, released_mib) of the last "MB released" line
    with open(path, 'r', encoding='utf-8', newline='') as fh:
        for raw in fh:
            line = raw.rstrip('\n')
            if line.endswith('\r'):
                line = line[:-1]

            m = RE_GC.match(line)
            if m:
                last_gc = int(m.group(1))
                if kind == 'gc':
                    out.writerow(row_gc(m, prev_line))
                prev_line = line
                continue

            if kind == 'gc_legacy':
                m = RE_GC_LEGACY.match(line)
                if m:
                    out.writerow(row_gc_legacy(m))

            m = RE_SCHED.match(line)
            if m:
                sample += 1
                (t, procs, idlep, thr, spin, need, idlet, gq, runqs, ticks,
                 gcw, nml, nmspin, stopw, sysw) = m.groups()
                detailed = runqs is None
                if spin is None:
                    spin = nmspin
                if kind == 'sched':
                    out.writerow([int(t), int(procs), int(idlep), int(thr), opt_int(spin),
                                  opt_int(need), int(idlet), int(gq),
                                  None if detailed else sum(split_ints(runqs)),
                                  1 if detailed else 0, boolean(gcw), opt_int(nml),
                                  opt_int(stopw), boolean(sysw)])
                elif kind == 'sched_p' and not detailed:
                    qs = split_ints(runqs)
                    ts = split_ints(ticks) if ticks is not None else []
                    for i, q in enumerate(qs):
                        out.writerow([sample, i, q, ts[i] if i < len(ts) else None,
                                      None, None, None, None, None])
                prev_line = line
                continue

            if kind == 'sched_p' and sample:
                m = RE_P.match(line)
                if m:
                    idx, st, tick, sct, mid, rq, gf, tl = m.groups()
                    out.writerow([sample, int(idx), int(rq), int(tick), int(st), int(sct),
                                  id_or_null(mid), int(gf), opt_int(tl)])

            if kind == 'sched_m' and sample:
                m = RE_M.match(line)
                if m:
                    (mid, pid, curg, mall, thr, poff, locks, dying, helpgc,
                     spin, blk, lockedg) = m.groups()
                    out.writerow([sample, int(mid), id_or_null(pid), id_or_null(curg),
                                  int(mall), int(thr), poff, int(locks), int(dying),
                                  opt_int(helpgc), boolean(spin), boolean(blk),
                                  id_or_null(lockedg)])
                m = RE_M_OLD.match(line)
                if m:
                    (mid, pid, curg, mall, thr, locks, dying, helpgc,
                     spin, blk, lockedg) = m.groups()
                    out.writerow([sample, int(mid), id_or_null(pid), id_or_null(curg),
                                  int(mall), int(thr), None, int(locks), int(dying),
                                  int(helpgc), boolean(spin), boolean(blk),
                                  id_or_null(lockedg)])

            if kind == 'sched_g' and sample:
                m = RE_G.match(line)
                if m:
                    goid, st, reason, mid, lockedm = m.groups()
                    raw_st = int(st)
                    out.writerow([sample, int(goid), raw_st, raw_st & 0xfff,
                                  1 if raw_st & 0x1000 else 0, reason,
                                  id_or_null(mid), id_or_null(lockedm)])

            if kind == 'scvg':
                m = RE_SCVG_REL.match(line)
                if m:
                    n = int(m.group(3))
                    # KB: released_kib exact, released_mib truncated as the MB form prints
                    pending_rel = ((m.group(1), n, None) if m.group(4) == 'MB'
                                   else (m.group(1), n // 1024, n))
                m = RE_SCVG_USE.match(line)
                if m:
                    prefix, num = m.group(1), m.group(2)
                    rel = rel_kib = None
                    if pending_rel is not None and pending_rel[0] == prefix:
                        rel, rel_kib = pending_rel[1], pending_rel[2]
                    pending_rel = None
                    forced = prefix.startswith('forced ') or num == '-1'
                    out.writerow([opt_int(num), 1 if forced else 0, rel]
                                 + [int(g) for g in m.groups()[2:]] + [rel_kib])

            if kind == 'scav':
                m = RE_SCAV_OLD.match(line)
                if m:
                    gen, work, total, util, tail = m.groups()
                    out.writerow([opt_int(gen), int(work), None, None, int(total), int(util),
                                  1 if tail == ' (forced)' else 0,
                                  1 if tail == ' [controller reset]' else 0])
                m = RE_SCAV_NEW.match(line)
                if m:
                    bg, eager, now, util, tail = m.groups()
                    out.writerow([None, int(bg) + int(eager), int(bg), int(eager), int(now),
                                  int(util), 1 if tail == ' (forced)' else 0,
                                  1 if tail == ' [controller reset]' else 0])

            if kind == 'pacer_start':
                m = RE_PACER_START.match(line)
                if m:
                    ratio, scan, h0, goal, ded, frac = m.groups()
                    out.writerow([flt(ratio), int(scan), int(h0), int(goal), int(ded),
                                  flt(frac)])

            if kind == 'pacer_end':
                m = RE_PACER_OLD.match(line)
                if m:
                    (hmp, ht, HT, ha, Ha, hg, Hg, ua, ug, Wa, gd, ad, uaug) = m.groups()
                    out.writerow([int(hmp), flt(ht), int(HT), flt(ha), int(Ha), flt(hg),
                                  int(Hg), flt(ua), flt(ug), int(Wa), flt(gd), flt(ad),
                                  flt(uaug)] + [None] * 9)
                m = RE_PACER_NEW.match(line)
                if m:
                    (cpu, exp, hw, sw, gw, wexp, trig, hend, dgoal, cm, reset) = m.groups()
                    out.writerow([None, None, int(trig), None, int(hend), None, None,
                                  None, None, None, None, None, None,
                                  int(cpu), int(exp), int(hw), int(sw), int(gw), int(wexp),
                                  int(dgoal), flt(cm), 1 if reset else 0])

            if kind == 'pacer_sweep':
                m = RE_PACER_SWEEP.match(line)
                if m:
                    heap, alloc, pages, ppb = m.groups()
                    out.writerow([int(heap), int(alloc), int(pages), flt(ppb)])

            if kind == 'scan':
                m = RE_SCAN_PLAIN.match(line)
                if m:
                    what, cls, total = m.groups()
                    out.writerow([last_gc] + size_class(what, cls)
                                 + [None, None, None, int(total), None, None, None])
                m = RE_SCAN_GREEN.match(line)
                if m:
                    what, cls = m.group(1), m.group(2)
                    out.writerow([last_gc] + size_class(what, cls)
                                 + [int(g) for g in m.groups()[2:]])

            prev_line = line


def size_class(what, cls):
    """-> [size_class, class_bytes]: total/NULL, L/0, 16B/16."""
    if what == 'total':
        return ['total', None]
    if cls == 'L':
        return ['L', 0]
    return [cls, int(cls[:-1])]


def cell(v):
    if v is None:
        return ''
    if isinstance(v, float):
        return repr(v)
    return v


class Writer:
    def __init__(self, stream):
        self.w = csv.writer(stream, lineterminator='\n')

    def writerow(self, row):
        self.w.writerow([cell(v) for v in row])


def main(argv):
    if hasattr(signal, 'SIGPIPE'):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)   # quiet under `| head`
    if len(argv) < 3 or argv[1] not in COLUMNS:
        sys.stderr.write('usage: refparse.py KIND FILE...\nKIND: %s\n'
                         % ' '.join(COLUMNS))
        return 2
    kind = argv[1]
    out = Writer(sys.stdout)
    sys.stdout.write(COLUMNS[kind] + '\n')
    for path in argv[2:]:
        parse(kind, path, out)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
