// leak: a leak at a fixed, known rate under heavy short-lived garbage.
//
// Behaviour (defaults; GOMAXPROCS=2, 60 s):
//   - baseline live set: 8 MiB (128 chunks of 64 KiB) kept for the whole run;
//   - leak: every 125 ms four 64 KiB chunks are appended to a global slice
//     and never released = 2 MiB/s = 2097152 bytes/s (each chunk touched,
//     so it is really allocated); 60 s -> ~120 MiB retained;
//   - garbage: 2 x 56 MiB/s in 4 KiB objects + 1 x 16 MiB/s in 256-byte
//     objects = 128 MiB/s.
//
// Truth: leak_bytes_per_s=2097152 (design) and the rates the program itself
// measured: leak_measured_heapalloc_bytes_per_s = (HeapAlloc at end -
// HeapAlloc at leak start) / leak seconds, using raw HeapAlloc (includes
// whatever garbage is not yet collected, so it is noisy), and
// postgc_heap_slope_bytes_per_s = least-squares slope of HeapAlloc sampled
// right after each GC (much closer to the live heap).  retained_bytes_end
// is the program's own counter.  verdict_expected=leak.
package main

import (
	"flag"
	"fmt"
	"runtime"
	"time"

	"tracestatgen/internal/truth"
)

const (
	chunk    = 64 << 10
	leakRate = 2 << 20 // bytes per second
	tick     = 125 * time.Millisecond
	perTick  = leakRate / 8 / chunk // 4 chunks
)

var (
	base   [][]byte
	leaked [][]byte
)

func main() {
	flag.Parse()
	dur := truth.Dur(60 * time.Second)
	t := truth.New("leak", "fixed-rate leak (2 MiB/s retained in a global slice) under 128 MiB/s of garbage")
	for i := 0; i < 128; i++ {
		b := make([]byte, chunk)
		truth.Touch(b)
		base = append(base, b)
	}
	t.Set("design_duration_s", dur.Seconds())
	t.Set("baseline_live_bytes", 128*chunk)
	t.Set("leak_bytes_per_s", leakRate)
	t.Set("leak_chunk_bytes", chunk)
	t.Set("leak_tick_ms", tick.Milliseconds())
	t.Set("garbage_bytes_per_s", 56<<20+56<<20+16<<20)
	t.Set("verdict_expected", "leak")
	t.Set("threads_expected", "stable")
	t.Set("saturated_expected", "no")
	t.StartSampler()

	stop := make(chan struct{})
	done := make(chan int64, 3)
	go truth.Garbage(56<<20, 4096, stop, done)
	go truth.Garbage(56<<20, 4096, stop, done)
	go truth.Garbage(16<<20, 256, stop, done)

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	leakStart := time.Now()
	h0 := ms.HeapAlloc
	t.Set("leak_start_ms_since_start", leakStart.Sub(t.Start).Milliseconds())
	t.Set("heap_alloc_leak_start", h0)
	end := time.After(dur)
	tk := time.NewTicker(tick)
loop:
	for {
		select {
		case <-end:
			break loop
		case <-tk.C:
			for k := 0; k < perTick; k++ {
				b := make([]byte, chunk)
				truth.Touch(b)
				leaked = append(leaked, b)
			}
		}
	}
	tk.Stop()
	leakSecs := time.Since(leakStart).Seconds()
	close(stop)
	var g int64
	for k := 0; k < 3; k++ {
		g += <-done
	}
	runtime.ReadMemStats(&ms)
	retained := int64(len(leaked)) * chunk
	t.Set("leak_seconds", fmt.Sprintf("%.3f", leakSecs))
	t.Set("heap_alloc_leak_end", ms.HeapAlloc)
	t.Set("leak_measured_heapalloc_bytes_per_s", int64(float64(int64(ms.HeapAlloc)-int64(h0))/leakSecs))
	t.Set("retained_chunks_end", len(leaked))
	t.Set("retained_bytes_end", retained)
	t.Set("leak_measured_counter_bytes_per_s", int64(float64(retained)/leakSecs))
	t.Set("garbage_bytes_total", g)
	t.StopSampler(2)
	t.Finish(300 * time.Millisecond)
}
