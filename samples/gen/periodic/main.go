// periodic: an idle program that lives long enough (default 140 s) for the
// runtime's periodic GC (sysmon's forcegc, every 2 minutes without a GC).
//
// Behaviour: at start it allocates 12 MiB of short-lived garbage (4 KiB
// objects) so that a few ordinary GC cycles happen in the first second, then
// it allocates nothing and sleeps until the end.  About 120 s after the last
// ordinary cycle the runtime prints "GC forced" followed by a gc line WITHOUT
// the "(forced)" suffix (that suffix is only for runtime.GC()).
//
// Truth: num_gc_after_warmup = NumGC after the warm-up; periodic_gc_observed
// = NumGC(end) - num_gc_after_warmup (every cycle after the warm-up is a
// periodic one because nothing allocates); num_forced_gc = 0 (NumForcedGC does
// not count periodic cycles).  Run with schedtrace>0 so sysmon never falls into
// its long idle sleep (otherwise the periodic GC may come up to 60 s late).
package main

import (
	"flag"
	"runtime"
	"time"

	"tracestatgen/internal/truth"
)

var sink []byte

func main() {
	flag.Parse()
	dur := truth.Dur(140 * time.Second)
	t := truth.New("periodic", "idle program; expect exactly one \"GC forced\" line followed by its gc line ~120 s after the warm-up cycles")
	t.Set("design_duration_s", dur.Seconds())
	t.Set("warmup_garbage_bytes", 12<<20)
	for i := 0; i < (12<<20)/4096; i++ {
		sink = make([]byte, 4096)
		truth.Touch(sink)
	}
	sink = nil
	time.Sleep(500 * time.Millisecond)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Set("num_gc_after_warmup", ms.NumGC)
	t.Set("last_warmup_gc_end_ms_since_start", time.Unix(0, int64(ms.LastGC)).Sub(t.Start).Milliseconds())
	t.Set("periodic_gc_expected_after_ms", time.Unix(0, int64(ms.LastGC)).Sub(t.Start).Milliseconds()+120000)
	t.Set("periodic_gc_expected", int64(dur/(120*time.Second)))
	warm := ms.NumGC
	time.Sleep(dur - t.SinceStartDur())
	runtime.ReadMemStats(&ms)
	t.Set("periodic_gc_observed", ms.NumGC-warm)
	t.Set("gc_forced_lines_expected", ms.NumGC-warm)
	t.Set("verdict_expected", "no-leak")
	t.Finish(200 * time.Millisecond)
}
