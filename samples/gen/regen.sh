#!/bin/sh
# Rebuild the sample generators and regenerate samples/NAME.log + NAME.truth.
#
#   samples/gen/regen.sh            # every sample (takes ~15 minutes, periodic alone 140 s)
#   samples/gen/regen.sh leak torn  # only those
#
# Needs only a Go toolchain (logs in the repo were made with Debian's go1.19.8,
# package golang-go) and the standard library; nothing is downloaded.
# Each run is sequential on purpose: the programs measure rates and the
# scheduler samples must not be disturbed by a neighbour.
set -eu

GEN=$(cd "$(dirname "$0")" && pwd)
OUT=$(dirname "$GEN")
BIN=${BIN:-${TMPDIR:-/tmp}/tracestat-samples-bin}
export GOCACHE=${GOCACHE:-${TMPDIR:-/tmp}/tracestat-samples-gocache}
export GOPATH=${GOPATH:-${TMPDIR:-/tmp}/tracestat-samples-gopath}
export GOFLAGS= GOPROXY=off GO111MODULE=on
unset GODEBUG GOGC GOMEMLIMIT || true

ALL="steady leak leaksteps sawtooth warmcache saturate threads torn forced detail restart periodic"
NEW="fastleak fewflat fewsaw goleak logtorn600 logtorn1500 logforced"
EXTRA="gorun"
[ $# -gt 0 ] || set -- $ALL $NEW $EXTRA

mkdir -p "$BIN"
(cd "$GEN" && for p in $ALL fewcycles goleak logtorn; do [ ! -d "$p" ] || go build -o "$BIN/$p" "./$p"; done)
go version > "$BIN/go-version"

# run NAME GODEBUG [GOMAXPROCS] [extra args...]: one process, stdout+stderr to the log
run() {
	name=$1 godebug=$2 procs=$3
	shift 3
	runprog "$name" "$name" "$godebug" "$procs" "$@"
}

# runprog NAME PROGRAM GODEBUG GOMAXPROCS [args...]: the same, for a sample
# whose program has another name
runprog() {
	name=$1 prog=$2 godebug=$3 procs=$4
	shift 4
	echo "regen: $name (GODEBUG=$godebug GOMAXPROCS=$procs)" >&2
	rm -f "$OUT/$name.log" "$OUT/$name.truth"
	env GOMAXPROCS="$procs" GODEBUG="$godebug" \
		"$BIN/$prog" -truth "$OUT/$name.truth" "$@" >"$OUT/$name.log" 2>&1
}

for s in "$@"; do
	case $s in
	steady)    run steady    gctrace=1,schedtrace=1000 2 ;;
	leak)      run leak      gctrace=1,schedtrace=1000 2 ;;
	leaksteps) run leaksteps gctrace=1,schedtrace=1000 2 ;;
	sawtooth)  run sawtooth  gctrace=1,schedtrace=1000 2 ;;
	warmcache) run warmcache gctrace=1,schedtrace=1000 2 ;;
	saturate)  run saturate  gctrace=1,schedtrace=500 2 ;;
	threads)   run threads   gctrace=1,schedtrace=1000 2 ;;
	torn)      run torn      gctrace=1,schedtrace=200 2 ;;
	forced)    run forced    gctrace=1,scavtrace=1,gcpacertrace=1 2 ;;
	detail)    run detail    schedtrace=500,scheddetail=1,gctrace=1 2 ;;
	restart)
		# three consecutive processes of the same program in one stream
		echo "regen: restart (3 processes, GODEBUG=gctrace=1,schedtrace=1000)" >&2
		rm -f "$OUT/restart.log" "$OUT/restart.truth"
		: >"$OUT/restart.log"
		i=1
		for spec in "6s 24" "4s 48" "8s 16"; do
			set -- $spec
			env GOMAXPROCS=2 GODEBUG=gctrace=1,schedtrace=1000 \
				"$BIN/restart" -truth "$BIN/restart.$i.truth" \
				-duration "$1" -rate-mib "$2" -proc "$i" \
				>>"$OUT/restart.log" 2>&1
			i=$((i + 1))
		done
		"$BIN/restart" -combine "$OUT/restart.truth" \
			"$BIN/restart.1.truth" "$BIN/restart.2.truth" "$BIN/restart.3.truth"
		;;
	periodic)  run periodic  gctrace=1,schedtrace=5000 2 ;;
	fastleak)  runprog fastleak fewcycles gctrace=1,schedtrace=1000 2 -shape map ;;
	fewflat)   runprog fewflat fewcycles gctrace=1,schedtrace=1000 2 -shape flat ;;
	fewsaw)    runprog fewsaw fewcycles gctrace=1,schedtrace=1000 2 -shape saw ;;
	goleak)    run goleak    gctrace=1,schedtrace=10000,scheddetail=1 2 ;;
	# the log package at 4 x 600 and 4 x 1,500 lines/s (one program)
	logtorn600)  runprog logtorn600 logtorn gctrace=1 2 -rate 600 -garbage 128 -duration 6s ;;
	logtorn1500) runprog logtorn1500 logtorn gctrace=1 2 -rate 1500 -garbage 128 -duration 4s ;;
	# and with runtime.GC() every 10 ms: " (forced)" torn from its gc line
	logforced)   runprog logforced logtorn gctrace=1 2 -rate 1500 -garbage 128 -force 10ms -duration 6s ;;
	gorun)
		# `go run` with GODEBUG exported: the go command, the compiler and the
		# linker print gc lines too, each process numbering from 1.  A fresh
		# GOCACHE forces a real compile.  Only the program's own process writes
		# truth (gorun.truth); the toolchain's processes are not counted.
		echo "regen: gorun (go run with GODEBUG=gctrace=1 exported)" >&2
		rm -f "$OUT/gorun.log" "$OUT/gorun.truth"
		rm -rf "$BIN/gorun-cache"
		(cd "$GEN" && env GOCACHE="$BIN/gorun-cache" GOMAXPROCS=2 GODEBUG=gctrace=1 \
			go run ./restart -truth "$OUT/gorun.truth" -duration 3s -rate-mib 24 -proc 1 \
			>"$OUT/gorun.log" 2>&1)
		{
			echo "# gorun.log also holds the gc lines of the go command (printed first and"
			echo "# interleaved with the program's), of the compiler (one process per package,"
			echo "# each after a '# PACKAGE' line) and of the linker; those are not counted here."
			echo "num_gc_scope=program-only"
		} >>"$OUT/gorun.truth"
		;;
	*) echo "regen: unknown sample '$s'" >&2; exit 2 ;;
	esac
done
