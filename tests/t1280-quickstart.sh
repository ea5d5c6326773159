#!/bin/sh
# quickstart: --help and bad arguments touch nothing; packages are
# installed without recommends (checked with stand-ins for apt-get,
# dpkg-query and id that only record their calls); the man pages land
# where man(1) looks by default.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

# fake_tools: stand-ins that log every call to $PWD/calls; apt-get fails
# after "update" so that quickstart stops before building anything.
fake_tools() {
	mkdir -p fake &&
	for t in apt-get dpkg-query id sudo autoreconf make; do
		cat >fake/$t <<-EOT
		#!/bin/sh
		echo "$t \$*" >>"$PWD/calls"
		case "$t \$1" in
		"id -u") echo 0 ;;
		"apt-get update") exit 0 ;;
		esac
		exit 1
		EOT
		chmod +x fake/$t || return 1
	done
}

test_expect_success '--help answers at once and installs nothing' '
	fake_tools &&
	PATH="$PWD/fake:$PATH" "$SRCDIR/quickstart" --help >out 2>err &&
	grep -q "^usage: ./quickstart \[demo|check\]" out &&
	grep -q "without recommends" out &&
	test_cmp /dev/null err &&
	test ! -e calls &&
	PATH="$PWD/fake:$PATH" "$SRCDIR/quickstart" -h >out &&
	grep -q "^usage:" out &&
	test ! -e calls
'

test_expect_success 'an unknown argument: usage, exit 2, nothing installed' '
	fake_tools &&
	PATH="$PWD/fake:$PATH" expect_exit 2 "$SRCDIR/quickstart" bogus >out 2>err &&
	grep -q "^usage:" err &&
	test ! -e calls
'

test_expect_success 'apt-get install --no-install-recommends, man-db and go among them' '
	fake_tools &&
	PATH="$PWD/fake:$PATH" expect_exit 1 "$SRCDIR/quickstart" >out 2>err &&
	grep "^apt-get install" calls >install &&
	test "$(wc -l <install)" = 1 &&
	grep -q "^apt-get install -y -q --no-install-recommends " install &&
	for p in build-essential mandoc man-db golang-go python3 gnuplot-nox; do
		grep -q " $p\( \|$\)" install || { echo "no $p"; exit 1; }
	done &&
	! grep -q "^make\|^autoreconf" calls
'

test_expect_success 'make install puts the man pages where man looks by default' '
	command -v man >/dev/null && command -v manpath >/dev/null || {
		echo "man-db is missing: quickstart installs it"; exit 1; }
	B=$(dirname "$TRACESTAT") &&
	make -s -C "$B" install-man DESTDIR="$PWD/dest" >/dev/null &&
	page=$(find "$PWD/dest" -name tracestat.1) &&
	test -n "$page" &&
	dir=${page#"$PWD/dest"} && dir=${dir%/man1/tracestat.1} &&
	# the default prefix (quickstart'"'"'s) is where man looks by itself;
	# make distcheck configures another one
	if [ "$(sed -n "s/^prefix = //p" "$B/Makefile")" = /usr/local ]; then
		test "$dir" = /usr/local/share/man &&
		(unset MANPATH; manpath -q) | tr ":" "\n" | grep -qx "$dir"
	fi &&
	man -M "$PWD/dest$dir" -w tracestat >where &&
	test "$(cat where)" = "$page" &&
	man -M "$PWD/dest$dir" -w tracestat-run >/dev/null &&
	man -M "$PWD/dest$dir" -w tracestat-leaks >/dev/null
'

test_done
