// forced: explicit collections at known moments.
//
// Behaviour (defaults, 20 s; background: one goroutine allocating 24 MiB/s of
// 4 KiB garbage over a 4 MiB live set, so ordinary cycles happen too):
//   - runtime.GC() at t = 2, 4, 6, 8, 10 s (5 calls);
//   - at t = 11 s a 192 MiB block is allocated and touched (page faults make
//     this take ~0.5 s), and released (made unreachable) at t = 11.5 s or as
//     soon as the allocation is done;
//   - debug.FreeOSMemory() at t = 12, 15, 18 s (3 calls; each runs a forced
//     GC and then returns all free memory to the OS: "scav ... (forced)"
//     lines with scavtrace=1, the first one releasing ~192 MiB);
//
// Run with GODEBUG=gctrace=1,scavtrace=1,gcpacertrace=1.
//
// Truth: gc_calls=5, free_os_memory_calls=3, num_forced_gc (NumForcedGC;
// expected 8 = 5 + 3), gc_call_ms / free_os_memory_call_ms = the moment each
// call was made, ms since program start (gc lines print '@' = cycle start in
// s since runtime init, a few ms earlier than the program's start).
// Known go1.19 quirk (issue #52515): "(forced)" can land on the line of the
// cycle that was finishing when runtime.GC() was called, and be missing from
// the forced cycle's own line; the count of "(forced)" lines is still
// usually 8.
package main

import (
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"tracestatgen/internal/truth"
)

var (
	base [][]byte
	big  []byte
)

func main() {
	flag.Parse()
	t := truth.New("forced", "runtime.GC() at 2,4,6,8,10 s; 192 MiB allocated at 11 s and dropped at 11.5 s; debug.FreeOSMemory() at 12,15,18 s; 24 MiB/s background garbage")
	for i := 0; i < 64; i++ {
		b := make([]byte, 64<<10)
		truth.Touch(b)
		base = append(base, b)
	}
	t.Set("design_duration_s", 20)
	t.Set("garbage_bytes_per_s", 24<<20)
	t.Set("baseline_live_bytes", 64*(64<<10))
	t.Set("big_block_bytes", 192<<20)
	t.Set("gc_calls", 5)
	t.Set("free_os_memory_calls", 3)
	t.Set("num_forced_gc_expected", 8)
	t.Set("verdict_expected", "no-leak")
	stop := make(chan struct{})
	done := make(chan int64, 1)
	go truth.Garbage(24<<20, 4096, stop, done)

	at := func(s float64) {
		d := time.Duration(s*float64(time.Second)) - t.SinceStartDur()
		if d > 0 {
			time.Sleep(d)
		}
	}
	var gcMs, freeMs, gcDurUs, freeDurUs []string
	for _, s := range []float64{2, 4, 6, 8, 10} {
		at(s)
		gcMs = append(gcMs, fmt.Sprint(t.SinceStartMs()))
		t0 := time.Now()
		runtime.GC()
		gcDurUs = append(gcDurUs, fmt.Sprint(time.Since(t0).Microseconds()))
	}
	at(11)
	t.Set("big_alloc_start_ms", t.SinceStartMs())
	big = make([]byte, 192<<20)
	truth.Touch(big)
	t.Set("big_alloc_done_ms", t.SinceStartMs())
	at(11.5)
	big = nil
	t.Set("big_drop_ms", t.SinceStartMs())
	for _, s := range []float64{12, 15, 18} {
		at(s)
		freeMs = append(freeMs, fmt.Sprint(t.SinceStartMs()))
		t0 := time.Now()
		debug.FreeOSMemory()
		freeDurUs = append(freeDurUs, fmt.Sprint(time.Since(t0).Microseconds()))
	}
	at(20)
	close(stop)
	t.Set("garbage_bytes_total", <-done)
	t.Set("gc_call_ms", strings.Join(gcMs, ","))
	t.Set("gc_call_duration_us", strings.Join(gcDurUs, ","))
	t.Set("free_os_memory_call_ms", strings.Join(freeMs, ","))
	t.Set("free_os_memory_call_duration_us", strings.Join(freeDurUs, ","))
	t.Set("scav_forced_lines_expected", 3)
	t.Finish(300 * time.Millisecond)
}
