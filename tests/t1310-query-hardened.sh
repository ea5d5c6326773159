#!/bin/sh
# query: reading only (authorizer, functions with side effects off), NUL
# bytes and control characters written safely in every format, unique
# JSON keys, a trailing comment.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

GC19='gc 14 @0.464s 11%: 0.046+23+0.025 ms clock, 0.092+15/11/0+0.051 ms cpu, 168->204->137 MB, 196 MB goal, 0 MB stacks, 0 MB globals, 2 P'
DB=$TEST_TMP/t.db
printf '%s\n' "$GC19" | "$TRACESTAT" --db "$DB" ingest 2>/dev/null
export DB

test_expect_success 'fts3_tokenizer is refused in both forms, and prints no address' '
	expect_exit 2 tracestat --db "$DB" query "SELECT fts3_tokenizer('\''simple'\'')" >out 2>err &&
	test ! -s out &&
	echo "tracestat: error: SQL: not authorized to use function: fts3_tokenizer" >expect &&
	test_cmp expect err &&
	expect_exit 2 tracestat --db "$DB" query "SELECT fts3_tokenizer('\''simple'\'', x'\''4141414141414141'\'')" >out 2>err &&
	test ! -s out && test_cmp expect err
'

test_expect_success 'load_extension, ATTACH and pragmas that set are refused' '
	version=$(sqlite3 "$DB" "PRAGMA user_version") &&
	expect_exit 2 tracestat --db "$DB" query "SELECT load_extension('\''/lib/x86_64-linux-gnu/libc.so.6'\'')" 2>err &&
	grep -q "not authorized to use function: load_extension" err &&
	expect_exit 2 tracestat --db "$DB" query "ATTACH '\''other.db'\'' AS o" 2>err &&
	test ! -e other.db &&
	expect_exit 2 tracestat --db "$DB" query "PRAGMA user_version = 7" 2>err &&
	expect_exit 2 tracestat --db "$DB" query "PRAGMA writable_schema = 1" 2>err &&
	expect_exit 2 tracestat --db "$DB" query "PRAGMA query_only = 0" 2>err &&
	expect_exit 2 tracestat --db "$DB" query "UPDATE sqlite_master SET sql = 1" 2>err &&
	expect_exit 2 tracestat --db "$DB" query "DELETE FROM gc_cycles" 2>err &&
	test "$(sql "$DB" "SELECT count(*) FROM gc_cycles")" = 1 &&
	test "$(sql "$DB" "PRAGMA user_version")" = "$version" &&
	test "$(sqlite3 "$DB" "PRAGMA user_version")" = "$version"
'

test_expect_success 'reading pragmas and their table forms still work' '
	test "$(sql "$DB" "SELECT count(*) FROM pragma_table_info('\''runs'\'')")" = "$(sqlite3 "$DB" "SELECT count(*) FROM pragma_table_info('\''runs'\'')")" &&
	sql "$DB" "PRAGMA table_info(gc_cycles)" | grep -q "^0,id,INTEGER" &&
	test "$(sql "$DB" "SELECT count(*) FROM sqlite_master WHERE type = '\''table'\''")" -gt 10
'

test_expect_success 'a value longer than 64 MiB is refused, not allocated' '
	expect_exit 4 tracestat --db "$DB" query "SELECT length(randomblob(100000000))" 2>err &&
	grep -q "too big" err
'

test_expect_success 'a trailing comment is allowed, a second statement after it is not' '
	tracestat --db "$DB" query --format csv "SELECT 1 AS one; -- note" >out &&
	printf "one\n1\n" >expect && test_cmp expect out &&
	tracestat --db "$DB" query --format csv "SELECT 1 AS one /* why */ ; /* more */ ;
-- last" >out &&
	test_cmp expect out &&
	expect_exit 2 tracestat --db "$DB" query "SELECT 1; -- note
SELECT 2" 2>err &&
	grep -q "exactly one statement" err
'

Q="SELECT 'a' || char(0) || 'b' AS nul, char(27) || '[2J' || char(7) AS esc, 'x' || char(10) || 'y,\"z' AS nl, char(155) || 'c' AS csi, 'p\\q' AS bs"
export Q

test_expect_success 'JSON: NUL and control characters escaped, nothing cut' '
	tracestat --db "$DB" query --format json "$Q" >out &&
	python3 - out <<-\EOT
	import json, sys
	raw = open(sys.argv[1], "rb").read()
	assert not any(b < 0x20 and b not in (0x0a,) for b in raw), raw
	row = json.loads(raw)[0]
	assert row == {"nul": "a\x00b", "esc": "\x1b[2J\x07", "nl": "x\ny,\"z",
	               "csi": "\x9bc", "bs": "p\\q"}, row
	EOT
'

test_expect_success 'CSV: fields with NUL or control characters quoted, bytes kept' '
	tracestat --db "$DB" query --format csv "$Q" >out &&
	python3 - out <<-\EOT
	import csv, sys
	raw = open(sys.argv[1], "rb").read()
	assert b"\"a\x00b\"" in raw and b"\"\x1b[2J\x07\"" in raw, raw
	rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
	assert rows == [["nul", "esc", "nl", "csi", "bs"],
	                ["a\x00b", "\x1b[2J\x07", "x\ny,\"z", "\x9bc", "p\\q"]], rows
	EOT
'

test_expect_success 'table: control characters made visible, no escape reaches the terminal' '
	tracestat --db "$DB" query "$Q" >out &&
	python3 - out <<-\EOT
	import sys
	raw = open(sys.argv[1], "rb").read()
	assert not any(b < 0x20 and b != 0x0a for b in raw), raw
	assert b"\xc2\x9b" not in raw, raw
	lines = raw.decode().split("\n")
	assert len(lines) == 3 and lines[2] == "", lines
	cells = lines[1].split()
	assert cells == ["a\\x00b", "\\x1b[2J\\x07", "x\\x0ay,\"z", "\\xc2\\x9bc", "p\\\\q"], cells
	EOT
'

test_expect_success 'column names with control characters are safe too' '
	tracestat --db "$DB" query "SELECT 1 AS \"a$(printf "\033")[31m\"" >out &&
	! grep -q "$(printf "\033")" out &&
	grep -q "a.x1b\[31m" out
'

test_expect_success 'JSON keys are unique when column names repeat' '
	tracestat --db "$DB" query --format json "SELECT 1 AS a, 2 AS a, 3 AS a_2, 4 AS a" >out &&
	python3 - out <<-\EOT
	import json, sys
	pairs = json.load(open(sys.argv[1]), object_pairs_hook=lambda p: p)[0]
	keys = [k for k, v in pairs]
	assert len(set(keys)) == 4, keys
	assert [v for k, v in pairs] == [1, 2, 3, 4], pairs
	assert keys == ["a", "a_2", "a_2_2", "a_3"], keys
	EOT
'

test_done
