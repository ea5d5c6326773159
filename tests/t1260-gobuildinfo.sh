#!/bin/sh
# gobuildinfo: the Go build information of a binary, compared with what
# `go version -m` prints for programs built now, with the values written
# into synthetic ELF files of the older layouts, and never a crash.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
. "$SRCDIR/tests/gobuild.sh"

DUMP=$(dirname "$TRACESTAT")/tests/gobuildinfo-dump
BIN=$TEST_TMP/bin
mkdir -p "$BIN"

# go version -m, cut to what gobuildinfo returns: the version line, the
# path line, the mod line's path and version.
go_version_m() {
	go version -m "$@" | awk -F'\t' '
		!/^\t/ { print; next }
		$2 == "path" { print "\tpath\t" $3 }
		$2 == "mod" { print "\tmod\t" $3 "\t" $4 }'
}

test_expect_success 'build the programs: every sample program, no module, stripped, PIE, external linker' '
	for main in "$SRCDIR"/samples/gen/*/main.go; do
		p=$(basename "$(dirname "$main")") &&
		go_build "$BIN/$p" "$p" || exit 1
	done &&
	go_build "$BIN/stripped" runprobe -ldflags="-s -w" &&
	go_build "$BIN/pie" runprobe -buildmode=pie &&
	go_build "$BIN/extlink" runprobe -ldflags=-linkmode=external &&
	mkdir nomod && cat >nomod/hello.go <<-EOT &&
	package main

	func main() { println("hello") }
	EOT
	(cd nomod && env GOCACHE="$TEST_TMP/gocache" GO111MODULE=off \
	    GOPATH="$TEST_TMP/gopath" go build -o "$BIN/nomod" hello.go) &&
	test -x "$BIN/runprobe" && test -x "$BIN/stripped" && test -x "$BIN/nomod"
'

test_expect_success 'Go programs: the same as go version -m' '
	cd "$BIN" &&
	ls >"$TEST_TMP/programs" &&
	test "$(wc -l <"$TEST_TMP/programs")" -ge 16 &&
	go_version_m $(cat "$TEST_TMP/programs") >"$TEST_TMP/expected" &&
	"$DUMP" $(cat "$TEST_TMP/programs") >"$TEST_TMP/actual" &&
	cd "$TEST_TMP" &&
	grep -q "^runprobe: go1\." expected &&
	grep -q "	mod	tracestatgen	" expected &&
	grep -q "^nomod: go1\." expected &&
	test_cmp expected actual
'

test_expect_success 'no section headers: found in the writable segment' '
	cd "$BIN" &&
	python3 - <<-EOT &&
	import struct
	b = bytearray(open("runprobe", "rb").read())
	assert b[4] == 2 and b[5] == 1   # ELF64 little-endian
	b[40:48] = bytes(8)              # e_shoff
	b[60:64] = bytes(4)              # e_shnum, e_shstrndx
	open("noshdr", "wb").write(b)
	EOT
	chmod +x noshdr &&
	"$DUMP" noshdr | sed 1s/noshdr/runprobe/ >actual &&
	go_version_m runprobe >expected &&
	test_cmp expected actual
'

test_expect_success 'older layouts, both byte orders, 32 and 64 bit' '
	python3 "$SRCDIR/tests/oldbuildinfo.py" . &&
	"$DUMP" ./old64le ./old32be ./new64nosh ./nomod >actual &&
	test_cmp expected actual &&
	chmod +x old64le new64nosh nomod &&
	go_version_m ./old64le ./new64nosh ./nomod >go-expected &&
	"$DUMP" ./old64le ./new64nosh ./nomod >go-actual &&
	test_cmp go-expected go-actual
'

test_expect_success 'not Go binaries: no information, no error' '
	printf "#!/bin/sh\n" >script &&
	: >empty &&
	head -c 4096 "$BIN/runprobe" >truncated &&
	"$DUMP" /bin/true script empty truncated >actual 2>err &&
	cat >expected <<-EOT &&
	/bin/true: not a Go binary
	script: not a Go binary
	empty: not a Go binary
	truncated: not a Go binary
	EOT
	test_cmp expected actual &&
	test_cmp /dev/null err
'

test_expect_success 'a missing file is an error, not a crash' '
	expect_exit 1 "$DUMP" missing 2>err &&
	grep -q "^cannot open '"'"'missing'"'"': No such file or directory$" err
'

test_expect_success 'damaged headers and blobs: never a crash' '
	python3 "$SRCDIR/tests/oldbuildinfo.py" . &&
	python3 - <<-EOT &&
	import random
	rng = random.Random(1250)
	seeds = [open(n, "rb").read() for n in ("old64le", "old32be", "new64nosh")]
	seeds.append(open("$BIN/runprobe", "rb").read(1 << 16))
	for i in range(300):
	    b = bytearray(rng.choice(seeds))
	    for k in range(rng.randint(1, 12)):
	        # headers (first 128 bytes) and the blob area (at 0x1000)
	        pos = rng.choice([rng.randrange(128), 0x1000 + rng.randrange(96)])
	        if pos < len(b):
	            b[pos] = rng.randrange(256)
	    open("fuzz%03d" % i, "wb").write(b)
	EOT
	for f in fuzz*; do
		"$DUMP" "$f" >/dev/null 2>&1
		rc=$?
		[ $rc -le 1 ] || { echo "$f: exit $rc"; exit 1; }
	done
'

test_done
