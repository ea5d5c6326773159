#!/usr/bin/env python3
"""reportcheck.py OUTDIR NAME=PAGE=LOG=TRUTH ...: tracestat report as a person sees it.

Opens each PAGE in headless Chromium (Debian's chromium, through the
DevTools protocol on a pipe: JSON messages ended by NUL bytes on fds 3 and
4), and checks that
  - every image decodes and has the size it declares (natural size = the
    width and height attributes);
  - the key figures in the DOM are those computed here from LOG through
    tests/refparse.py and tests/schedref.py (independently of tracestat's
    C code), and their verdicts those of the sample's TRUTH file or of the
    definitions (GC CPU over 25%, any cycle over 100 us);
  - the context shows the Go version and GODEBUG of TRUTH (the test gives
    them to ingest as labels);
  - the plots start near the top, every figure links to one definition;
  - the page makes no network request and logs no error.
A full-page screenshot of each page, 1280 pixels wide, goes to
OUTDIR/NAME.png.  Exits non-zero with the reasons on any failure.
"""

import base64
import csv
import fcntl
import io
import json
import math
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
WIDTH = 1280
TIMEOUT_S = 90
OVER_US = 100.0


# ------------------------------------------------------------ references

def rows(script, *args):
    out = subprocess.run([sys.executable, os.path.join(HERE, script)] + list(args),
                         check=True, capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(out)))


def num(r, k):
    v = r.get(k, '')
    return None if v == '' else int(v)


def percentile7(values, p):
    v = sorted(values)
    h = (len(v) - 1) * p / 100.0
    lo = math.floor(h)
    if lo + 1 >= len(v):
        return v[-1]
    return v[lo] + (h - lo) * (v[lo + 1] - v[lo])


def duration(us):
    """A duration as tracestat-report(1) writes it."""
    if us != 0 and abs(us) < 0.5:
        return '%.2g µs' % us
    if abs(us) < 999.5:
        return '%.0f µs' % us
    if abs(us) < 999995:
        return '%.2f ms' % (us / 1e3)
    return '%.2f s' % (us / 1e6)


def expected(log):
    """The key figures of the one segment of LOG, by their definitions."""
    gc = rows('refparse.py', 'gc', log)
    e = {}
    # GC CPU: CPU time of cycle n over GOMAXPROCS(n) x (start(n+1) - start(n)),
    # summed before dividing; idle marking left out.
    used = cap = 0.0
    for a, b in zip(gc, gc[1:]):
        t0, t1, p = num(a, 'start_ms'), num(b, 'start_ms'), num(a, 'gomaxprocs')
        if t0 is None or t1 is None or p is None or t1 <= t0 or p < 1:
            continue
        cap += p * (t1 - t0) * 1000.0
        used += sum(num(a, k) or 0 for k in (
            'stw_sweepterm_cpu_us', 'scan_cpu_us', 'assist_cpu_us',
            'bg_mark_cpu_us', 'stw_markterm_cpu_us'))
    e['gc-cpu'] = 100 * used / cap
    # Pauses: cycles with both wall phases.
    valid = [r for r in gc if num(r, 'stw_sweepterm_wall_us') is not None
             and num(r, 'stw_markterm_wall_us') is not None]
    # a cycle's pause: the longer of its two stop-the-world phases
    pause = [max(num(r, 'stw_sweepterm_wall_us'), num(r, 'stw_markterm_wall_us')) for r in valid]
    e['pause-p99'] = percentile7(pause, 99)
    e['pause-max'] = max(pause)
    e['cycles-over'] = sum(1 for r in valid
                           if num(r, 'stw_sweepterm_wall_us') > OVER_US
                           or num(r, 'stw_markterm_wall_us') > OVER_US)
    # Heap: cycles with a time and all four sizes.
    heap = [r for r in gc if num(r, 'start_ms') is not None and all(
        num(r, k) is not None for k in ('heap_start_mib', 'heap_end_mib',
                                        'heap_live_mib', 'heap_goal_mib'))]
    e['peak-heap'] = max(num(r, 'heap_live_mib') for r in heap)
    alloc = ms = 0
    for a, b in zip(heap, heap[1:]):
        if num(b, 'gc_num') == num(a, 'gc_num') + 1 and num(b, 'start_ms') > num(a, 'start_ms'):
            alloc += (num(a, 'heap_end_mib') - num(a, 'heap_start_mib')) + \
                (num(b, 'heap_start_mib') - num(a, 'heap_live_mib'))
            ms += num(b, 'start_ms') - num(a, 'start_ms')
    e['alloc-rate'] = alloc * 1000.0 / ms
    # GC frequency: cycles with a start and a P count.
    timed = [num(r, 'start_ms') for r in gc
             if num(r, 'start_ms') is not None and (num(r, 'gomaxprocs') or 0) >= 1]
    e['gc-frequency'] = (len(timed) - 1) / ((timed[-1] - timed[0]) / 1000.0)
    s = rows('schedref.py', 'summary', log)[0]
    e['saturated'] = 100 * float(s['saturated_share'])
    e['threads-text'] = '%s-%s' % (s['threads_min'], s['threads_max'])
    return e


