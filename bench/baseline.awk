# bench/baseline.awk - the awk baseline of bench/ingest: the typed fields
# of each Go 1.19-1.21 gc line as CSV, for "sqlite3 .import" (see
# bench/README.md).  Durations in microseconds, the @ time in milliseconds.
function us(x) { return int(x * 1000 + 0.5) }
/^gc [0-9]+ @[0-9.]+s [0-9]+%: / {
	split($5, c, "+")
	split($8, u, /[+\/]/)
	split($11, h, "->")
	t = substr($3, 2, length($3) - 2)
	printf "%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d\n",
	    $2, us(t), $4 + 0, us(c[1]), us(c[2]), us(c[3]), us(u[1]),
	    us(u[2]), us(u[3]), us(u[4]), us(u[5]), h[1], h[2], h[3], $13,
	    $16, $19, $22, ($24 == "(forced)")
}
