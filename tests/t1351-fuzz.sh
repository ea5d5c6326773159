#!/bin/sh
# A short run of every libFuzzer target (fuzz/run.sh, as make fuzz does):
# TRACESTAT_FUZZ_SECONDS each (20 by default; 0 builds and replays only).
# A failure is kept in fuzz/regressions/ by fuzz/run.sh.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

command -v clang >/dev/null ||
    skip_all "clang is not installed (quickstart installs clang and libclang-rt-14-dev)"
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' >"$TEST_TMP/probe.c"
clang -fsanitize=fuzzer -o "$TEST_TMP/probe" "$TEST_TMP/probe.c" 2>/dev/null ||
    skip_all "clang cannot link libFuzzer (install libclang-rt-14-dev)"

BUILD=$(dirname "$TRACESTAT")
SECONDS_EACH=${TRACESTAT_FUZZ_SECONDS:-20}
export BUILD SECONDS_EACH

for t in line grammar units; do
	export t
	test_expect_success "libFuzzer: $t for $SECONDS_EACH s, no failure" '
		SRCDIR="$SRCDIR" BUILDDIR="$BUILD" FUZZ_TARGETS=$t \
		    FUZZ_SECONDS=$SECONDS_EACH sh "$SRCDIR/fuzz/run.sh" 2>err ||
		    { cat err; false; } &&
		cat err
	'
done

test_done
