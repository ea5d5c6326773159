#!/bin/sh
# Every input kept in fuzz/regressions/ (each once hung, leaked, blew up
# memory or overflowed) replayed through its fuzz target, built by make
# check with the compiler and sanitizers of the build; and the seeds the
# fuzzers start from, so that the targets themselves stay sound.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

BUILD=$(dirname "$TRACESTAT")
export BUILD

for t in line grammar units; do
	export t
	test_expect_success "fuzz/regressions/$t: every kept input replays cleanly" '
		ls "$SRCDIR/fuzz/regressions/$t"/* >list &&
		test -s list &&
		timeout 300 "$BUILD/fuzz/replay-$t" $(cat list) >out 2>err &&
		test "$(grep -c ": ok\$" out)" = "$(wc -l <list)" &&
		! grep -q "Sanitizer\|runtime error" err
	'
done

test_expect_success 'the line target reads the samples and fixtures cleanly' '
	timeout 600 "$BUILD/fuzz/replay-line" "$SRCDIR"/samples/*.log \
	    "$SRCDIR"/tests/fixtures/*.txt >out 2>err &&
	! grep -q "Sanitizer\|runtime error" err
'

test_expect_success 'the grammar target loads the shipped grammars cleanly' '
	"$BUILD/fuzz/replay-grammar" "$SRCDIR"/grammars/*.grammar >out 2>err &&
	! grep -q "Sanitizer\|runtime error" err
'

test_done
