// steady: a steady service with a fixed-size live set and a fixed garbage
// rate.  Not a leak.
//
// Behaviour (defaults; GOMAXPROCS=2, 60 s):
//   - live set: 640 chunks of 32 KiB = 20 MiB (20971520 bytes), built at start
//     and kept for the whole run; every 100 ms two chunks are replaced by new
//     ones (churn, size unchanged);
//   - garbage: three goroutines allocate short-lived objects at a fixed rate:
//     2 x 32 MiB/s in 4 KiB objects and 1 x 8 MiB/s in 256-byte objects
//     (72 MiB/s in all), rate-limited by a 10 ms ticker;
//   - after the run all goroutines stop, the program waits, reads MemStats.
//
// Truth: live_set_bytes=20971520, garbage_bytes_per_s=75497472,
// leak_bytes_per_s=0, verdict_expected=no-leak.  Each gc line's marked heap
// (third number of H0->H1->H2) should sit at about 20 MiB (+ runtime
// overhead); the post-GC HeapAlloc slope should be ~0.
package main

import (
	"flag"
	"time"

	"tracestatgen/internal/truth"
)

const (
	chunk     = 32 << 10
	nChunks   = 640
	liveBytes = chunk * nChunks
)

var live [][]byte

func main() {
	flag.Parse()
	dur := truth.Dur(60 * time.Second)
	t := truth.New("steady", "steady service: fixed 20 MiB live set, fixed garbage rate; not a leak")
	live = make([][]byte, nChunks)
	for i := range live {
		live[i] = make([]byte, chunk)
		truth.Touch(live[i])
	}
	t.Set("design_duration_s", dur.Seconds())
	t.Set("live_set_bytes", liveBytes)
	t.Set("live_chunk_bytes", chunk)
	t.Set("live_churn_chunks_per_s", 20)
	t.Set("garbage_bytes_per_s", 32<<20+32<<20+8<<20)
	t.Set("leak_bytes_per_s", 0)
	t.Set("verdict_expected", "no-leak")
	t.Set("threads_expected", "stable")
	t.Set("saturated_expected", "no")
	t.StartSampler()

	stop := make(chan struct{})
	done := make(chan int64, 3)
	go truth.Garbage(32<<20, 4096, stop, done)
	go truth.Garbage(32<<20, 4096, stop, done)
	go truth.Garbage(8<<20, 256, stop, done)
	end := time.After(dur)
	tk := time.NewTicker(100 * time.Millisecond)
	i := 0
loop:
	for {
		select {
		case <-end:
			break loop
		case <-tk.C:
			for k := 0; k < 2; k++ {
				b := make([]byte, chunk)
				truth.Touch(b)
				live[i%nChunks] = b
				i++
			}
		}
	}
	tk.Stop()
	close(stop)
	var g int64
	for k := 0; k < 3; k++ {
		g += <-done
	}
	t.Set("garbage_bytes_total", g)
	t.Set("live_chunks_replaced", i)
	t.StopSampler(5)
	t.Finish(300 * time.Millisecond)
}
