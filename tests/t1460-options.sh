#!/bin/sh
# One option parser for every command, driven by each command's table:
# every option of t1460-options.data is accepted in each of its forms,
# alone, repeated and with -- after it; every other option is refused;
# bad values and operands give exit 2 and the message of the data file;
# and --help, the data file and the man page's SYNOPSIS and OPTIONS list
# the same options, so that help, parser and manual cannot drift apart.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

DATA=$SRCDIR/tests/t1460-options.data
MANDIR=$SRCDIR/man

"$TRACESTAT" --help >"$TEST_TMP/help"
commands=$(sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' \
    "$TEST_TMP/help")

# The expected options of a command from the data, one form a line.
data_options() {
	awk -v c="$1" '$1 == "option" && $2 == c {
		if ($3 != "-") print $3; print $4 }' "$DATA"
	printf '%s\n' -h --help
}

# The options --help lists, one form a line: "  -n, --name NAME  ..." or
# "      --hold MS  ...".
help_options() {
	sed -n '/^options:/,/^$/p' "$1" |
	    sed -n -e 's/^  \(-[A-Za-z]\), \(--[a-z-]*\).*/\1 \2/p' \
	    -e 's/^      \(--[a-z-]*\).*/\1/p' | tr ' ' '\n'
}

# Fl words of some mdoc text: "Fl eq" is -e and -q.
fl_words() {
	grep -o 'Fl [-A-Za-z][-A-Za-z]*' | sed 's/^Fl //' |
	while read -r word; do
		case $word in
		-*) echo "-$word" ;;
		*) echo "$word" | fold -w1 | sed 's/^/-/' ;;
		esac
	done
}

# The options a page's OPTIONS section describes (.It lines).
man_item_options() {
	sed -n '/^\.Sh OPTIONS/,/^\.Sh /p' "$1" | grep '^\.It Fl' | fl_words
}

# The options a page's SYNOPSIS shows, in either form.
man_synopsis_options() {
	sed -n '/^\.Sh SYNOPSIS/,/^\.Sh /p' "$1" | fl_words
}

test_expect_success 'the data file covers every command of --help' '
	for c in $commands; do
		grep -q "^option $c " "$DATA" || [ "$c" = help ] ||
		    { echo "no options for $c in the data"; exit 1; }
	done &&
	for c in $(awk "\$1 == \"option\" { print \$2 }" "$DATA" | sort -u); do
		echo " $commands " | tr "\n" " " | grep -q " $c " ||
		    { echo "$c is not a command"; exit 1; }
	done
'

