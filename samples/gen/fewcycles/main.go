// fewcycles: runs that leave only about ten gc cycles, in three shapes
// chosen with -shape (one program, so the three logs differ only in the
// shape of the live heap).
//
//   - map (samples/fastleak): a map[int64]int64 grows by 500,000 entries
//     a second (the rate kept exact against the clock, in 10 ms ticks) and is
//     never shrunk; nothing else allocates.  The live heap roughly doubles
//     between cycles (GOGC=100), so 30 s leave about 9 cycles, the last near
//     600 MB.  verdict_expected=leak.
//   - flat (samples/fewflat): a 16 MiB live set kept for the whole run, plus
//     4 MiB/s of short-lived garbage in 4 KiB objects: a cycle every ~4 s
//     after start-up.  verdict_expected=no-leak.
//   - saw (samples/fewsaw): 8 MiB kept, plus a cache that grows 4 MiB/s
//     (8 entries of 64 KiB every 125 ms) and is dropped every 6 s (5 teeth in
//     30 s), plus 2 MiB/s of garbage.  verdict_expected=no-leak.
//
// Truth: the shape's design constants, its own counters, and the post-GC
// HeapAlloc of every cycle (postgc_list: seconds since main:bytes, the
// first 10 ms poll after NumGC changed; see internal/truth).
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"tracestatgen/internal/truth"
)

var shape = flag.String("shape", "map", "map, flat or saw")

var (
	base  [][]byte
	grown map[int64]int64
	cache [][]byte
)

func keep(n int, size int) {
	for i := 0; i < n; i++ {
		b := make([]byte, size)
		truth.Touch(b)
		base = append(base, b)
	}
}

func main() {
	flag.Parse()
	dur := truth.Dur(30 * time.Second)
	var t *truth.File
	switch *shape {
	case "map":
		t = truth.New("fastleak", "a map growing by 500,000 entries/s for 30 s: a leak that leaves about 9 gc cycles")
	case "flat":
		t = truth.New("fewflat", "16 MiB kept, 4 MiB/s of garbage: a flat heap with about 10 gc cycles in 30 s")
	case "saw":
		t = truth.New("fewsaw", "8 MiB kept, a cache growing 4 MiB/s dropped every 6 s, 2 MiB/s of garbage: about 10 gc cycles in 30 s")
	default:
		fmt.Fprintln(os.Stderr, "fewcycles: -shape takes map, flat or saw")
		os.Exit(2)
	}
	t.Set("shape", *shape)
	t.Set("design_duration_s", dur.Seconds())
	t.Set("threads_expected", "stable")
	t.Set("saturated_expected", "no")
	t.StartSampler()

	stop := make(chan struct{})
	done := make(chan int64, 1)
	garbage := 0
	switch *shape {
	case "flat":
		keep(256, 64<<10)
		garbage = 4 << 20
		t.Set("baseline_live_bytes", 256*(64<<10))
		t.Set("leak_bytes_per_s", 0)
		t.Set("verdict_expected", "no-leak")
	case "saw":
		keep(128, 64<<10)
		garbage = 2 << 20
		t.Set("baseline_live_bytes", 128*(64<<10))
		t.Set("cache_growth_bytes_per_s", 4<<20)
		t.Set("cycle_period_s", 6)
		t.Set("leak_bytes_per_s", 0)
		t.Set("verdict_expected", "no-leak")
		t.Set("memory_shape", "sawtooth")
	default:
		t.Set("entries_per_s", 500000)
		t.Set("entry_key_value_bytes", 8+8)
		t.Set("verdict_expected", "leak")
	}
	t.Set("garbage_bytes_per_s", garbage)
	if garbage > 0 {
		go truth.Garbage(garbage, 4096, stop, done)
	}

	start := time.Now()
	end := time.After(dur)
	tick := 10 * time.Millisecond
	if *shape == "saw" {
		tick = 125 * time.Millisecond
	}
	tk := time.NewTicker(tick)
	grown = map[int64]int64{}
	var n int64
	var clears []string
	lastClear := start
	last := start
loop:
	for {
		select {
		case <-end:
			break loop
		case now := <-tk.C:
			switch *shape {
			case "map":
				// As many entries as the clock says, so a late tick
				// catches up and the rate stays 500,000/s.
				want := int64(now.Sub(start).Seconds() * 500000)
				for ; n < want; n++ {
					grown[n] = n * 7
				}
				last = now
			case "saw":
				if now.Sub(lastClear) >= 6*time.Second {
					cache = nil
					lastClear = now
					clears = append(clears, fmt.Sprint(t.SinceStartMs()))
				}
				for k := 0; k < 8; k++ {
					cache = append(cache, mk())
				}
			}
		}
	}
	tk.Stop()
	close(stop)
	if garbage > 0 {
		t.Set("garbage_bytes_total", <-done)
	}
	switch *shape {
	case "map":
		t.Set("entries_end", len(grown))
		t.Set("entries_measured_per_s", fmt.Sprintf("%.0f", float64(len(grown))/last.Sub(start).Seconds()))
	case "saw":
		t.Set("clears_done", len(clears))
		t.Set("clear_times_ms", strings.Join(clears, ","))
	}
	t.StopSampler(0)
	t.SetPostGCList("postgc_list")
	t.Finish(300 * time.Millisecond)
}

// mk is one 64 KiB cache entry, touched.
func mk() []byte {
	b := make([]byte, 64<<10)
	truth.Touch(b)
	return b
}
