#!/bin/sh
# The man pages stay true to the program: they lint clean, every command
# of the command table has a page whose options are exactly those of its
# --help, and every example of every page runs.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

MANDIR=$SRCDIR/man

# mdoc text of a .Dl line as the shell should see it.
man_unescape() {
	sed -e 's/\\(dq/"/g' -e "s/\\\\(aq/'/g" -e 's/\\&//g' \
	    -e 's/\\-/-/g' -e 's/\\e/\\/g'
}

# Options a page mentions with Fl, one a line: --long, or -x for each
# letter of "Fl xyz".
man_options() {
	grep -o 'Fl [-A-Za-z][-A-Za-z]*' "$1" | sed 's/^Fl //' |
	while read -r word; do
		case $word in
		--*) ;;
		-*) echo "-$word" ;;
		*) echo "$word" | fold -w1 | sed 's/^/-/' ;;
		esac
	done | sort -u
}

# Options a --help text lists, one a line.
help_options() {
	{
		grep -o -- '--[a-z][a-z-]*' "$1"
		sed -n 's/^ *\(-[A-Za-z]\), .*/\1/p' "$1"
	} | sort -u
}

# 1. mandoc -Tlint
if command -v mandoc >/dev/null 2>&1; then
	for page in "$MANDIR"/*.[1-9]; do
		name=$(basename "$page")
		test_expect_success "$name: mandoc -Tlint -Wwarning is clean" "
			mandoc -Tlint -Wwarning '$page' >lint 2>&1;
			rc=\$?; cat lint; [ \$rc -eq 0 ] && [ ! -s lint ]
		"
	done
else
	test_skip "mandoc -Tlint on every page" "mandoc is not installed"
fi

# 2. Every command has a page, and the page and --help agree on options.
"$TRACESTAT" --help >"$TEST_TMP/help" 2>&1
commands=$(sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' \
    "$TEST_TMP/help")
test_expect_success "tracestat --help lists commands" "
	[ -n '$commands' ]
"
for cmd in $commands; do
	page=$MANDIR/tracestat-$cmd.1
	test_expect_success "$cmd: has man/tracestat-$cmd.1" "
		test -f '$page'
	"
	test_expect_success "$cmd: --help exits 0" "
		tracestat $cmd --help >help
	"
	test_expect_success "$cmd: man page documents the options of --help" "
		tracestat $cmd --help >help &&
		help_options help >from-help &&
		man_options '$page' >from-man &&
		test_cmp from-help from-man
	"
done

# 3. Every EXAMPLES .Dl line runs, page by page, in order, in a directory
# holding a copy of samples/.  Lines that need a Go program are skipped.
mkdir -p "$TEST_TMP/bin"
ln -s "$TRACESTAT" "$TEST_TMP/bin/tracestat"
PATH=$TEST_TMP/bin:$PATH
export PATH

for page in "$MANDIR"/*.[1-9]; do
	name=$(basename "$page")
	exdir=$TEST_TMP/examples-$name
	mkdir -p "$exdir"
	cp -R "$SRCDIR/samples" "$exdir/samples"
	sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' "$page" | sed -n 's/^\.Dl //p' |
	    man_unescape >"$exdir/.lines"
	n=0
	while IFS= read -r line <&3; do
		n=$((n + 1))
		desc="$name example $n: $(echo "$line" | tr '#' '?' |
		    cut -c1-60)"
		case $line in
		GODEBUG=*)
			test_skip "$desc" "needs a Go program"
			continue ;;
		tracestat\ *|cat\ *) ;;
		*)
			test_expect_success "$desc" "
				echo 'an example starts with tracestat, cat or GODEBUG=' >&2
				false
			"
			continue ;;
		esac
		printf '%s\n' "$line" >"$exdir/.cmd$n"
		test_expect_success "$desc" "
			cd '$exdir' && sh ./.cmd$n </dev/null
		"
	done 3<"$exdir/.lines"
	[ "$n" -gt 0 ] || test_expect_success "$name has examples" "false"
done

test_done
