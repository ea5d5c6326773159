#!/bin/sh
# Forged stores: the keys (ids, runs, segments, samples) forged, and random
# cells of every table, through every reading command and every format.
# No crash, no sanitizer report (under ./configure --enable-sanitizers),
# and every JSON output still parses.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

MODES=${FORGED_MODES:-"keys:max keys:min keys:null keys:text random:1 random:2 random:3 random:4"}
. "$SRCDIR/tests/forged.sh"
