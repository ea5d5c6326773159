// Package truth is shared by the sample generators under samples/gen.
//
// It writes the ground-truth file (key=value lines, # comments) that sits next
// to every samples/NAME.log.  Everything in a truth file comes from the
// program itself (design parameters, its own counters, runtime.ReadMemStats),
// never from parsing the trace it produced.
//
// It also runs an optional sampler that polls runtime.ReadMemStats every
// 10 ms and remembers HeapAlloc right after each completed GC cycle (the
// first poll that sees NumGC change).  Those "post-GC" values approximate the
// live heap (the third number of the gc line's H0->H1->H2 triple, in bytes
// rather than MiB) and give a least-squares growth rate that is independent of
// the trace.
package truth

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
)

// Common flags of every generator.
var (
	TruthPath = flag.String("truth", "", "write the truth file here (key=value lines)")
	Duration  = flag.Duration("duration", 0, "override the designed run time (0 = design default)")
)

// File collects key=value pairs in insertion order.
type File struct {
	mu     sync.Mutex
	keys   []string
	vals   map[string]string
	notes  []string
	Start  time.Time
	startM runtime.MemStats
	smp    *sampler
}

// New records the start time and the start MemStats.  Call it first thing in
// main (after flag.Parse).
func New(program, description string) *File {
	f := &File{vals: map[string]string{}, Start: time.Now()}
	runtime.ReadMemStats(&f.startM)
	f.Set("program", program)
	f.Note(description)
	f.Set("go_version", runtime.Version())
	f.Set("goos_goarch", runtime.GOOS+"/"+runtime.GOARCH)
	f.Set("gomaxprocs", runtime.GOMAXPROCS(0))
	f.Set("num_cpu", runtime.NumCPU())
	f.Set("godebug", os.Getenv("GODEBUG"))
	f.Set("pid", os.Getpid())
	f.Set("start_unix_ms", f.Start.UnixMilli())
	f.Set("heap_alloc_start", f.startM.HeapAlloc)
	f.Set("num_gc_start", f.startM.NumGC)
	return f
}

