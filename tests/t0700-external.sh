#!/bin/sh
# Real gctrace logs published by another project (GCViewer's Go 1.9 and
# 1.19 test resources), read from ../shared/external when present.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

EXT=$SHARED/external
[ -d "$EXT" ] || skip_all "no $EXT"
COLS=$(python3 "$SRCDIR/tests/refparse.py" gc /dev/null | head -1)

for f in gcviewer-go1.9.txt gcviewer-go1.19.txt; do
	[ -f "$EXT/$f" ] || continue
	test_expect_success "$f: every gc line, as the reference parser reads it" "
		tracestat ingest -q '$EXT/$f' 2>err &&
		python3 '$SRCDIR/tests/refparse.py' gc '$EXT/$f' >expect &&
		tracestat query --format csv 'SELECT $COLS FROM gc_cycles ORDER BY id' >actual &&
		csv_same expect actual &&
		test \"\$(sql tracestat.db 'SELECT count(*) FROM gc_cycles')\" = \"\$(grep -c '^gc [0-9]' '$EXT/$f')\"
	"
done

test_expect_success 'gcviewer-go1.9.txt: 635 cycles, 3 scvg lines, one segment' '
	tracestat ingest -q "$EXT/gcviewer-go1.9.txt" 2>/dev/null &&
	test "$(sql tracestat.db "SELECT gc_cycles || char(47) || segments FROM runs")" = "635/1" &&
	test "$(sql tracestat.db "SELECT count(*) FROM scvg")" = 3
'

test_done
