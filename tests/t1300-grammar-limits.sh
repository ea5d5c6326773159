#!/bin/sh
# Grammar limits: expanded pattern size, macro depth, PCRE2 match limits
# (counted and reported once), files without rules, a rule given twice
# the same directive.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

GC19='gc 14 @0.464s 11%: 0.046+23+0.025 ms clock, 0.092+15/11/0+0.051 ms cpu, 168->204->137 MB, 196 MB goal, 0 MB stacks, 0 MB globals, 2 P'
export GC19

test_expect_success 'macros that double at each step are refused early, in bounded memory' '
	mkdir g &&
	{
		echo "define M0 (?:ab|cd)" &&
		i=1 && while [ $i -lt 32 ]; do
			echo "define M$i {M$((i - 1))}{M$((i - 1))}"
			i=$((i + 1))
		done &&
		printf "rule r gc\n\tpattern gc (?<gc_num>[0-9]+) {M31}\n"
	} >g/a.grammar &&
	test "$(wc -l <g/a.grammar)" -eq 34 &&
	# 256 MiB of memory is far more than the limit needs and far less
	# than the 4 GB the expansion would take (measured as the peak
	# resident size, which works under the sanitizers too).
	python3 - <<-\EOT &&
	import os, resource, subprocess
	p = subprocess.run([os.environ["TRACESTAT"], "--grammars", "g", "ingest",
	                    "/dev/null"], stderr=subprocess.PIPE, timeout=60)
	open("err", "wb").write(p.stderr)
	peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
	assert p.returncode == 5, p.returncode
	assert peak_kib < 256 * 1024, peak_kib
	EOT
	grep -q "^tracestat: error: g/a.grammar:[0-9]*: pattern longer than 65536 bytes once macros are expanded" err
'

test_expect_success 'the size limit is on the expanded pattern of a rule, not per line' '
	mkdir g &&
	python3 -c "
print(\"define BIG \" + \"x\" * 40000)
print(\"rule r gc\")
print(\"\tpattern gc (?<gc_num>[0-9]+) {BIG}\")
print(\"\tpattern {BIG}\")" >g/a.grammar &&
	expect_exit 5 tracestat --grammars g ingest /dev/null 2>err &&
	grep -q "^tracestat: error: g/a.grammar:4: pattern longer than 65536 bytes" err
'

test_expect_success 'a pattern just under the size limit is accepted' '
	mkdir g &&
	python3 -c "
print(\"define BIG \" + \"x?\" * 16000)
print(\"rule r gc\")
print(\"\tpattern gc (?<gc_num>[0-9]+) {BIG}{BIG}\")" >g/a.grammar &&
	echo "gc 7 " >in &&
	tracestat --grammars g ingest in 2>err &&
	test "$(sql tracestat.db "SELECT gc_num FROM gc_cycles")" = 7
'

test_expect_success 'macro nesting deeper than 16 is refused, 16 is accepted' '
	mkdir g h &&
	{
		echo "define M0 x" &&
		i=1 && while [ $i -le 16 ]; do
			echo "define M$i (?:{M$((i - 1))})"
			i=$((i + 1))
		done
	} >defs &&
	{ cat defs; printf "rule r gc\n\tpattern gc (?<gc_num>[0-9]+) {M16}\n"; } >g/a.grammar &&
	expect_exit 5 tracestat --grammars g ingest /dev/null 2>err &&
	grep -q "^tracestat: error: g/a.grammar:17: macro .M16. nests macros more than 16 deep" err &&
	{ sed "\$d" defs; printf "rule r gc\n\tpattern gc (?<gc_num>[0-9]+) {M15}\n"; } >h/a.grammar &&
	printf "gc 3 x\n" >in &&
	tracestat --grammars h ingest in 2>err &&
	test "$(sql tracestat.db "SELECT gc_num FROM gc_cycles")" = 3
'

test_expect_success 'a backtracking pattern stops at the match limit; the stops are counted and reported once' '
	mkdir g &&
	printf "rule slow gc\n\tsignature \"gc \"\n\tpattern gc (?<gc_num>[0-9]+) (?:(?:a|aa)+)+\$\n" >g/a.grammar &&
	# (a|aa)+ nested: 2^40 ways to fail on 40 a and a b, without a limit
	# this does not end in a lifetime.
	python3 -c "
for i in range(5): print(\"gc %d \" % i + \"a\" * 40 + \"b\")
print(\"gc 9 aaaa\")" >in &&
	timeout 120 "$TRACESTAT" --grammars g ingest -q in >out 2>err &&
	test "$(sql tracestat.db "SELECT group_concat(gc_num) FROM gc_cycles")" = 9 &&
	test "$(sql tracestat.db "SELECT unrecognised_lines FROM runs")" = 5 &&
	test "$(grep -c warning err)" = 1 &&
	grep -q "^tracestat: warning: [0-9]* matches stopped at the pattern limits and counted as no match, by rule: .slow. (g/a.grammar:1) [0-9]*\$" err
'

test_expect_success 'the shipped grammars never reach a limit on the samples' '
	cat "$SRCDIR"/samples/*.log >in &&
	tracestat ingest -q in 2>err &&
	! grep -q warning err
'

test_expect_success 'a grammar file without a rule is an error (exit 5), alone or with others' '
	mkdir g h &&
	printf "# nothing but a macro\ndefine X y\n" >g/a.grammar &&
	expect_exit 5 tracestat --grammars g ingest /dev/null 2>err &&
	echo "tracestat: error: grammar '\''g/a.grammar'\'' holds no rule" >expect &&
	test_cmp expect err &&
	cp "$SRCDIR"/grammars/*.grammar h/ && : >h/zz-empty.grammar &&
	printf "%s\n" "$GC19" >in &&
	expect_exit 5 tracestat --grammars h ingest in >out 2>err &&
	grep -q "zz-empty.grammar. holds no rule" err &&
	test ! -e tracestat.db
'

test_expect_success 'a rule with two signatures is an error, not a leak' '
	mkdir g &&
	printf "rule r gc\n\tsignature \"gc \"\n\tsignature \"gc 1\"\n\tpattern gc (?<gc_num>[0-9]+)\n" >g/a.grammar &&
	expect_exit 5 tracestat --grammars g ingest /dev/null 2>err &&
	echo "tracestat: error: g/a.grammar:3: rule '\''r'\'' has two signatures" >expect &&
	test_cmp expect err
'

test_done
