#!/bin/sh
# forged-run.sh DB: every reading command and format on DB.  Prints one
# line per invocation that crashed (a signal, exit 70, or a sanitizer
# report); ordinary refusals (exit 1-8) are what a forged store may get.
db=$1
out=${2:-forged-out}
mkdir -p "$out"
n=0
try() {
	n=$((n + 1))
	"$TRACESTAT" --db "$db" "$@" >"$out/$n.out" 2>"$out/$n.err" </dev/null
	rc=$?
	if [ $rc -ge 9 ] || grep -q "Sanitizer\|runtime error:" "$out/$n.err"; then
		echo "CRASH rc=$rc: tracestat --db $db $*"
		grep -m5 "Sanitizer\|runtime error:\|SUMMARY" "$out/$n.err"
	fi
}
for f in table csv json; do
	try runs --format $f
	try query --format $f "SELECT * FROM runs"
	try query --format $f "SELECT * FROM gc_cycles LIMIT 50"
	for r in latest all; do
		try summary --run $r --format $f
		try leaks --run $r --format $f
		try leaks --run $r --format $f --limit 1GiB --warmup 10%
		try pauses --run $r --format $f
		try pauses --run $r --format $f --list --phase mark
		try pauses --run $r --format $f --top 3 --over 0
		try heap --run $r --format $f
		try heap --run $r --format $f --by-bucket --buckets 7
		try sched --run $r --format $f
		try sched --run $r --format $f --list
		try sched --run $r --format $f --procs
		try sched --run $r --format $f --detail
	done
	try summary --run 1 --segment 2 --format $f
	try fleet --format $f
	try fleet --format $f --check --sort p99-pause --label team=x --since 1h
done
for k in heap pauses pause-dist sched gc-cpu; do
	try plot $k -o "$out/p-$k.png" --script
	try plot $k -o "$out/p-$k.svg" --svg --segment 1
done
try report -o "$out/report"
