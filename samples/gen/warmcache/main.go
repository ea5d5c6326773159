// warmcache: a bounded cache that fills during a ~10 s warm-up and then stays
// at its capacity (oldest entry evicted on every insert), plus steady
// garbage.  Memory rises, then is flat: NOT a leak.
//
// Behaviour (defaults; GOMAXPROCS=2, 60 s):
//   - baseline live set: 4 MiB;
//   - cache: capacity 2048 entries x 16 KiB = 32 MiB; every 10 ms two new
//     entries are inserted (200 entries/s = 3.125 MiB/s), so the cache is
//     full after 10.24 s; after that every insert evicts the oldest entry
//     (FIFO, "LRU-ish"); lookups of random keys keep it looking like a cache;
//   - garbage: 2 x 32 MiB/s in 4 KiB objects (64 MiB/s).
//
// Truth: cache_capacity_bytes=33554432, warmup_s (measured: when the cache
// first became full), evictions, leak_bytes_per_s=0, verdict_expected=no-leak.
// The post-GC slope is reported twice: over the whole run, and from 15 s on
// (postgc_heap_slope_bytes_per_s, should be ~0).
package main

import (
	"flag"
	"fmt"
	"math/rand"
	"runtime"
	"time"

	"tracestatgen/internal/truth"
)

const (
	entry    = 16 << 10
	capacity = 2048
	perTick  = 2
	tick     = 10 * time.Millisecond
)

var (
	base  [][]byte
	cache = map[int][]byte{}
)

func main() {
	flag.Parse()
	dur := truth.Dur(60 * time.Second)
	t := truth.New("warmcache", "bounded cache (32 MiB) fills in ~10 s then stays full with FIFO eviction, plus 64 MiB/s garbage; not a leak")
	for i := 0; i < 64; i++ {
		b := make([]byte, 64<<10)
		truth.Touch(b)
		base = append(base, b)
	}
	t.Set("design_duration_s", dur.Seconds())
	t.Set("baseline_live_bytes", 64*(64<<10))
	t.Set("cache_capacity_entries", capacity)
	t.Set("cache_entry_bytes", entry)
	t.Set("cache_capacity_bytes", capacity*entry)
	t.Set("cache_insert_bytes_per_s", entry*perTick*int(time.Second/tick))
	t.Set("warmup_design_s", fmt.Sprintf("%.2f", float64(capacity)/float64(perTick*int(time.Second/tick))))
	t.Set("garbage_bytes_per_s", 64<<20)
	t.Set("leak_bytes_per_s", 0)
	t.Set("verdict_expected", "no-leak")
	t.Set("memory_shape", "warmup-then-flat")
	t.Set("threads_expected", "stable")
	t.Set("saturated_expected", "no")
	t.StartSampler()

	stop := make(chan struct{})
	done := make(chan int64, 2)
	go truth.Garbage(32<<20, 4096, stop, done)
	go truth.Garbage(32<<20, 4096, stop, done)

	end := time.After(dur)
	tk := time.NewTicker(tick)
	next, oldest, evictions, hits, misses := 0, 0, 0, 0, 0
	var fullAt int64 = -1
	rnd := rand.New(rand.NewSource(1))
loop:
	for {
		select {
		case <-end:
			break loop
		case <-tk.C:
			for k := 0; k < perTick; k++ {
				if len(cache) >= capacity {
					delete(cache, oldest)
					oldest++
					evictions++
				}
				b := make([]byte, entry)
				truth.Touch(b)
				cache[next] = b
				next++
				if len(cache) == capacity && fullAt < 0 {
					fullAt = t.SinceStartMs()
				}
			}
			for k := 0; k < 10; k++ {
				if _, ok := cache[rnd.Intn(next+1)]; ok {
					hits++
				} else {
					misses++
				}
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
	t.Set("warmup_full_at_ms", fullAt)
	t.Set("inserts", next)
	t.Set("evictions", evictions)
	t.Set("lookups_hit", hits)
	t.Set("lookups_miss", misses)
	t.Set("cache_bytes_at_end", len(cache)*entry)
	t.Set("garbage_bytes_total", g)
	ts, hs := t.PostGC()
	var xs, ys []float64
	for i := range ts {
		xs = append(xs, ts[i])
		ys = append(ys, float64(hs[i]))
	}
	t.Set("postgc_heap_slope_all_bytes_per_s", int64(slopeOf(xs, ys)))
	t.StopSampler(15)
	t.Finish(300 * time.Millisecond)
}

func slopeOf(xs, ys []float64) float64 {
	if len(xs) < 3 {
		return 0
	}
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	n := float64(len(xs))
	mx, my = mx/n, my/n
	var sxy, sxx float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	return sxy / sxx
}
