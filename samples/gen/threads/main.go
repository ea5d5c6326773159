// threads: OS-thread growth.  Goroutines that block in a raw read(2) on a
// pipe nobody ever writes to are started at a steady rate; each one pins its
// own OS thread (M) for the rest of the run, so "threads=" in the SCHED lines
// grows by about one per blocked goroutine.
//
// Behaviour (defaults, 40 s): 0-5 s baseline (light garbage, 4 MiB/s, for gc
// lines); 5-35 s: every 200 ms one more goroutine calls syscall.Read on the
// read end of a blocking pipe (5 per second, 150 in all); 35-40 s: no new
// blockers (threads flat at the top).  Total threads stay ~160, far below the
// 10000 limit.
//
// Truth: blockers_started=150, blocker_rate_per_s=5, growth_from_ms /
// growth_to_ms (ms since start), threads_proc_start / threads_proc_end (the
// "Threads:" line of /proc/self/status, read by the program), and a short
// series threads_proc_at_ms=<ms>:<threads>,... every 5 s.
// threads_expected=growing (during the window).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"tracestatgen/internal/truth"
)

func procThreads() int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "Threads:") {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(sc.Text(), "Threads:")))
			return n
		}
	}
	return -1
}

func main() {
	flag.Parse()
	dur := truth.Dur(40 * time.Second)
	edge := dur / 8
	const every = 200 * time.Millisecond
	t := truth.New("threads", "thread growth: one goroutine blocked in read(2) on a silent pipe every 200 ms between growth_from_ms and growth_to_ms")
	t.Set("design_duration_s", dur.Seconds())
	t.Set("blocker_rate_per_s", int(time.Second/every))
	t.Set("threads_expected", "growing")
	t.Set("saturated_expected", "no")
	t.Set("verdict_expected", "no-leak")
	t.Set("threads_proc_start", procThreads())

	var p [2]int
	if err := syscall.Pipe(p[:]); err != nil {
		panic(err)
	}
	stop := make(chan struct{})
	done := make(chan int64, 1)
	go truth.Garbage(4<<20, 4096, stop, done)

	var series []string
	sample := func() { series = append(series, fmt.Sprintf("%d:%d", t.SinceStartMs(), procThreads())) }
	sample()
	time.Sleep(edge)
	sample()
	t.Set("growth_from_ms", t.SinceStartMs())
	n := 0
	growEnd := time.Now().Add(dur - 2*edge)
	nextSample := time.Now().Add(5 * time.Second)
	for time.Now().Before(growEnd) {
		go func() {
			var b [1]byte
			syscall.Read(p[0], b[:]) // never returns: nobody writes
		}()
		n++
		time.Sleep(every)
		if time.Now().After(nextSample) {
			sample()
			nextSample = nextSample.Add(5 * time.Second)
		}
	}
	t.Set("growth_to_ms", t.SinceStartMs())
	t.Set("blockers_started", n)
	sample()
	time.Sleep(edge)
	sample()
	close(stop)
	t.Set("garbage_bytes_total", <-done)
	t.Set("threads_proc_end", procThreads())
	t.Set("threads_proc_at_ms", strings.Join(series, ","))
	t.Finish(300 * time.Millisecond)
}
