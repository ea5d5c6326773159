#!/bin/sh
# fuzz/run.sh - build the libFuzzer targets with clang and run each one.
#
#   FUZZ_SECONDS=N  seconds per target (default 60; 0 builds and replays
#                   only)
#   FUZZ_TARGETS    which (default: line grammar units)
#   CC_FUZZ         the compiler (default clang)
#   SRCDIR BUILDDIR the trees; CFLAGS_DEPS / LIBS_DEPS for PCRE2 and SQLite
#                   (pkg-config when unset)
#
# Seed corpora are made here from samples/, tests/fixtures/ and grammars/
# (nothing big is committed).  Every input that ever failed is kept in
# fuzz/regressions/TARGET/ and replayed first; a new failure is copied
# there, and the run fails.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILDDIR=${BUILDDIR:-$SRCDIR}
CC_FUZZ=${CC_FUZZ:-clang}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_TARGETS=${FUZZ_TARGETS:-line grammar units}
DEPS="libpcre2-8 sqlite3 zlib libzstd liblzma"
CFLAGS_DEPS=${CFLAGS_DEPS:-$(pkg-config --cflags $DEPS)}
LIBS_DEPS=${LIBS_DEPS:-$(pkg-config --libs $DEPS)}
OUT=$BUILDDIR/fuzz/work
LIB="buf grammar input input-compress input-json reader schema store store-sqlite store-sqlite-read
store-sqlite-query store-shape trace units xalloc"

mkdir -p "$OUT/bin"
say() { printf 'fuzz: %s\n' "$*" >&2; }

# A config.h for the fuzz build: the build tree's, or an empty one.
if [ -f "$BUILDDIR/config.h" ]; then
	CONFIG_DIR=$BUILDDIR
else
	CONFIG_DIR=$OUT
	: >"$OUT/config.h"
fi

seeds() {
	dir=$OUT/corpus/$1
	rm -rf "$dir"
	mkdir -p "$dir"
	case $1 in
	line)
		n=0
		for f in "$SRCDIR"/samples/*.log "$SRCDIR"/tests/fixtures/*.txt; do
			n=$((n + 1))
			head -c 4000 "$f" >"$dir/head-$n"
			total=$(wc -l <"$f")
			mid=$((total / 2 + 1))
			tail -n +"$mid" "$f" | head -c 4000 >"$dir/mid-$n"
		done
		# The container formats and the compressed streams.
		head -20 "$SRCDIR/samples/leak.log" >"$dir/plain"
		sed 's/^/2026-11-21T18:50:00.123456789Z stderr F /' \
		    "$dir/plain" >"$dir/cri"
		python3 -c 'import json, sys
for l in open(sys.argv[1]):
    print(json.dumps({"log": l, "stream": "stderr",
                      "time": "2026-11-21T18:50:00.1Z"}))
    print(json.dumps({"MESSAGE": l.rstrip("\n"), "_PID": "7",
                      "__REALTIME_TIMESTAMP": "1795287000000000"}))' \
		    "$dir/plain" >"$dir/json"
		for z in gzip xz zstd; do
			command -v $z >/dev/null &&
			    $z -c <"$dir/plain" >"$dir/plain.$z" 2>/dev/null
		done
		rm -f "$dir/plain" ;;
	grammar)
		for f in "$SRCDIR"/grammars/*.grammar; do
			cp "$f" "$dir/"
		done ;;
	units)
		cat "$SRCDIR"/tests/fixtures/*.txt "$SRCDIR"/samples/detail.log |
		    tr ' ,:;=()[]' '\n' | sort -u | head -2000 |
		    split -l 20 - "$dir/words-"
		printf '100us\n1.5ms\n2GiB\n8MiB\n1e308h\n0.25s\n' >"$dir/options"
		printf '2026-11-21T18:50:00.123456789+01:00\nNov 21 18:50:00\n' \
		    >"$dir/times" ;;
	esac
}

status=0
for t in $FUZZ_TARGETS; do
	bin=$OUT/bin/fuzz-$t
	srcs=
	for m in $LIB; do srcs="$srcs $(ls "$SRCDIR"/src/*/"$m".c)"; done
	srcs="$srcs $BUILDDIR/src/store/store-sql.c"
	say "building $t"
	# shellcheck disable=SC2086
	if ! $CC_FUZZ -g -O1 -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=all -I"$CONFIG_DIR" $(for d in "$SRCDIR"/src/*/; do printf -- "-I%s " "$d"; done) \
	    -DSRCDIR="\"$SRCDIR\"" -DSTORE_SQLITE_ONLY $CFLAGS_DEPS -o "$bin" \
	    "$SRCDIR/fuzz/fuzz-$t.c" $srcs $LIBS_DEPS -lm; then
		say "cannot build $t with $CC_FUZZ (libFuzzer: clang and libclang-rt-dev)"
		exit 2
	fi
	reg=$SRCDIR/fuzz/regressions/$t
	if [ -d "$reg" ] && [ -n "$(ls "$reg")" ]; then
		say "replaying $(ls "$reg" | wc -l) kept inputs of $t"
		if ! "$bin" -runs=0 "$reg"/* >"$OUT/replay-$t.log" 2>&1; then
			tail -30 "$OUT/replay-$t.log" >&2
			status=1
			continue
		fi
	fi
	[ "$FUZZ_SECONDS" -gt 0 ] || continue
	seeds "$t"
	mkdir -p "$OUT/artifacts/$t"
	say "running $t for $FUZZ_SECONDS s"
	# The line target keeps one in-memory store across inputs, which
	# per-input leak checks take for a leak of every input (and spend
	# 60% of the time on): its leaks are checked once, at exit.
	extra=
	[ "$t" = line ] && extra=-detect_leaks=0
	# shellcheck disable=SC2086
	if ! "$bin" $extra -max_total_time="$FUZZ_SECONDS" -timeout=20 \
	    -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
	    -artifact_prefix="$OUT/artifacts/$t/" "$OUT/corpus/$t" \
	    >"$OUT/run-$t.log" 2>&1; then
		tail -40 "$OUT/run-$t.log" >&2
		mkdir -p "$reg"
		for a in "$OUT/artifacts/$t"/*; do
			[ -f "$a" ] || continue
			cp "$a" "$reg/$(basename "$a")"
			say "kept $reg/$(basename "$a"): add it to git"
		done
		status=1
	else
		grep -h "stat::number_of_executed_units" "$OUT/run-$t.log" |
		    sed "s/^/fuzz: $t: /" >&2
	fi
done
exit $status
