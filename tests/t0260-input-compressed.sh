#!/bin/sh
# Compressed and rotated inputs: gzip, zstd and xz (made here by the real
# compressors) are told by their magic bytes and give exactly the rows of
# the plain file; several files are one stream, as rotation makes them;
# a damaged file is an error naming it, after what it held was stored.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

GEN="python3 $SRCDIR/tests/input-gen.py"
SAME="python3 $SRCDIR/tests/rowsame.py"
export GEN SAME

for tool in gzip zstd xz; do
	command -v $tool >/dev/null ||
		skip_all "$tool is not installed (./quickstart installs it)"
done

LEAK=$TEST_TMP/leak
mkdir -p "$LEAK" && $GEN "$SRCDIR/samples/leak.log" "$LEAK" &&
	"$TRACESTAT" --db "$LEAK/plain.db" ingest "$LEAK/plain.log" \
		>/dev/null 2>&1 &&
	"$TRACESTAT" --db "$LEAK/journal-plain.db" ingest \
		"$LEAK/journal.log" >/dev/null 2>&1
export LEAK

# compress TOOL FILE: FILE compressed by TOOL on standard output.
compress() {
	case $1 in
	gzip) gzip -c "$2" ;;
	zstd) zstd -q -c "$2" ;;
	xz) xz -c "$2" ;;
	esac
}

# complete_gc FILE: gc lines complete in FILE (the last may lack its newline).
complete_gc() {
	python3 -c '
import re, sys
data = open(sys.argv[1], "rb").read()
print(sum(1 for l in data.split(b"\n")
          if re.fullmatch(rb"gc \d+ @\S+ \d+%: .* \d+ P", l)))' "$1"
}

for tool in gzip zstd xz; do
	test_expect_success "$tool: the plain trace, a CRI log and a journal, exactly their rows" "
		compress $tool \$LEAK/plain.log >plain.c &&
		compress $tool \$LEAK/0.log >cri.c &&
		compress $tool \$LEAK/journal.json >journal.c &&
		tracestat --db plain.db ingest plain.c >out 2>err &&
		\$SAME \$LEAK/plain.db plain.db &&
		tracestat --db cri.db ingest cri.c >out 2>err &&
		cmp \$LEAK/app.out out &&
		\$SAME \$LEAK/plain.db cri.db --stream stderr --walls \$LEAK/walls.csv &&
		tracestat --db journal.db ingest journal.c >out 2>err &&
		\$SAME \$LEAK/journal-plain.db journal.db --walls \$LEAK/jwalls.csv
	"
done

test_expect_success 'the compression is told by the content, not the name' '
	gzip -c $LEAK/plain.log >trace.log &&
	cp $LEAK/plain.log trace.log.gz &&
	xz -c $LEAK/0.log >cri.zst &&
	tracestat ingest trace.log trace.log.gz cri.zst >out 2>err &&
	! grep -q error err &&
	test "$(sql tracestat.db "SELECT count(*) FROM gc_cycles")" = $((3 * 189))
'

test_expect_success 'a compressed stream on standard input' '
	zstd -q -c $LEAK/plain.log | tracestat ingest >out 2>err &&
	$SAME $LEAK/plain.db tracestat.db
'

test_expect_success 'concatenated gzip members, zstd frames and xz streams, cut mid-line' '
	size=$(wc -c <$LEAK/plain.log) &&
	head -c 7001 $LEAK/plain.log >a && tail -c +7002 $LEAK/plain.log | head -c 9000 >b &&
	tail -c +16002 $LEAK/plain.log >c &&
	cat a b c | cmp - $LEAK/plain.log &&
	for tool in gzip zstd xz; do
		{ compress $tool a; compress $tool b; compress $tool c; } >multi &&
		tracestat --db $tool.db ingest multi >out 2>err &&
		$SAME $LEAK/plain.db $tool.db || return 1
	done
'

