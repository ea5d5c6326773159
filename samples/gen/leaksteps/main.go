// leaksteps: a leak that grows in steps (bursts) under steady garbage.
//
// Behaviour (defaults; GOMAXPROCS=2, 60 s):
//   - baseline live set: 8 MiB kept for the whole run;
//   - every 6 s (first at t=3 s) a burst retains 12 MiB at once (192 chunks
//     of 64 KiB appended to a global slice, never freed): average leak
//     2 MiB/s, but flat between the steps; 10 steps -> 120 MiB;
//   - garbage: 2 x 40 MiB/s in 4 KiB objects (80 MiB/s).
//
// Truth: step_bytes=12582912, step_period_s=6, steps_done, step_times_ms
// (ms since program start, comma separated), leak_bytes_per_s=2097152 (the
// average), verdict_expected=leak, leak_shape=steps.
package main

import (
	"flag"
	"fmt"
	"runtime"
	"strings"
	"time"

	"tracestatgen/internal/truth"
)

const (
	chunk     = 64 << 10
	stepBytes = 12 << 20
	period    = 6 * time.Second
	firstAt   = 3 * time.Second
)

var (
	base   [][]byte
	leaked [][]byte
)

func main() {
	flag.Parse()
	dur := truth.Dur(60 * time.Second)
	t := truth.New("leaksteps", "leak in steps: +12 MiB retained every 6 s (first at 3 s), flat in between, under 80 MiB/s of garbage")
	for i := 0; i < 128; i++ {
		b := make([]byte, chunk)
		truth.Touch(b)
		base = append(base, b)
	}
	t.Set("design_duration_s", dur.Seconds())
	t.Set("baseline_live_bytes", 128*chunk)
	t.Set("step_bytes", stepBytes)
	t.Set("step_period_s", period.Seconds())
	t.Set("first_step_s", firstAt.Seconds())
	t.Set("leak_bytes_per_s", int64(stepBytes/period.Seconds()))
	t.Set("garbage_bytes_per_s", 80<<20)
	t.Set("verdict_expected", "leak")
	t.Set("leak_shape", "steps")
	t.Set("threads_expected", "stable")
	t.Set("saturated_expected", "no")
	t.StartSampler()

	stop := make(chan struct{})
	done := make(chan int64, 2)
	go truth.Garbage(40<<20, 4096, stop, done)
	go truth.Garbage(40<<20, 4096, stop, done)

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	h0 := ms.HeapAlloc
	end := time.After(dur)
	next := time.After(firstAt)
	var times []string
loop:
	for {
		select {
		case <-end:
			break loop
		case <-next:
			times = append(times, fmt.Sprint(t.SinceStartMs()))
			for k := 0; k < stepBytes/chunk; k++ {
				b := make([]byte, chunk)
				truth.Touch(b)
				leaked = append(leaked, b)
			}
			next = time.After(period)
		}
	}
	close(stop)
	var g int64
	for k := 0; k < 2; k++ {
		g += <-done
	}
	runtime.ReadMemStats(&ms)
	t.Set("steps_done", len(times))
	t.Set("step_times_ms", strings.Join(times, ","))
	t.Set("retained_bytes_end", int64(len(leaked))*chunk)
	t.Set("heap_alloc_leak_start", h0)
	t.Set("heap_alloc_leak_end", ms.HeapAlloc)
	t.Set("garbage_bytes_total", g)
	t.StopSampler(0)
	t.Finish(300 * time.Millisecond)
}