def truth(path):
    t = {}
    for line in open(path):
        if '=' in line and not line.startswith('#'):
            k, v = line.rstrip('\n').split('=', 1)
            t[k] = v
    return t


# ---------------------------------------------------------------- chromium

class Browser:
    def __init__(self, profile):
        r_in, w_in = os.pipe()
        r_out, w_out = os.pipe()

        def fds():
            a = fcntl.fcntl(r_in, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(w_out, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)
        argv = [shutil.which('chromium'), '--headless=new', '--disable-gpu',
                '--remote-debugging-pipe', '--user-data-dir=' + profile,
                '--no-first-run', '--no-default-browser-check',
                '--disable-extensions', '--disable-background-networking',
                '--disable-component-update', '--disable-sync', 'about:blank']
        if os.geteuid() == 0:
            argv.insert(1, '--no-sandbox')
        self.log = open(os.path.join(profile, 'stderr'), 'wb')
        self.proc = subprocess.Popen(argv, close_fds=False, preexec_fn=fds,
                                     stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=self.log)
        os.close(r_in)
        os.close(w_out)
        self.w, self.r = w_in, r_out
        self.buf = b''
        self.n = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.n += 1
        m = {'id': self.n, 'method': method, 'params': params or {}}
        if session:
            m['sessionId'] = session
        os.write(self.w, json.dumps(m).encode() + b'\0')
        return self.n

    def recv(self, deadline):
        while b'\0' not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.r], [], [], left)[0]:
                raise SystemExit('chromium: no answer in %d s' % TIMEOUT_S)
            d = os.read(self.r, 1 << 20)
            if not d:
                raise SystemExit('chromium closed the pipe (see its stderr)')
            self.buf += d
        i = self.buf.index(b'\0')
        m = json.loads(self.buf[:i])
        self.buf = self.buf[i + 1:]
        return m

    def call(self, method, params=None, session=None):
        i = self.send(method, params, session)
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            m = self.recv(deadline)
            if m.get('id') == i:
                if 'error' in m:
                    raise SystemExit('chromium: %s: %s' % (method, m['error']))
                return m['result']
            if 'method' in m:
                self.events.append(m)

    def wait_event(self, name):
        deadline = time.monotonic() + TIMEOUT_S
        for k, m in enumerate(self.events):
            if m.get('method') == name:
                del self.events[k]
                return m
        while True:
            m = self.recv(deadline)
            if m.get('method') == name:
                return m
            if 'method' in m:
                self.events.append(m)

    def close(self):
        try:
            self.call('Browser.close')
            self.proc.wait(timeout=20)
        except Exception:
            self.proc.kill()
            self.proc.wait()


