// logtorn: goroutines log with the standard log package (date and
// microseconds first) while the runtime prints gc lines on the same stderr,
// so application lines that begin with digits land inside torn gc lines.
//
// Behaviour (defaults, 10 s): 4 goroutines each log -rate lines per second
// through one *log.Logger on os.Stderr with log.LstdFlags|log.Lmicroseconds:
//
//	2026/11/27 14:27:38.636129 worker=2 seq=17479 msg=handled request bytes=512 took=0.25ms
//
// (seq counts from 0 per worker; bytes and took are derived from seq, so a
// reader can check every line: bytes=(seq*37)%4096, took=0.(seq%100)ms as
// two digits).  Meanwhile two goroutines allocate short-lived 4 KiB objects
// at 2 x -garbage MiB/s over a tiny live heap, so the runtime prints tens
// of gc lines per second, each in ~40 write(2) calls.
// Run with 2>&1 so both streams land in one file.
//
// With -force D, one more goroutine calls runtime.GC() every D: those
// cycles end in " (forced)", which the runtime writes with a write(2) of its
// own, so an application line can land between a gc line and its suffix.
//
// Truth: app_lines (the number of log calls; log.Logger writes each line
// with one Write, so none is itself split), app_lines_wN per worker (worker N
// wrote seq 0..app_lines_wN-1, in order), num_gc (NumGC at exit).
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"sync"
	"time"

	"tracestatgen/internal/truth"
)

const workers = 4

var (
	rate    = flag.Int("rate", 600, "log lines per second per worker")
	garbage = flag.Int("garbage", 64, "MiB/s of garbage per allocating goroutine")
	force   = flag.Duration("force", 0, "call runtime.GC() this often (0: never)")
)

// Line is the message of worker w's line number seq (after the log prefix).
func Line(w, seq int) string {
	return fmt.Sprintf("worker=%d seq=%d msg=handled request bytes=%d took=0.%02dms",
		w, seq, (seq*37)%4096, seq%100)
}

func main() {
	flag.Parse()
	dur := truth.Dur(10 * time.Second)
	t := truth.New("logtorn", "4 goroutines log with the log package (LstdFlags|Lmicroseconds) to stderr while the runtime prints gc lines there too")
	t.Set("design_duration_s", dur.Seconds())
	t.Set("workers", workers)
	t.Set("rate_per_worker", *rate)
	t.Set("app_line_format", "YYYY/MM/DD hh:mm:ss.uuuuuu worker=<w> seq=<n> msg=handled request bytes=<n*37%4096> took=0.<n%100 2 digits>ms")
	t.Set("garbage_bytes_per_s", 2**garbage<<20)
	t.Set("torn_expected", "yes")

	stop := make(chan struct{})
	done := make(chan int64, 2)
	go truth.Garbage(*garbage<<20, 4096, stop, done)
	go truth.Garbage(*garbage<<20, 4096, stop, done)

	forcedCalls := 0
	forceDone := make(chan struct{})
	if *force > 0 {
		go func() {
			defer close(forceDone)
			tick := time.NewTicker(*force)
			defer tick.Stop()
			for {
				select {
				case <-stop:
					return
				case <-tick.C:
					runtime.GC()
					forcedCalls++
				}
			}
		}()
	} else {
		close(forceDone)
	}

	logger := log.New(os.Stderr, "", log.LstdFlags|log.Lmicroseconds)
	var wg sync.WaitGroup
	counts := make([]int, workers)
	failed := make([]int, workers)
	halt := make(chan struct{})
	every := time.Second / time.Duration(*rate)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			start := time.Now()
			seq := 0
			for {
				select {
				case <-halt:
					return
				default:
				}
				// Catch up with the schedule, then sleep to the next slot.
				due := int(time.Since(start) / every)
				for seq <= due {
					if err := logger.Output(1, Line(w, seq)); err != nil {
						failed[w]++
					} else {
						counts[w]++
					}
					seq++
				}
				time.Sleep(start.Add(time.Duration(seq) * every).Sub(time.Now()))
			}
		}(w)
	}
	time.Sleep(dur)
	close(halt)
	wg.Wait()
	close(stop)
	<-forceDone
	if *force > 0 {
		t.Set("force_every_ms", force.Milliseconds())
		t.Set("gc_calls", forcedCalls)
	}
	var g int64
	for k := 0; k < 2; k++ {
		g += <-done
	}
	total, tf := 0, 0
	for w := 0; w < workers; w++ {
		t.Set(fmt.Sprintf("app_lines_w%d", w), counts[w])
		total += counts[w]
		tf += failed[w]
	}
	t.Set("app_lines", total)
	t.Set("app_write_failures", tf)
	t.Set("garbage_bytes_total", g)
	t.Finish(300 * time.Millisecond)
}
