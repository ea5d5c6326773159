// restart: the same small program run several times in a row with its
// output appended to ONE log, so the gc numbers restart at 1 in the stream
// (as when several Go processes share a pipe or a log file).
//
// One process: allocates short-lived garbage at -rate-mib MiB/s (4 KiB
// objects) over a 4 MiB live set for -duration, then writes its own truth
// file (-truth) with its process number (-proc), NumGC etc.  regen.sh runs it
// three times (6 s at 24 MiB/s, 4 s at 48 MiB/s, 8 s at 16 MiB/s) with
// GODEBUG=gctrace=1,schedtrace=1000, and then calls it once more as
//
//	restart -combine OUT.truth IN1 IN2 IN3
//
// to merge the three truth files into samples/restart.truth with keys
// prefixed proc1_, proc2_, proc3_ and processes=3, num_gc=<sum>.
// The program also prints one line on stdout at start and end
// ("restart: proc N start/end pid=..."), which lands in the log too.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"tracestatgen/internal/truth"
)

var base [][]byte

func main() {
	rate := flag.Int("rate-mib", 24, "garbage MiB per second")
	proc := flag.Int("proc", 1, "process number within the log")
	combine := flag.String("combine", "", "merge the truth files given as arguments into this file and exit")
	flag.Parse()
	if *combine != "" {
		combineTruth(*combine, flag.Args())
		return
	}
	dur := truth.Dur(6 * time.Second)
	t := truth.New("restart", "one process of the restart sample")
	fmt.Printf("restart: proc %d start pid=%d\n", *proc, os.Getpid())
	for i := 0; i < 64; i++ {
		b := make([]byte, 64<<10)
		truth.Touch(b)
		base = append(base, b)
	}
	t.Set("proc", *proc)
	t.Set("design_duration_s", dur.Seconds())
	t.Set("garbage_bytes_per_s", *rate<<20)
	stop := make(chan struct{})
	done := make(chan int64, 1)
	go truth.Garbage(*rate<<20, 4096, stop, done)
	time.Sleep(dur)
	close(stop)
	t.Set("garbage_bytes_total", <-done)
	t.Finish(300 * time.Millisecond)
	fmt.Printf("restart: proc %d end pid=%d\n", *proc, os.Getpid())
}

func combineTruth(out string, ins []string) {
	var b strings.Builder
	b.WriteString("# tracestat sample ground truth for restart.log, merged from the per-process\n")
	b.WriteString("# truth files each process wrote itself (see gen/restart/main.go).\n")
	b.WriteString("# The log holds the processes in order proc1, proc2, ...; each one's gc numbers start at 1.\n")
	fmt.Fprintf(&b, "program=restart\nprocesses=%d\n", len(ins))
	total := 0
	var perProc []string
	for i, in := range ins {
		f, err := os.Open(in)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			l := sc.Text()
			if l == "" || l[0] == '#' {
				continue
			}
			fmt.Fprintf(&b, "proc%d_%s\n", i+1, l)
			if strings.HasPrefix(l, "num_gc=") {
				n, _ := strconv.Atoi(strings.TrimPrefix(l, "num_gc="))
				total += n
				perProc = append(perProc, strconv.Itoa(n))
			}
		}
		f.Close()
	}
	fmt.Fprintf(&b, "num_gc_per_process=%s\nnum_gc=%d\n", strings.Join(perProc, ","), total)
	b.WriteString("num_forced_gc=0\nverdict_expected=no-leak\n")
	if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