DOM = r'''(async () => {
  const imgs = [];
  for (const im of document.images) {
    let ok = true, err = '';
    try { await im.decode(); } catch (e) { ok = false; err = String(e); }
    imgs.push({ok, err, nw: im.naturalWidth, nh: im.naturalHeight,
               w: im.getAttribute('width'), h: im.getAttribute('height'),
               shown: im.getBoundingClientRect().width,
               scheme: im.src.split(':')[0]});
  }
  const figs = {};
  for (const el of document.querySelectorAll('[data-figure]')) {
    const badge = el.parentElement.querySelector('.verdict .v');
    figs[el.dataset.figure] = {value: el.dataset.value === undefined ? null : Number(el.dataset.value),
      text: el.textContent,
      cls: badge ? [...badge.classList].filter(c => c !== 'v')[0] : null,
      verdict: badge ? badge.textContent : null};
  }
  const ctx = {};
  for (const tr of document.querySelectorAll('#context tr'))
    ctx[tr.cells[0].textContent] = tr.cells[1].textContent;
  const defs = [...document.querySelectorAll('dl.defs dt')].map(d => d.id);
  const links = [...document.querySelectorAll('a[href^="#def-"]')].map(a => a.getAttribute('href').slice(1));
  return {imgs, figs, ctx, defs, links,
          plots: document.querySelectorAll('figure.plot').length,
          plotsTop: document.getElementById('plots').getBoundingClientRect().top + scrollY,
          height: document.documentElement.scrollHeight,
          external: [...document.querySelectorAll('link[href],script[src],iframe,object,embed')].length};
})()'''


def close(a, b, tol):
    return a is not None and abs(a - b) <= tol


