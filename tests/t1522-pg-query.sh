#!/bin/sh
# query on PostgreSQL: one statement, inside a READ ONLY transaction;
# whatever would change the store is refused with exit 2 and the store is
# untouched; output formats as on SQLite (t1500 compares them).
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
pg_need

PGURI=$(pg_new_db) || exit 1
"$TRACESTAT" --db "$PGURI" ingest -q "$SRCDIR/samples/leak.log" 2>/dev/null || exit 1
export PGURI

count() {
	"$TRACESTAT" --db "$PGURI" query --format csv "SELECT (SELECT count(*) FROM runs) || ':' || (SELECT count(*) FROM gc_cycles_rows) || ':' || (SELECT count(*) FROM rules)" | sed 1d
}

test_expect_success 'writes, DDL, sequences and transaction control are refused' '
	before=$(count) &&
	for q in "DELETE FROM gc_cycles_rows" \
	    "UPDATE runs SET name = '\''x'\''" \
	    "INSERT INTO rules (name, shape) VALUES ('\''a'\'', '\''b'\'')" \
	    "CREATE TABLE t (x int)" \
	    "DROP VIEW raw_lines" \
	    "SELECT nextval('\''runs_id_seq'\'')" \
	    "SELECT setval('\''runs_id_seq'\'', 1000)" \
	    "WITH d AS (DELETE FROM runs RETURNING id) SELECT * FROM d" \
	    "COMMIT" \
	    "SET TRANSACTION READ WRITE"; do
		expect_exit 2 tracestat --db "$PGURI" query "$q" >out 2>err || exit 1
		test ! -s out &&
		grep "^tracestat: error: SQL: " err || { cat err; exit 1; }
	done &&
	test "$(count)" = "$before" &&
	case $before in 1:189:*) ;; *) exit 1 ;; esac
'

test_expect_success 'two statements are refused; a syntax error is a usage error' '
	expect_exit 2 tracestat --db "$PGURI" query "SELECT 1; SELECT 2" 2>err &&
	echo "tracestat: error: SQL: give exactly one statement" >want &&
	test_cmp want err &&
	expect_exit 2 tracestat --db "$PGURI" query "SELEC 1" 2>err &&
	grep "^tracestat: error: SQL: syntax error" err
'

test_expect_success 'the values keep their types: integers, reals, text, NULL' '
	tracestat --db "$PGURI" query --format json "SELECT count(*) AS n, sum(gc_num) AS s, avg(gc_num) AS a, 0.25::float8 AS r, NULL AS z, '\''t\"x'\'' AS t FROM gc_cycles" >out &&
	python3 "$SRCDIR/tests/refparse.py" gc "$SRCDIR/samples/leak.log" >ref.csv &&
	python3 - out ref.csv <<-"EOT"
	import csv, json, sys
	r = json.load(open(sys.argv[1]))[0]
	nums = [int(x["gc_num"]) for x in csv.DictReader(open(sys.argv[2]))]
	assert r["n"] == len(nums) and isinstance(r["n"], int), r
	assert r["s"] == sum(nums) and isinstance(r["s"], int), r
	assert abs(r["a"] - sum(nums) / len(nums)) < 1e-9 and r["r"] == 0.25, r
	assert r["z"] is None and r["t"] == "t\"x", r
	EOT
'

test_done
