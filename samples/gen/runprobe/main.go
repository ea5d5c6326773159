// Command runprobe is the program that tests/t1250-run.sh runs under
// `tracestat run`; it is built at test time and never makes a sample log.
//
// Modes (-mode):
//
//	gc     allocate -mib MiB of garbage in 64 KiB pieces, stop, write the
//	       truth file (-truth: num_gc from runtime.ReadMemStats after a
//	       settle time, as every generator does), print GODEBUG on stdout,
//	       a line on stderr, and exit with -code.
//	env    print "GODEBUG=" + os.Getenv("GODEBUG") on stdout and exit 0.
//	bytes  write -n pseudo-random bytes (seed -seed, xorshift64) to stdout
//	       in writes of 1 to 4096 bytes, without a final newline.
//	echo   print "line 1" on stdout (-stderr: on stderr), then for every
//	       line read on stdin print "line N+1"; stop at end of input.  A
//	       test that must read line N before it sends the next line sees
//	       any buffering.
//	trap   print "ready PID" on stdout, wait for SIGINT or SIGTERM, then
//	       log -steps shutdown lines 30 ms apart, alternately on stdout
//	       and stderr, then "signals N" (how many arrived) and exit 0.
//	sleep  print "ready PID" on stdout and sleep for ever.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"tracestatgen/internal/truth"
)

var sink [][]byte

func main() {
	mode := flag.String("mode", "gc", "gc, env, bytes, echo, trap or sleep")
	code := flag.Int("code", 0, "gc: exit status")
	mib := flag.Int("mib", 256, "gc: MiB of garbage")
	n := flag.Int("n", 1<<20, "bytes: how many")
	seed := flag.Uint64("seed", 88172645463325252, "bytes: xorshift64 seed")
	steps := flag.Int("steps", 10, "trap: shutdown lines")
	toStderr := flag.Bool("stderr", false, "echo: write to stderr")
	flag.Parse()

	switch *mode {
	case "gc":
		t := truth.New("runprobe", "gc mode of runprobe")
		for i := 0; i < *mib*16; i++ {
			sink = append(sink, make([]byte, 64<<10))
			if len(sink) >= 64 {
				sink = sink[:0]
			}
		}
		sink = nil
		t.Finish(300 * time.Millisecond)
		fmt.Println("GODEBUG=" + os.Getenv("GODEBUG"))
		fmt.Fprintln(os.Stderr, "runprobe: done")
		os.Exit(*code)
	case "env":
		fmt.Println("GODEBUG=" + os.Getenv("GODEBUG"))
	case "bytes":
		x := *seed
		buf := make([]byte, 0, 4096)
		for left := *n; left > 0; {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			size := int(x%4096) + 1
			if size > left {
				size = left
			}
			buf = buf[:0]
			for i := 0; i < size; i++ {
				x ^= x << 13
				x ^= x >> 7
				x ^= x << 17
				buf = append(buf, byte(x))
			}
			os.Stdout.Write(buf)
			left -= size
		}
	case "echo":
		out := os.Stdout
		if *toStderr {
			out = os.Stderr
		}
		fmt.Fprintln(out, "line 1")
		b := make([]byte, 1)
		line := 1
		for {
			k, err := os.Stdin.Read(b)
			if k == 1 && b[0] == '\n' {
				line++
				fmt.Fprintf(out, "line %d\n", line)
			}
			if err != nil {
				return
			}
		}
	case "trap":
		ch := make(chan os.Signal, 16)
		signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
		fmt.Printf("ready %d\n", os.Getpid())
		sig := <-ch
		fmt.Printf("shutdown: got %v\n", sig)
		for i := 1; i <= *steps; i++ {
			time.Sleep(30 * time.Millisecond)
			if i%2 == 0 {
				fmt.Printf("shutdown step %d of %d\n", i, *steps)
			} else {
				fmt.Fprintf(os.Stderr, "shutdown step %d of %d\n", i, *steps)
			}
		}
		fmt.Printf("signals %d\n", 1+len(ch))
	case "sleep":
		fmt.Printf("ready %d\n", os.Getpid())
		for {
			time.Sleep(time.Hour)
		}
	default:
		fmt.Fprintln(os.Stderr, "runprobe: unknown mode", *mode)
		os.Exit(2)
	}
}
