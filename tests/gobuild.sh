# gobuild.sh - build the Go programs of samples/gen at test time.
#
# Sourced after lib.sh.  go_build OUT PKG [GO BUILD FLAGS...] builds
# samples/gen/PKG into OUT with a build cache under $TEST_TMP: nothing is
# written to the source tree and nothing is downloaded.

go_build() {
	out=$1 pkg=$2
	shift 2
	(cd "$SRCDIR/samples/gen" &&
	    env GOCACHE="$TEST_TMP/gocache" GOPATH="$TEST_TMP/gopath" \
	    GOFLAGS=-mod=mod GOPROXY=off GO111MODULE=on \
	    go build -buildvcs=false "$@" -o "$out" "./$pkg")
}

command -v go >/dev/null || skip_all "no Go toolchain (quickstart installs golang-go)"
