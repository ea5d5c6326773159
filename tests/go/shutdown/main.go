// shutdown is a small service for tests/t1200-signals.sh: it works and
// logs until SIGINT, then logs its graceful shutdown over a few hundred
// milliseconds, collecting garbage as it goes (so that gc lines keep
// coming with GODEBUG=gctrace=1), and exits 0.  A write that fails during
// the shutdown (its reader is gone) kills it with SIGPIPE, as it would any
// Go program writing to a closed pipe on standard error.
//
// With -truth FILE it writes, at exit, the number of collections the
// runtime completed (each printed one gc line) and of requests served.
//
// Usage: shutdown [-steps N] [-step-ms MS] [-ready FILE] [-truth FILE]
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"
)

var sink [][]byte

// garbage allocates 4 MiB and drops it: with nothing else live, that is
// about one collection of the runtime's own choosing per call.  Not
// runtime.GC(): the " (forced)" suffix of a forced cycle is written apart
// from its line, and an application line can land between them, which is
// the torn-line repair's business (tests/t0300), not this test's.
func garbage() {
	for i := 0; i < 64; i++ {
		sink = append(sink, make([]byte, 64<<10))
	}
	sink = nil
}

func main() {
	steps := flag.Int("steps", 20, "shutdown lines")
	stepMS := flag.Int("step-ms", 25, "time between shutdown lines")
	ready := flag.String("ready", "", "file created once the service runs")
	truth := flag.String("truth", "", "file for num_gc and requests at exit")
	flag.Parse()

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT)
	tick := time.NewTicker(50 * time.Millisecond)
	n := 0
	for {
		select {
		case <-sig:
			tick.Stop()
			fmt.Fprintf(os.Stderr, "shutdown: signal received after %d requests\n", n)
			for i := 1; i <= *steps; i++ {
				garbage()
				fmt.Fprintf(os.Stderr, "shutdown: step %d of %d\n", i, *steps)
				fmt.Printf("stdout: step %d of %d\n", i, *steps)
				time.Sleep(time.Duration(*stepMS) * time.Millisecond)
			}
			fmt.Fprintf(os.Stderr, "shutdown: complete\n")
			if *truth != "" {
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				os.WriteFile(*truth, []byte(fmt.Sprintf(
					"num_gc=%d\nrequests=%d\n", ms.NumGC, n)), 0o644)
			}
			os.Exit(0)
		case <-tick.C:
			n++
			garbage()
			fmt.Fprintf(os.Stderr, "request %d served\n", n)
			if n == 3 && *ready != "" {
				os.WriteFile(*ready, nil, 0o644)
			}
		}
	}
}
