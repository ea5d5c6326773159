#!/bin/sh
# Forged stores: extreme, negative, NULL and wrong-typed values in every
# column of every table, through every reading command and every format.
# No crash, no sanitizer report (under ./configure --enable-sanitizers),
# and every JSON output still parses.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

MODES=${FORGED_MODES:-"value:max value:min value:minus1 value:null value:text value:blob value:huge value:inf value:neginf value:numtext"}
. "$SRCDIR/tests/forged.sh"
