# forged.sh - the body of t1340 and t1341, sourced after MODES is set:
# a store with every table filled, forged MODE by MODE (tests/forge.py),
# through every reading command and format (tests/forged-run.sh).

# One store with every table filled: the samples cover gc, scheduler
# (with scheddetail), pacer, scavenger, events and several segments.
BASE=$TEST_TMP/base.db
"$TRACESTAT" --db "$BASE" ingest -q --name base --label team=x "$SRCDIR"/samples/*.log "$SRCDIR"/tests/fixtures/*.txt >/dev/null 2>&1
printf "gc 1 @0.1s 1%%%%: garbled\nfatal error: x\n" | "$TRACESTAT" --db "$BASE" ingest -q >/dev/null 2>&1

test_expect_success 'the base store fills every table' '
	for t in $(sqlite3 "$BASE" "SELECT name FROM sqlite_master WHERE type = '\''table'\''"); do
		n=$(sqlite3 "$BASE" "SELECT count(*) FROM $t") &&
		{ test "$n" -gt 0 || { echo "table $t is empty"; return 1; }; }
	done
'

for mode in $MODES; do
	test_expect_success "forged $mode: every command and format, no crash" '
		python3 "$SRCDIR/tests/forge.py" "$BASE" f.db "$mode" &&
		sh "$SRCDIR/tests/forged-run.sh" f.db out >crashes 2>&1 &&
		test_cmp /dev/null crashes &&
		python3 -c "
import glob, json, sys
for f in glob.glob(\"out/*.out\"):
    s = open(f, \"rb\").read()
    if s[:1] in (b\"[\", b\"{\"):
        json.loads(s)
"
	'
done

test_done