test_expect_success 'rotated CRI logs: a P piece in one file, its F in the next' '
	python3 - <<-\EOF &&
	import os
	recs = open(os.environ["LEAK"] + "/0.log", "rb").read().split(b"\n")[:-1]
	cuts = [i + 1 for i, r in enumerate(recs) if b" P " in r[:40]]
	a, b = cuts[len(cuts) // 3], cuts[2 * len(cuts) // 3]
	assert b" P " in recs[a - 1][:40] and b" P " in recs[b - 1][:40]
	for name, part in (("0.log.2", recs[:a]), ("0.log.1", recs[a:b]),
	                   ("0.log", recs[b:])):
	    open(name, "wb").write(b"".join(r + b"\n" for r in part))
	EOF
	gzip 0.log.2 && zstd -q --rm 0.log.1 &&
	tracestat ingest 0.log.2.gz 0.log.1.zst 0.log >out 2>err &&
	cmp $LEAK/app.out out &&
	$SAME $LEAK/plain.db tracestat.db --stream stderr --walls $LEAK/walls.csv &&
	python3 - <<-\EOF
	import sqlite3
	db = sqlite3.connect("tracestat.db")
	rows = db.execute("SELECT path, first_line, last_line FROM run_inputs "
	                  "ORDER BY input_no").fetchall()
	lines = db.execute("SELECT lines FROM runs").fetchone()[0]
	print(rows, lines)
	assert [r[0] for r in rows] == ["0.log.2.gz", "0.log.1.zst", "0.log"]
	assert rows[0][1] == 1 and rows[-1][2] == lines
	assert all(b[1] == a[2] + 1 for a, b in zip(rows, rows[1:]))
	EOF
'

test_expect_success 'rotated Docker json-file logs: a partial entry continued in the next file' '
	python3 - <<-\EOF &&
	import os
	recs = open(os.environ["LEAK"] + "/json.log", "rb").read().split(b"\n")[:-1]
	cuts = [i + 1 for i, r in enumerate(recs) if b"\\n\",\"stream\"" not in r]
	a = cuts[len(cuts) // 2]
	open("json.log.1", "wb").write(b"".join(r + b"\n" for r in recs[:a]))
	open("json.log", "wb").write(b"".join(r + b"\n" for r in recs[a:]))
	EOF
	xz json.log.1 &&
	tracestat ingest json.log.1.xz json.log >out 2>err &&
	cmp $LEAK/app.out out &&
	$SAME $LEAK/plain.db tracestat.db --stream stderr --walls $LEAK/walls.csv
'

test_expect_success 'rotated files given newest first: a warning says to give them oldest first' '
	python3 - <<-\EOF &&
	import os
	lines = open(os.path.join(os.environ["SRCDIR"], "samples/leak.log")).read().splitlines()
	for n, name in enumerate(("c.2", "c.1", "c")):
	    with open(name, "w") as f:
	        for i, line in enumerate(lines[n * 80:(n + 1) * 80]):
	            s = n * 80 + i
	            f.write("2026-11-21T18:%02d:%02dZ stderr F %s\n" % (s // 60, s % 60, line))
	EOF
	tracestat --db ok.db ingest -q c.2 c.1 c 2>err &&
	! grep -q warning err &&
	tracestat --db rev.db ingest -q c c.1 c.2 2>err &&
	cat err &&
	grep -q "^tracestat: warning: .c.1. begins 159 s before the end of .c.: give rotated files oldest first, as in .app.log.2.gz app.log.1 app.log.\$" err &&
	grep -q "^tracestat: warning: .c.2. begins 159 s before the end of .c.1.: " err
'

test_expect_success 'copytruncate: a plain file cut inside a gc line goes on in the next file' '
	off=$(grep -b -m 1 "^gc 100 " $LEAK/plain.log | cut -d: -f1) &&
	head -c $((off + 30)) $LEAK/plain.log | gzip >app.log.1.gz &&
	tail -c +$((off + 31)) $LEAK/plain.log >app.log &&
	tracestat ingest app.log.1.gz app.log >out 2>err &&
	$SAME $LEAK/plain.db tracestat.db &&
	test "$(sql tracestat.db "SELECT repaired FROM gc_cycles WHERE gc_num = 100")" = 0
'

test_expect_success 'a line spread over three files, the middle one without any newline' '
	printf "gc 1 @0.0" >p1 &&
	printf "01s 0%%: 0.007+0.39+0.002 ms clock, 0.014+0.022/0.044/0.090+0.005 ms cpu," | gzip >p2 &&
	printf " 3->4->3 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P\napp\nlast" >p3 &&
	tracestat ingest p1 p2 p3 >out 2>err &&
	printf "app\nlast" >expect &&
	cmp expect out &&
	test "$(sql tracestat.db "SELECT gc_num || char(32) || repaired || char(32) || line_no FROM gc_cycles")" = "1 0 1" &&
	test "$(sql tracestat.db "SELECT group_concat(coalesce(first_line, char(48)) || char(45) || coalesce(last_line, char(48)), char(32)) FROM run_inputs")" = "0-0 0-0 1-3"
'

for tool in gzip xz; do
	test_expect_success "a truncated $tool file: exit 3 naming it, what it held is stored, the next file read" "
		compress $tool \$LEAK/plain.log >full &&
		head -c \$((\$(wc -c <full) * 2 / 3)) full >cut.$tool &&
		python3 -c 'import sys, zlib, lzma
data = open(sys.argv[1], \"rb\").read()
if sys.argv[2] == \"gzip\":
    out = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data)
else:
    out = lzma.LZMADecompressor().decompress(data)
sys.stdout.buffer.write(out)' cut.$tool $tool >prefix &&
		test \$(wc -c <prefix) -gt 1000 &&
		printf 'gc 1 @0.001s 0%%: 0.010+0.10+0.010 ms clock, 0.020+0/0.010/0.010+0.020 ms cpu, 4->4->0 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P\n' >next.log &&
		expect_exit 3 tracestat ingest cut.$tool next.log >out 2>err &&
		grep -q \"^tracestat: error: 'cut.$tool': truncated $tool data (the file ends inside the compressed stream)\\\$\" err &&
		test \"\$(sql tracestat.db 'SELECT count(*) FROM gc_cycles')\" = \$((\$(complete_gc prefix) + 1)) &&
		test \"\$(sql tracestat.db 'SELECT status FROM runs')\" = complete
	"
done

test_expect_success 'a truncated zstd file: exit 3 naming it' '
	zstd -q -c $LEAK/plain.log >full &&
	head -c 3000 full >cut.zst &&
	expect_exit 3 tracestat ingest cut.zst >out 2>err &&
	grep -q "^tracestat: error: .cut.zst.: truncated zstd data (the file ends inside the compressed stream)\$" err
'

test_expect_success 'corrupt data and trailing junk: exit 3 with what is wrong' '
	gzip -c $LEAK/plain.log >good.gz &&
	python3 -c "
import sys
d = bytearray(open(\"good.gz\", \"rb\").read())
for i in range(2000, 2100):
    d[i] ^= 0x55
open(\"bad.gz\", \"wb\").write(bytes(d))
" &&
	expect_exit 3 tracestat ingest bad.gz >out 2>err &&
	grep -q "^tracestat: error: .bad.gz.: corrupt gzip data (.*)\$" err &&
	{ cat good.gz; echo junk; } >junk.gz &&
	expect_exit 3 tracestat --db j.db ingest junk.gz >out 2>err &&
	grep -q "^tracestat: error: .junk.gz.: unexpected bytes after the gzip data\$" err &&
	test "$(sql j.db "SELECT count(*) FROM gc_cycles")" = 189 &&
	xz -c $LEAK/plain.log | head -c 20 >hdr.xz &&
	expect_exit 3 tracestat --db h.db ingest hdr.xz >out 2>err &&
	grep -q "^tracestat: error: .hdr.xz.: truncated xz data" err
'

test_expect_success 'random bytes after each magic number: an error, never a crash' '
	for magic in "\037\213\010" "\050\265\057\375" "\375\067\172\130\132\000"; do
		{ printf "$magic"; head -c 5000 /dev/urandom; } >rnd &&
		set +e; tracestat ingest rnd >/dev/null 2>err; rc=$?; set -e
		test $rc = 3 || { echo "exit $rc"; cat err; return 1; }
	done
'

test_expect_success 'decompression streams: memory does not grow with the file' '
	python3 - <<-\EOF
	import os, resource, subprocess, sys, zlib
	line = b"app: a line of application output, much the same as the others\n"
	gc = (b"gc 1 @0.001s 0%: 0.010+0.10+0.010 ms clock, 0.020+0/0.010/0.010+"
	      b"0.020 ms cpu, 4->4->0 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P\n")
	def make(name, mib):
	    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
	    with open(name, "wb") as f:
	        for i in range(mib * 16):
	            f.write(z.compress(gc + line * 1000))
	        f.write(z.flush())
	def rss(name):
	    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
	    subprocess.run([os.environ["TRACESTAT"], "--db", name + ".db", "ingest",
	                    "-q", name], check=True, stderr=subprocess.DEVNULL)
	    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
	make("small.gz", 4)
	make("big.gz", 64)
	small, big = rss("small.gz"), rss("big.gz")
	print("max RSS %d KiB for 4 MiB, %d KiB for 64 MiB of text" % (small, big))
	sys.exit(0 if big < small + 16 * 1024 else 1)
	EOF
'

test_done
