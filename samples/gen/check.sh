#!/bin/sh
# Sanity check of samples/*.log against samples/*.truth with plain grep counts
# (not a parser): size, lines, gc lines at column 0, SCHED lines, and whether
# the truth's num_gc equals the gc-line count (it must, except torn.log and
# gorun.log; see README.md).
cd "$(dirname "$0")/.." || exit 2
printf '%-10s %8s %6s %5s %5s %6s %s\n' file bytes lines gc sched num_gc match
for l in *.log; do
	n=${l%.log}
	t=$n.truth
	gc=$(grep -c '^gc [0-9]* @' "$l")
	ng=$(sed -n 's/^num_gc=//p' "$t" 2>/dev/null)
	m=no
	[ "$gc" = "$ng" ] && m=yes
	printf '%-10s %8s %6s %5s %5s %6s %s\n' "$n" "$(wc -c <"$l")" "$(wc -l <"$l")" \
		"$gc" "$(grep -c '^SCHED' "$l")" "$ng" "$m"
done
