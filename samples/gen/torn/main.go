// torn: application lines and runtime trace lines share one stderr, so the
// runtime's lines get torn (the runtime writes each gc line in ~40 separate
// write(2) calls; see go-trace-formats.md section 4).
//
// Behaviour (defaults, 20 s): three writer goroutines each write
//
//	"APPLINE w=<writer> n=<seq> the quick brown fox\n"
//
// with exactly ONE os.Stderr.Write call per line, one line every 3 ms per
// writer (~330 lines/s each, ~1000/s in all); meanwhile two goroutines
// allocate short-lived 4 KiB objects at 2 x 256 MiB/s (10 ms ticker) over a
// tiny live heap, so the runtime prints ~150 gc lines per second.  About 2-3 %
// of the gc lines come out torn.
// Run with 2>&1 so both streams land in one file.
//
// Truth: app_lines = number of Write calls that wrote the whole line
// (exact), app_lines_w0..w2, app_bytes, num_gc (NumGC; grep '^gc N @' will
// find fewer because some gc lines are torn), torn_expected=yes.
// Application lines are never torn themselves (one write each), but a
// runtime fragment can be glued in front of or behind one.
package main

import (
	"flag"
	"fmt"
	"os"
	"sync"
	"time"

	"tracestatgen/internal/truth"
)

const (
	writers = 3
	every   = 3 * time.Millisecond
)

func main() {
	flag.Parse()
	dur := truth.Dur(20 * time.Second)
	t := truth.New("torn", "3 goroutines write APPLINE lines (one Write each) to stderr while the runtime prints gc/SCHED lines there too")
	t.Set("design_duration_s", dur.Seconds())
	t.Set("writers", writers)
	t.Set("app_line_format", "APPLINE w=<writer> n=<seq> the quick brown fox")
	t.Set("garbage_bytes_per_s", 2*256<<20)
	t.Set("torn_expected", "yes")
	t.Set("verdict_expected", "no-leak")
	t.Set("threads_expected", "stable")
	t.Set("saturated_expected", "no")

	stop := make(chan struct{})
	done := make(chan int64, 2)
	go truth.Garbage(256<<20, 4096, stop, done)
	go truth.Garbage(256<<20, 4096, stop, done)

	var wg sync.WaitGroup
	counts := make([]int, writers)
	bytes := make([]int, writers)
	failed := make([]int, writers)
	halt := make(chan struct{})
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			tk := time.NewTicker(every)
			defer tk.Stop()
			seq := 0
			for {
				select {
				case <-halt:
					return
				case <-tk.C:
				}
				{
					line := []byte(fmt.Sprintf("APPLINE w=%d n=%d the quick brown fox\n", w, seq))
					seq++
					n, err := os.Stderr.Write(line)
					if err == nil && n == len(line) {
						counts[w]++
						bytes[w] += n
					} else {
						failed[w]++
					}
				}
			}
		}(w)
	}
	time.Sleep(dur)
	close(halt)
	wg.Wait()
	close(stop)
	var g int64
	for k := 0; k < 2; k++ {
		g += <-done
	}
	total, tb, tf := 0, 0, 0
	for w := 0; w < writers; w++ {
		t.Set(fmt.Sprintf("app_lines_w%d", w), counts[w])
		total += counts[w]
		tb += bytes[w]
		tf += failed[w]
	}
	t.Set("app_lines", total)
	t.Set("app_bytes", tb)
	t.Set("app_write_failures", tf)
	t.Set("garbage_bytes_total", g)
	t.Finish(300 * time.Millisecond)
}
