// saturate: scheduler saturation.  With GOMAXPROCS=2, 16 CPU-bound goroutines
// stay runnable for a known window, so the SCHED lines show idleprocs=0 and
// a non-zero global and/or per-P run queue; before and after the window the
// program is nearly idle.
//
// Behaviour (defaults, 30 s): 0-5 s quiet (one goroutine allocating 8 MiB/s
// of garbage so gc lines keep coming); 5-25 s: 16 extra goroutines spin on
// integer arithmetic (no blocking, no syscalls) and each allocates a 1 KiB
// buffer every 2^20 iterations (a few ms; little enough that they
// are seldom parked in GC assists); 25-30 s quiet again.  Preemption (async, 10
// ms time slices) rotates them through the 2 Ps.
//
// Truth: spinners=16, gomaxprocs=2, saturated_from_ms / saturated_to_ms
// (measured, ms since program start; SCHED times are ms since sysmon start,
// within a few ms of it), saturated_expected=yes (inside the window only),
// spin_iterations (total work done).
package main

import (
	"flag"
	"sync"
	"sync/atomic"
	"time"

	"tracestatgen/internal/truth"
)

const spinners = 16

var sinks [spinners][]byte

func main() {
	flag.Parse()
	dur := truth.Dur(30 * time.Second)
	quiet := dur / 6
	t := truth.New("saturate", "scheduler saturation: 16 CPU-bound goroutines on GOMAXPROCS=2 between saturated_from_ms and saturated_to_ms; quiet before and after")
	t.Set("design_duration_s", dur.Seconds())
	t.Set("spinners", spinners)
	t.Set("quiet_before_s", quiet.Seconds())
	t.Set("quiet_after_s", quiet.Seconds())
	t.Set("garbage_bytes_per_s_background", 8<<20)
	t.Set("saturated_expected", "yes")
	t.Set("threads_expected", "stable")
	t.Set("verdict_expected", "no-leak")

	stop := make(chan struct{})
	done := make(chan int64, 1)
	go truth.Garbage(8<<20, 4096, stop, done)

	time.Sleep(quiet)
	var iters int64
	var halt int32
	var wg sync.WaitGroup
	t.Set("saturated_from_ms", t.SinceStartMs())
	for i := 0; i < spinners; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			x := uint64(i) + 1
			var n int64
			for atomic.LoadInt32(&halt) == 0 {
				for k := 0; k < 1<<20; k++ {
					x ^= x << 13
					x ^= x >> 7
					x ^= x << 17
				}
				n += 1 << 20
				b := make([]byte, 1024)
				b[0] = byte(x)
				sinks[i] = b
			}
			atomic.AddInt64(&iters, n)
		}(i)
	}
	time.Sleep(dur - 2*quiet)
	atomic.StoreInt32(&halt, 1)
	wg.Wait()
	t.Set("saturated_to_ms", t.SinceStartMs())
	t.Set("spin_iterations", atomic.LoadInt64(&iters))
	time.Sleep(quiet)
	close(stop)
	t.Set("garbage_bytes_total_background", <-done)
	t.Finish(300 * time.Millisecond)
}
