// sawtooth: a cache that grows for 5 s and is then cleared, over and over,
// plus steady garbage.  Memory goes up and down; NOT a leak.
//
// Behaviour (defaults; GOMAXPROCS=2, 60 s):
//   - baseline live set: 4 MiB kept for the whole run;
//   - cache: every 100 ms, 26 entries of 32 KiB are added (~8.1 MiB/s); at
//     the end of every 5 s cycle the cache is dropped (map set to nil), so
//     the retained cache goes 0 -> ~40 MiB -> 0, 12 cycles in 60 s;
//   - garbage: 2 x 32 MiB/s in 4 KiB objects (64 MiB/s).
//
// Truth: cycle_period_s=5, cache_growth_bytes_per_s, cache_peak_bytes,
// clears_done, clear_times_ms, leak_bytes_per_s=0, verdict_expected=no-leak.
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
	entry        = 32 << 10
	perTick      = 26
	tick         = 100 * time.Millisecond
	cyclePeriod  = 5 * time.Second
	ticksInCycle = int(cyclePeriod / tick)
)

var (
	base  [][]byte
	cache map[int][]byte
)

func main() {
	flag.Parse()
	dur := truth.Dur(60 * time.Second)
	t := truth.New("sawtooth", "cache grows ~8 MiB/s for 5 s then is cleared, repeatedly, plus 64 MiB/s garbage; not a leak")
	for i := 0; i < 64; i++ {
		b := make([]byte, 64<<10)
		truth.Touch(b)
		base = append(base, b)
	}
	t.Set("design_duration_s", dur.Seconds())
	t.Set("baseline_live_bytes", 64*(64<<10))
	t.Set("cycle_period_s", cyclePeriod.Seconds())
	t.Set("cache_entry_bytes", entry)
	t.Set("cache_growth_bytes_per_s", entry*perTick*int(time.Second/tick))
	t.Set("cache_peak_bytes", entry*perTick*ticksInCycle)
	t.Set("garbage_bytes_per_s", 64<<20)
	t.Set("leak_bytes_per_s", 0)
	t.Set("verdict_expected", "no-leak")
	t.Set("memory_shape", "sawtooth")
	t.Set("threads_expected", "stable")
	t.Set("saturated_expected", "no")
	t.StartSampler()

	stop := make(chan struct{})
	done := make(chan int64, 2)
	go truth.Garbage(32<<20, 4096, stop, done)
	go truth.Garbage(32<<20, 4096, stop, done)

	end := time.After(dur)
	tk := time.NewTicker(tick)
	cache = map[int][]byte{}
	n, ticks := 0, 0
	var clears []string
loop:
	for {
		select {
		case <-end:
			break loop
		case <-tk.C:
			for k := 0; k < perTick; k++ {
				b := make([]byte, entry)
				truth.Touch(b)
				cache[n] = b
				n++
			}
			ticks++
			if ticks%ticksInCycle == 0 {
				cache = map[int][]byte{}
				clears = append(clears, fmt.Sprint(t.SinceStartMs()))
			}
		}
	}
	tk.Stop()
	close(stop)
	var g int64
	for k := 0; k < 2; k++ {
		g += <-done
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Set("clears_done", len(clears))
	t.Set("clear_times_ms", strings.Join(clears, ","))
	t.Set("cache_bytes_at_end", len(cache)*entry)
	t.Set("garbage_bytes_total", g)
	t.StopSampler(0)
	t.Finish(300 * time.Millisecond)
}
