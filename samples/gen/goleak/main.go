// goleak: a server that leaks goroutines and nothing else.
//
// Behaviour (defaults; GOMAXPROCS=2, 60 s):
//   - a request loop accepts 100 requests a second (the count kept exact
//     against the clock, in 10 ms ticks) and starts one handler goroutine
//     per request;
//   - each handler parses its request in a recursion 12 frames deep, each
//     frame with a 1 KiB buffer on its stack, and at the bottom waits for a
//     reply on a channel nobody ever sends on: it blocks forever, with its
//     stack grown to 16 KiB.  The handler keeps nothing on the heap (the
//     buffers are on its stack; the runtime's own g and sudog, a few hundred
//     bytes per goroutine, are all the heap it costs);
//   - each request also makes a 32 KiB response that is dropped at once, and
//     a background worker makes 16 MiB/s of short-lived garbage, so gc
//     cycles keep coming.
//
// So goroutine stacks grow by about 100 x 16 KiB = 1.56 MiB/s and the live
// heap stays flat.
//
// Truth: leak_goroutines_per_s=100, leaked_goroutines (the program's own
// count), handler_stack_bytes=16384, stack_inuse_list (seconds since main:
// MemStats.StackInuse, every 500 ms), num_goroutine_list (the same times:
// runtime.NumGoroutine), the post-GC heap as in every memory sample,
// verdict_expected=no-leak (heap) and stacks_verdict_expected=leak.
package main

import (
	"flag"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"tracestatgen/internal/truth"
)

const (
	rate  = 100 // requests (leaked goroutines) per second
	depth = 12
)

var (
	reply  = make(chan int) // nobody ever sends
	leaked int64
	sink   atomic.Value
)

// parse recurses depth levels with a 1 KiB buffer in each frame, then waits
// for the reply that never comes.
//
//go:noinline
func parse(req int, level int) int {
	var buf [1024]byte
	for i := range buf {
		buf[i] = byte(req + level + i)
	}
	if level == 0 {
		atomic.AddInt64(&leaked, 1)
		return int(buf[req%len(buf)]) + <-reply
	}
	return parse(req, level-1) + int(buf[level])
}

func handle(req int) {
	parse(req, depth-1)
}

func main() {
	flag.Parse()
	dur := truth.Dur(60 * time.Second)
	t := truth.New("goleak", "a server whose handlers block forever: 100 leaked goroutines/s, 16 KiB of stack each, nothing kept on the heap")
	t.Set("design_duration_s", dur.Seconds())
	t.Set("leak_goroutines_per_s", rate)
	t.Set("handler_stack_depth", depth)
	t.Set("handler_stack_bytes", 16384)
	t.Set("stack_bytes_per_s_design", rate*16384)
	t.Set("garbage_bytes_per_s", 16<<20+rate*(32<<10))
	t.Set("leak_bytes_per_s", 0)
	t.Set("verdict_expected", "no-leak")
	t.Set("stacks_verdict_expected", "leak")
	t.Set("threads_expected", "stable")
	t.Set("saturated_expected", "no")
	t.StartSampler()

	stop := make(chan struct{})
	done := make(chan int64, 1)
	go truth.Garbage(16<<20, 4096, stop, done)

	// StackInuse and the goroutine count every 500 ms.
	var samples, counts []string
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		tk := time.NewTicker(500 * time.Millisecond)
		defer tk.Stop()
		for {
			runtime.ReadMemStats(&ms)
			s := time.Since(t.Start).Seconds()
			samples = append(samples, fmt.Sprintf("%.3f:%d", s, ms.StackInuse))
			counts = append(counts, fmt.Sprintf("%.3f:%d", s, runtime.NumGoroutine()))
			select {
			case <-stop:
				return
			case <-tk.C:
			}
		}
	}()

	start := time.Now()
	end := time.After(dur)
	tk := time.NewTicker(10 * time.Millisecond)
	n := 0
loop:
	for {
		select {
		case <-end:
			break loop
		case now := <-tk.C:
			for want := int(now.Sub(start).Seconds() * rate); n < want; n++ {
				go handle(n)
				sink.Store(make([]byte, 32<<10))
			}
		}
	}
	tk.Stop()
	leakSecs := time.Since(start).Seconds()
	close(stop)
	t.Set("garbage_bytes_total", <-done)
	<-sampled
	time.Sleep(100 * time.Millisecond) // the last handlers reach the bottom
	t.Set("leak_seconds", fmt.Sprintf("%.3f", leakSecs))
	t.Set("requests", n)
	t.Set("leaked_goroutines", atomic.LoadInt64(&leaked))
	t.Set("stack_inuse_list", strings.Join(samples, ","))
	t.Set("num_goroutine_list", strings.Join(counts, ","))
	t.StopSampler(0)
	t.SetPostGCList("postgc_list")
	t.Finish(300 * time.Millisecond)
}