def check_page(br, outdir, name, page, log, truth_path):
    fails = []
    t = truth(truth_path)
    e = expected(log)
    url = 'file://' + os.path.abspath(page)
    target = br.call('Target.createTarget', {'url': 'about:blank'})['targetId']
    s = br.call('Target.attachToTarget', {'targetId': target, 'flatten': True})['sessionId']
    for domain in ('Page', 'Runtime', 'Network', 'Log'):
        br.call(domain + '.enable', None, s)
    br.call('Emulation.setDeviceMetricsOverride', {
        'width': WIDTH, 'height': 900, 'deviceScaleFactor': 1, 'mobile': False}, s)
    br.events = []
    br.call('Page.navigate', {'url': url}, s)
    br.wait_event('Page.loadEventFired')
    d = br.call('Runtime.evaluate', {'expression': DOM, 'awaitPromise': True,
                                     'returnByValue': True}, s)
    if 'exceptionDetails' in d:
        raise SystemExit('%s: the DOM check threw: %s' % (name, d['exceptionDetails']))
    d = d['result']['value']
    shot = br.call('Page.captureScreenshot', {
        'format': 'png', 'captureBeyondViewport': True,
        'clip': {'x': 0, 'y': 0, 'width': WIDTH, 'height': d['height'], 'scale': 1}}, s)
    png = base64.b64decode(shot['data'])
    with open(os.path.join(outdir, name + '.png'), 'wb') as f:
        f.write(png)
    if png[:8] != b'\x89PNG\r\n\x1a\n' or len(png) < 10000:
        fails.append('the screenshot is not a picture of the page')
    # What happened while it loaded: requests, console, exceptions.
    for m in br.events:
        if m.get('sessionId') != s:
            continue
        p = m.get('params', {})
        if m['method'] == 'Network.requestWillBeSent':
            u = p['request']['url']
            if u != url and not u.startswith('data:'):
                fails.append('a network request: %s' % u[:120])
        elif m['method'] == 'Runtime.exceptionThrown':
            fails.append('exception: %s' % p['exceptionDetails'].get('text'))
        elif m['method'] == 'Runtime.consoleAPICalled' and p['type'] in ('error', 'warning', 'assert'):
            fails.append('console %s: %s' % (p['type'], p['args']))
        elif m['method'] == 'Log.entryAdded' and p['entry']['level'] in ('error', 'warning'):
            fails.append('log %s: %s' % (p['entry']['level'], p['entry']['text']))
    if d['external']:
        fails.append('%d external resources (link, script, iframe...)' % d['external'])
    # Images: decoded, their declared size.
    if len(d['imgs']) < 4 or len(d['imgs']) != d['plots']:
        fails.append('%d images for %d plots' % (len(d['imgs']), d['plots']))
    for k, im in enumerate(d['imgs']):
        if not im['ok'] or im['scheme'] != 'data':
            fails.append('image %d: %s (%s)' % (k + 1, im['err'] or 'not inline', im['scheme']))
        if not (im['w'] and im['h'] and im['nw'] == int(im['w']) and im['nh'] == int(im['h'])
                and im['nw'] > 0 and im['shown'] > 0):
            fails.append('image %d: natural %sx%s, declared %sx%s, shown %s wide' % (
                k + 1, im['nw'], im['nh'], im['w'], im['h'], im['shown']))
    if d['plotsTop'] > 1500:
        fails.append('the plots start %d px down' % d['plotsTop'])
    # Definitions: each once, each link to one.
    if len(set(d['defs'])) != len(d['defs']):
        fails.append('a definition twice: %s' % d['defs'])
    for l in d['links']:
        if l not in d['defs']:
            fails.append('a link to no definition: %s' % l)
    # Context.
    if t['go_version'] not in d['ctx'].get('Go version', ''):
        fails.append('Go version %r, truth %s' % (d['ctx'].get('Go version'), t['go_version']))
    if d['ctx'].get('GODEBUG') != t['godebug']:
        fails.append('GODEBUG %r, truth %s' % (d['ctx'].get('GODEBUG'), t['godebug']))
    # Key figures against the reference.
    f = d['figs']
    tol = {'gc-cpu': 0.0005, 'pause-p99': 1e-6, 'pause-max': 0, 'cycles-over': 0,
           'peak-heap': 0, 'alloc-rate': 1e-9 * e['alloc-rate'],
           'gc-frequency': 1e-9 * e['gc-frequency'], 'saturated': 0.006}
    for k, tl in tol.items():
        if k not in f or not close(f[k]['value'], e[k], tl):
            fails.append('%s: page %r, computed %r' % (k, f.get(k), e[k]))
    text = {'gc-cpu': '%.1f%%' % e['gc-cpu'], 'pause-p99': duration(e['pause-p99']),
            'pause-max': duration(e['pause-max']), 'cycles-over': str(e['cycles-over']),
            'peak-heap': '%d MiB' % e['peak-heap'], 'alloc-rate': '%.1f MiB/s' % e['alloc-rate'],
            'gc-frequency': '%.2f /s' % e['gc-frequency'], 'threads': e['threads-text']}
    for k, want in text.items():
        if f.get(k, {}).get('text') != want:
            fails.append('%s shows %r, computed %r' % (k, f.get(k, {}).get('text'), want))
    # One definition for the three pause figures: the max is over the
    # threshold exactly when a cycle is counted over.
    if 'pause-max' in f and 'cycles-over' in f and \
            (f['pause-max']['value'] > OVER_US) != (f['cycles-over']['value'] > 0):
        fails.append('pause max %r beside %r cycles over' % (
            f['pause-max']['text'], f['cycles-over']['text']))
    # Verdicts: the truth file, or the definitions.
    want = {'gc-cpu': 'bad' if e['gc-cpu'] > 25 else 'good',
            'cycles-over': 'bad' if e['cycles-over'] > 0 else 'good',
            'saturated': 'good' if e['saturated'] == 0 else 'bad' if e['saturated'] >= 50 else 'warn'}
    for k, cls in want.items():
        if f.get(k, {}).get('cls') != cls:
            fails.append('%s verdict %r, by its definition %s' % (k, f.get(k), cls))
    if t.get('saturated_expected') == 'yes' and f['saturated']['cls'] not in ('warn', 'bad'):
        fails.append('saturated by design, verdict %r' % f['saturated'])
    for k, key in (('peak-heap', 'verdict_expected'), ('threads', 'threads_expected'),
                   ('stacks', 'stacks_verdict_expected')):
        if key in t and f.get(k, {}).get('verdict') != t[key]:
            fails.append('%s verdict %r, truth %s' % (k, f.get(k), t[key]))
    for k, v in f.items():
        if v['cls'] == 'unknown' and v['verdict'] not in ('unknown', 'inconclusive'):
            fails.append('%s: a grey badge for %r' % (k, v['verdict']))
    br.call('Target.closeTarget', {'targetId': target})
    return ['%s: %s' % (name, x) for x in fails]


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    profile = tempfile.mkdtemp(prefix='tracestat-chromium.')
    br = Browser(profile)
    fails = []
    try:
        br.call('Target.setDiscoverTargets', {'discover': False})
        for spec in sys.argv[2:]:
            name, page, log, truth_path = spec.split('=')
            fails += check_page(br, outdir, name, page, log, truth_path)
    finally:
        br.close()
        shutil.rmtree(profile, ignore_errors=True)
    for x in fails:
        print(x)
    if fails:
        sys.exit(1)
    print('%d pages as a person sees them; screenshots in %s' % (len(sys.argv) - 2, outdir))


main()