for cmd in $commands; do
	page=$MANDIR/tracestat-$cmd.1

	test_expect_success "$cmd: --help lists exactly the options of its table" "
		data_options $cmd | sort >expect &&
		tracestat $cmd --help >help &&
		help_options help | sort >actual &&
		test_cmp expect actual
	"

	test_expect_success "$cmd: help $cmd prints the same as $cmd --help" "
		tracestat $cmd --help >expect &&
		tracestat help $cmd >actual &&
		test_cmp expect actual
	"

	test_expect_success "$cmd: the man page's OPTIONS describe the table" "
		data_options $cmd | sort >expect &&
		man_item_options '$page' | sort -u >actual &&
		test_cmp expect actual
	"

	# SYNOPSIS shows each option once, in one of its forms, and
	# leaves out --help.
	test_expect_success "$cmd: the man page's SYNOPSIS shows the table" "
		man_synopsis_options '$page' | sort -u >synopsis &&
		awk -v c=$cmd '\$1 == \"option\" && \$2 == c { print \$3, \$4 }' \
		    '$DATA' >table &&
		while read -r short long; do
			grep -qx -- \"\$long\" synopsis ||
			    grep -qx -- \"\$short\" synopsis ||
			    { echo \"SYNOPSIS lacks \$long\"; exit 1; }
		done <table &&
		while read -r word; do
			grep -q -- \" \$word\\\$\" table ||
			    grep -q -- \"^\$word \" table ||
			    { echo \"SYNOPSIS has \$word, the table not\"; exit 1; }
		done <synopsis
	"
done

test_expect_success 'tracestat help prints tracestat --help' '
	tracestat --help >expect &&
	tracestat help >actual &&
	test_cmp expect actual
'

test_expect_success 'tracestat(1) lists the commands of the table' '
	printf "%s\n" $commands | sort >expect &&
	sed -n "/^\.Ss Commands/,/^\.El/s/^\.It Cm //p" \
	    "$MANDIR/tracestat.1" | sort >actual &&
	test_cmp expect actual
'

# Every form of every option.  --help after it ends the parse with exit 0
# and the help, so a form the parser refuses shows as exit 2.
accepts() {
	cmd=$1
	shift
	"$TRACESTAT" "$cmd" "$@" --help >out 2>err ||
	    { echo "refused: $cmd $*"; cat err; return 1; }
	grep -q "^usage: tracestat $cmd " out ||
	    { echo "no help after: $cmd $*"; return 1; }
}

# refuses MESSAGE CMD ARGS...: exit 2, MESSAGE and the try line only.
refuses() {
	msg=$1
	cmd=$2
	shift 2
	set +e
	"$TRACESTAT" "$cmd" "$@" >out 2>err
	rc=$?
	set -e
	printf '%s\ntry '"'"'tracestat %s --help'"'"'\n' "$msg" "$cmd" >expect
	[ "$rc" = 2 ] || { echo "exit $rc, not 2: $cmd $*"; return 1; }
	test_cmp expect err && test ! -s out
}

while read -r kind cmd short long value <&3; do
	[ "$kind" = option ] || continue
	if [ "$value" = - ]; then
		test_expect_success "$cmd $long: $long, twice, ${short#-}" "
			accepts $cmd $long &&
			accepts $cmd $long $long &&
			{ [ $short = - ] || accepts $cmd $short; } &&
			refuses \"tracestat: error: option '$long' takes no value\" \
			    $cmd $long=1
		"
	else
		test_expect_success "$cmd $long: $long V, $long=V, twice, ${short#-}" "
			accepts $cmd $long '$value' &&
			accepts $cmd $long='$value' &&
			accepts $cmd $long '$value' $long '$value' &&
			{ [ $short = - ] || { accepts $cmd $short '$value' &&
			    accepts $cmd $short'$value'; }; } &&
			refuses \"tracestat: error: option '$long' needs a value\" \
			    $cmd $long &&
			{ [ $short = - ] || refuses \
			    \"tracestat: error: option '$short' needs a value\" \
			    $cmd $short; }
		"
	fi
done 3<"$DATA"

# Each command refuses the options of the others, and made-up ones.
all_long=$(awk '$1 == "option" { print $4 }' "$DATA" | sort -u)
for cmd in $commands; do
	test_expect_success "$cmd: refuses every option not in its table" "
		for opt in $(echo $all_long) --bogus; do
			data_options $cmd | grep -qx -- \$opt && continue
			refuses \"tracestat: error: unknown option '\$opt'\" \
			    $cmd \$opt || exit 1
		done &&
		for letter in a b c o q e n l x Z; do
			data_options $cmd | grep -qx -- -\$letter && continue
			refuses \"tracestat: error: unknown option '-\$letter'\" \
			    $cmd -\$letter || exit 1
		done
	"
done

# The messages of the data file, in order.
n=0
while IFS= read -r line <&3; do
	case $line in
	'error '*)
		n=$((n + 1))
		printf '%s\n' "${line#error }" >"$TEST_TMP/error$n.args"
		IFS= read -r msg <&3
		printf '%s\n' "$msg" >"$TEST_TMP/error$n.msg"
		test_expect_success "usage error $n: ${line#error }" "
			eval \"set -- \$(cat '$TEST_TMP/error$n.args')\" &&
			refuses \"\$(cat '$TEST_TMP/error$n.msg')\" \"\$@\"
		" ;;
	esac
done 3<"$DATA"

test_expect_success 'a usage error comes before the store: no store is made' '
	expect_exit 2 tracestat --db new.db heap --buckets 0 2>err &&
	expect_exit 2 tracestat --db new.db sched --list --procs 2>err &&
	expect_exit 2 tracestat --db new.db report --run all 2>err &&
	expect_exit 2 tracestat --db new.db ingest --hold x </dev/null 2>err &&
	test ! -e new.db
'

test_expect_success 'options and operands mix; -- ends the options' '
	tracestat --db s.db ingest "$SRCDIR/samples/steady.log" -q 2>err &&
	tracestat --db s.db query "SELECT count(*) FROM runs" --format csv >out &&
	printf "count(*)\n1\n" >expect && test_cmp expect out &&
	expect_exit 3 tracestat --db s.db ingest -q -- --format 2>err &&
	grep -q "^tracestat: error: cannot open .--format.: " err
'

test_expect_success 'global options: both forms, an unknown one, a missing value' '
	tracestat --db=g.db ingest -q "$SRCDIR/samples/steady.log" 2>/dev/null &&
	tracestat --db g.db runs --format=csv >out &&
	test "$(wc -l <out)" = 2 &&
	expect_exit 2 tracestat --bogus runs 2>err &&
	printf "%s\n" "tracestat: error: unknown option '"'"'--bogus'"'"'" \
	    "try '"'"'tracestat --help'"'"'" >expect && test_cmp expect err &&
	expect_exit 2 tracestat --db 2>err &&
	grep -qx "tracestat: error: option .--db. needs a value" err &&
	tracestat -V >out && grep -q "^tracestat [0-9]" out
'

test_done
