#!/bin/sh
# Every era's fixture parses to exactly what the independent reference
# parser (tests/refparse.py, written from the format notes, not from the C
# code) computes, column by column, for every record kind.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is needed for refparse"

# kind -> SQL giving refparse's columns from the store.
columns() {
	python3 "$SRCDIR/tests/refparse.py" "$1" /dev/null | head -1
}

select_for() {
	kind=$1
	cols=$(columns "$kind")
	case $kind in
	gc) table=gc_cycles ;;
	scan) table=gc_scan_classes ;;
	sched) table=sched_samples ;;
	sched_p|sched_m|sched_g)
		table=$kind
		cols=$(echo "$cols" | sed 's/^sample,//')
		echo "SELECT (SELECT count(*) FROM sched_samples s WHERE s.run_id = t.run_id AND s.id <= t.sample_id) AS sample, $cols FROM $table t ORDER BY t.id"
		return ;;
	*) table=$kind ;;
	esac
	echo "SELECT $cols FROM $table ORDER BY id"
}

for fixture in "$SRCDIR"/tests/fixtures/go*.txt; do
	name=$(basename "$fixture" .txt)
	for kind in gc gc_legacy scan sched sched_p sched_m sched_g scvg scav \
	    pacer_start pacer_end pacer_sweep; do
		python3 "$SRCDIR/tests/refparse.py" "$kind" "$fixture" \
		    >"$TEST_TMP/$name.$kind.expected"
		rows=$(($(wc -l <"$TEST_TMP/$name.$kind.expected") - 1))
		[ "$rows" -gt 0 ] || continue
		query=$(select_for "$kind")
		test_expect_success "$name: $rows $kind rows as the reference parser reads them" "
			tracestat ingest -q '$fixture' 2>/dev/null &&
			tracestat query --format csv \"$query\" >actual &&
			csv_same '$TEST_TMP/$name.$kind.expected' actual
		"
	done
done

test_done
