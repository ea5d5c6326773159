#!/bin/sh
# tracestat report as a person sees it: the pages of four samples rendered
# by headless Chromium (Debian's chromium), their images decoded at their
# size, their key figures and verdicts checked against tests/reportcheck.py's
# own computation from the logs and the samples' truth files, no network
# request, no console error.  Screenshots (1280 wide, full page) are kept in
# tests/artefacts/t1621/ of the build tree (TRACESTAT_ARTEFACTS elsewhere).
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

S=$SRCDIR/samples
ART=${TRACESTAT_ARTEFACTS:-$PWD/tests/artefacts}/t1621

# need TOOL PACKAGE: in CI (which installs it through quickstart) a missing
# tool fails the test; elsewhere it skips it.
need() {
	command -v "$1" >/dev/null 2>&1 && return 0
	if [ "${CI:-}" = true ]; then
		echo "1..1"
		echo "not ok 1 - $1 is missing in CI (quickstart installs $2)"
		exit 1
	fi
	skip_all "$1 is not installed (apt-get install $2)"
}
need chromium chromium
need gnuplot gnuplot-nox

# A page per sample, the run labelled with the truth's Go version and
# GODEBUG (as tracestat run would label it).
page() {
	t=$S/$1.truth
	tracestat --db "$1.db" ingest -q --name "$1" \
	    --label "go_version=$(sed -n 's/^go_version=//p' "$t")" \
	    --label "godebug=$(sed -n 's/^godebug=//p' "$t")" "$S/$1.log" \
	    2>/dev/null &&
	tracestat --db "$1.db" report -o "$1.html" >/dev/null 2>err &&
	{ test ! -s err || { cat err; false; }; } &&
	echo "$1=$1.html=$S/$1.log=$t"
}

test_expect_success 'four reports in Chromium: images, figures, verdicts, no fetch, no error' '
	mkdir -p "$ART" &&
	specs="$(page leak) $(page threads) $(page saturate) $(page goleak)" &&
	python3 "$SRCDIR/tests/reportcheck.py" "$ART" $specs &&
	for n in leak threads saturate goleak; do
		test -s "$ART/$n.png" || exit 1
	done
'

test_done
