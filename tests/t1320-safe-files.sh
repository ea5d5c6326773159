#!/bin/sh
# report -o FILE or DIR, plot -o FILE and --script never follow a link planted at
# the files they write (existing or dangling), never write outside the
# place asked for, and leave no temporary file behind.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

command -v gnuplot >/dev/null || skip_all "gnuplot is not installed (quickstart installs gnuplot-nox)"

DB=$TEST_TMP/t.db
"$TRACESTAT" --db "$DB" ingest -q "$SRCDIR/samples/leak.log" 2>/dev/null
export DB

# The files a report writes, from a report in an empty directory.
"$TRACESTAT" --db "$DB" report -o "$TEST_TMP/plain/" >/dev/null 2>&1
FILES=$(cd "$TEST_TMP/plain" && ls)
export FILES

test_expect_success 'a report in a directory writes one page, index.html' '
	test "$FILES" = index.html
'

test_expect_success 'report -o FILE: a link planted at the file is replaced, its target untouched' '
	echo precious >victim && ln -s victim r.html &&
	tracestat --db "$DB" report -o r.html >out 2>err &&
	test "$(cat victim)" = precious && test -f r.html && test ! -L r.html &&
	cmp r.html "$TEST_TMP/plain/index.html" &&
	ln -s nowhere d.html &&
	tracestat --db "$DB" report -o d.html >out 2>err &&
	test ! -e nowhere && test ! -L d.html
'

test_expect_success 'report -o DIR: links planted at every file to an existing file are replaced, the target untouched' '
	mkdir elsewhere d &&
	for f in $FILES; do
		echo precious >"elsewhere/$f" && ln -s "../elsewhere/$f" "d/$f"
	done &&
	tracestat --db "$DB" report -o d >out 2>err &&
	for f in $FILES; do
		test "$(cat "elsewhere/$f")" = precious &&
		test -f "d/$f" && test ! -L "d/$f" || { echo "$f"; return 1; }
	done &&
	cmp d/index.html "$TEST_TMP/plain/index.html"
'

test_expect_success 'report -o DIR: dangling links create nothing outside DIR' '
	mkdir d &&
	for f in $FILES; do ln -s "../nowhere-$f" "d/$f"; done &&
	tracestat --db "$DB" report -o d >out 2>err &&
	test -z "$(ls | grep nowhere)" &&
	for f in $FILES; do test -f "d/$f" && test ! -L "d/$f" || return 1; done
'

test_expect_success 'plot -o and --script: links replaced, never followed' '
	echo precious >victim && echo precious >victim2 &&
	ln -s victim heap.png && ln -s victim2 heap.gp &&
	tracestat --db "$DB" plot heap -o heap.png --script >out 2>err &&
	test "$(cat victim)" = precious && test "$(cat victim2)" = precious &&
	test ! -L heap.png && test ! -L heap.gp &&
	head -c 8 heap.png | od -An -c | grep -q "P   N   G" &&
	grep -q "^set output '\''heap.png'\''\$" heap.gp &&
	ln -s dangling pauses.svg && ln -s dangling2 pauses.gp &&
	tracestat --db "$DB" plot pauses --svg -o pauses.svg --script >out 2>err &&
	test ! -e dangling && test ! -e dangling2 &&
	test ! -L pauses.svg && grep -q "<svg" pauses.svg
'

test_expect_success 'the kept script redraws the image where it was asked for' '
	mkdir sub &&
	tracestat --db "$DB" plot heap -o sub/h.png --script >out 2>err &&
	rm sub/h.png && gnuplot sub/h.gp 2>/dev/null &&
	test -s sub/h.png
'

test_expect_success 'no temporary file is left, after success or failure' '
	tracestat --db "$DB" plot heap -o a.png >out 2>err &&
	expect_exit 6 tracestat --db "$DB" plot heap -o b.png --gnuplot false >out 2>err &&
	test ! -e b.png &&
	# lib.sh keeps the output of the test in .out
	test "$(ls -A | grep -v "^\.out\$" | sort | tr "\n" " ")" = "a.png err out "
'

test_done