// Set stores key=value (value formatted with %v); a later Set replaces it.
func (f *File) Set(key string, v interface{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.vals[key]; !ok {
		f.keys = append(f.keys, key)
	}
	f.vals[key] = fmt.Sprint(v)
}

// Note adds a comment line (written as "# text").
func (f *File) Note(format string, a ...interface{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.notes = append(f.notes, fmt.Sprintf(format, a...))
}

// Dur returns the -duration flag if set, else def.
func Dur(def time.Duration) time.Duration {
	if *Duration > 0 {
		return *Duration
	}
	return def
}

// SinceStartMs is the number of ms since New.
func (f *File) SinceStartMs() int64 { return time.Since(f.Start).Milliseconds() }

type sample struct {
	t     float64 // seconds since start
	numGC uint32
	heap  uint64
}

type sampler struct {
	stop chan struct{}
	done chan struct{}
	mu   sync.Mutex
	post []sample
}

// StartSampler starts polling ReadMemStats every 10 ms (a short STW each
// time; negligible next to the GC work these programs do).
func (f *File) StartSampler() {
	s := &sampler{stop: make(chan struct{}), done: make(chan struct{})}
	f.smp = s
	go func() {
		defer close(s.done)
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		last := ms.NumGC
		tk := time.NewTicker(10 * time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-tk.C:
			}
			runtime.ReadMemStats(&ms)
			if ms.NumGC != last {
				last = ms.NumGC
				s.mu.Lock()
				s.post = append(s.post, sample{time.Since(f.Start).Seconds(), ms.NumGC, ms.HeapAlloc})
				s.mu.Unlock()
			}
		}
	}()
}

// StopSampler stops the sampler and writes its summary keys.  fromSec limits
// the regression to samples taken at or after that many seconds (to skip a
// warm-up phase); pass 0 for all.
func (f *File) StopSampler(fromSec float64) {
	s := f.smp
	if s == nil {
		return
	}
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	var xs, ys []float64
	var min, max uint64
	for _, p := range s.post {
		if p.t < fromSec {
			continue
		}
		xs = append(xs, p.t)
		ys = append(ys, float64(p.heap))
		if min == 0 || p.heap < min {
			min = p.heap
		}
		if p.heap > max {
			max = p.heap
		}
	}
	f.Set("postgc_samples", len(xs))
	f.Set("postgc_window_from_s", fromSec)
	if len(xs) > 0 {
		f.Set("postgc_heap_alloc_min", min)
		f.Set("postgc_heap_alloc_max", max)
		f.Set("postgc_heap_alloc_first", uint64(ys[0]))
		f.Set("postgc_heap_alloc_last", uint64(ys[len(ys)-1]))
	}
	if len(xs) >= 3 {
		f.Set("postgc_heap_slope_bytes_per_s", int64(slope(xs, ys)))
	}
}

// PostGC returns a copy of the post-GC samples (t seconds, heap bytes).
func (f *File) PostGC() (ts []float64, hs []uint64) {
	if f.smp == nil {
		return nil, nil
	}
	f.smp.mu.Lock()
	defer f.smp.mu.Unlock()
	for _, p := range f.smp.post {
		ts = append(ts, p.t)
		hs = append(hs, p.heap)
	}
	return
}

func slope(xs, ys []float64) float64 {
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	n := float64(len(xs))
	mx /= n
	my /= n
	var sxy, sxx float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	if sxx == 0 {
		return 0
	}
	return sxy / sxx
}

// Finish must be called after every allocating goroutine has stopped.  It
// waits settle (so an in-flight GC cycle can finish and print its line),
// reads MemStats, writes the truth file, waits again and re-reads: if NumGC
// moved in between (a cycle completed late) the file is rewritten and a note
// says so.  It does not call runtime.GC().
func (f *File) Finish(settle time.Duration) {
	time.Sleep(settle)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	f.fill(&ms)
	f.write()
	time.Sleep(settle)
	var ms2 runtime.MemStats
	runtime.ReadMemStats(&ms2)
	if ms2.NumGC != ms.NumGC {
		f.Note("NumGC changed from %d to %d while the truth file was written; final value kept", ms.NumGC, ms2.NumGC)
		f.fill(&ms2)
		f.write()
	}
}

func (f *File) fill(ms *runtime.MemStats) {
	el := time.Since(f.Start)
	f.Set("duration_s", fmt.Sprintf("%.3f", el.Seconds()))
	f.Set("num_gc", ms.NumGC)
	f.Set("num_forced_gc", ms.NumForcedGC)
	f.Set("heap_alloc_end", ms.HeapAlloc)
	f.Set("heap_sys_end", ms.HeapSys)
	f.Set("heap_released_end", ms.HeapReleased)
	f.Set("total_alloc_bytes", ms.TotalAlloc)
	f.Set("num_goroutine_end", runtime.NumGoroutine())
	f.Set("pause_total_ns", ms.PauseTotalNs)
}

func (f *File) write() {
	if *TruthPath == "" {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var b strings.Builder
	b.WriteString("# tracestat sample ground truth, written by the generator program itself\n")
	b.WriteString("# (runtime.ReadMemStats, its own counters, design constants); not by any log parser.\n")
	for _, n := range f.notes {
		for _, l := range strings.Split(n, "\n") {
			b.WriteString("# " + l + "\n")
		}
	}
	for _, k := range f.keys {
		fmt.Fprintf(&b, "%s=%s\n", k, f.vals[k])
	}
	tmp := *TruthPath + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		fmt.Fprintln(os.Stdout, "truth:", err)
		return
	}
	os.Rename(tmp, *TruthPath)
}

// Sorted returns the keys in sorted order (for tests/debugging).
func (f *File) Sorted() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := append([]string(nil), f.keys...)
	sort.Strings(k)
	return k
}

// Touch writes one byte per 4 KiB page (and the last byte) so the memory is
// really committed, not just reserved.
func Touch(b []byte) {
	for i := 0; i < len(b); i += 4096 {
		b[i] = byte(i)
	}
	if len(b) > 0 {
		b[len(b)-1] = 1
	}
}

// Garbage allocates about rate bytes per second, in objects of objSize bytes,
// until stop is closed; each object is touched and dropped at once (it stays
// reachable only through a small ring of 64 slots, so it is short-lived).
// It returns the number of bytes it allocated through done.
func Garbage(rate, objSize int, stop <-chan struct{}, done chan<- int64) {
	const tick = 10 * time.Millisecond
	perTick := rate / int(time.Second/tick)
	var ring [64][]byte
	var n int64
	var i int
	tk := time.NewTicker(tick)
	defer tk.Stop()
	for {
		select {
		case <-stop:
			done <- n
			return
		case <-tk.C:
		}
		for a := 0; a < perTick; a += objSize {
			b := make([]byte, objSize)
			Touch(b)
			ring[i%len(ring)] = b
			i++
			n += int64(objSize)
		}
	}
}

// SinceStartDur is the time since New.
func (f *File) SinceStartDur() time.Duration { return time.Since(f.Start) }

// SetPostGCList stores every post-GC sample under key, as
// "seconds:bytes" pairs (seconds since New, 3 decimals) joined by commas,
// so a test can fit its own line through them.  Call it after StopSampler.
func (f *File) SetPostGCList(key string) {
	ts, hs := f.PostGC()
	parts := make([]string, len(ts))
	for i := range ts {
		parts[i] = fmt.Sprintf("%.3f:%d", ts[i], hs[i])
	}
	f.Set(key, strings.Join(parts, ","))
}
