// detail: a short run for GODEBUG=schedtrace=500,scheddetail=1 (detailed
// dumps: SCHED header + P, M and G lines) with goroutines parked in known
// states.
//
// Goroutines created by the program (besides main, which sleeps):
//
//	3 x time.Sleep(1h)                         -> status=4(sleep)
//	2 x receive on a channel nobody sends on   -> status=4(chan receive)
//	2 x select on two silent channels          -> status=4(select)
//	1 x select {}                              -> status=4(select (no cases))
//	1 x sync.Mutex.Lock on a held mutex        -> status=4(semacquire)  (go1.19 wording)
//	1 x sync.WaitGroup.Wait that never ends    -> status=4(semacquire)
//	1 x LockOSThread + time.Sleep(1h)          -> status=4(sleep), lockedm set
//	1 x CPU spinner                            -> status=1 or 2 (runnable/running)
//	1 x garbage allocator, 16 MiB/s            -> 4(select) between ticks (ticker), or running
//
// plus the runtime's own goroutines (GC workers "GC worker (idle)",
// "GC sweep wait", "GC scavenge wait", "finalizer wait", "force gc (idle)").
// Default 5 s -> ~11 SCHED dumps.
//
// Truth: user_goroutines=13 (listed above, by kind), num_goroutine_mid
// (runtime.NumGoroutine in the middle of the run), schedtrace_period_ms=500.
package main

import (
	"flag"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"tracestatgen/internal/truth"
)

func main() {
	flag.Parse()
	dur := truth.Dur(5 * time.Second)
	t := truth.New("detail", "goroutines parked in known states for scheddetail=1 dumps")
	t.Set("design_duration_s", dur.Seconds())
	t.Set("schedtrace_period_ms", 500)
	never := make(chan int)
	never2 := make(chan int)
	for i := 0; i < 3; i++ {
		go func() { time.Sleep(time.Hour) }()
	}
	for i := 0; i < 2; i++ {
		go func() { <-never }()
	}
	for i := 0; i < 2; i++ {
		go func() {
			select {
			case <-never:
			case <-never2:
			}
		}()
	}
	go func() { select {} }()
	var mu sync.Mutex
	mu.Lock()
	go func() { mu.Lock() }()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { wg.Wait() }()
	go func() {
		runtime.LockOSThread()
		time.Sleep(time.Hour)
	}()
	var halt int32
	go func() {
		x := uint64(1)
		for atomic.LoadInt32(&halt) == 0 {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}()
	stop := make(chan struct{})
	done := make(chan int64, 1)
	go truth.Garbage(16<<20, 4096, stop, done)
	t.Set("goroutines_sleep", 3)
	t.Set("goroutines_chan_receive", 2)
	t.Set("goroutines_select", 2)
	t.Set("goroutines_select_no_cases", 1)
	t.Set("goroutines_mutex_wait", 1)
	t.Set("goroutines_waitgroup_wait", 1)
	t.Set("goroutines_locked_thread_sleep", 1)
	t.Set("goroutines_cpu_spinner", 1)
	t.Set("goroutines_allocator", 1)
	t.Set("user_goroutines", 13)
	time.Sleep(dur / 2)
	t.Set("num_goroutine_mid", runtime.NumGoroutine())
	time.Sleep(dur - dur/2)
	atomic.StoreInt32(&halt, 1)
	close(stop)
	t.Set("garbage_bytes_total", <-done)
	t.Finish(300 * time.Millisecond)
}
