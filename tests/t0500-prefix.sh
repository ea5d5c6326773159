#!/bin/sh
# Lines behind a log collector's prefix: the prefix is stripped for
# parsing, its time stamp kept as wall_s, the line passed through whole.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

GC='gc 3 @0.300s 1%: 0.069+0.55+0.017 ms clock, 0.13+0.10/0.41/0.89+0.034 ms cpu, 3->3->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P'
SCHED='SCHED 1000ms: gomaxprocs=2 idleprocs=2 threads=5 spinningthreads=0 idlethreads=3 runqueue=0 [0 0]'
export GC SCHED

# epoch PYTHON-DATETIME-EXPR: the expected Unix time, computed by Python.
epoch() {
	python3 -c "import datetime as d; print(repr(($1).timestamp()))"
}

check() { # name prefix expected-epoch
	test_expect_success "$1" "
		printf '%s%s\n%sapp line\n' '$2' \"\$GC\" '$2' >in &&
		tracestat ingest in >out 2>/dev/null &&
		printf '%sapp line\n' '$2' >expect &&
		test_cmp expect out &&
		test \"\$(sql tracestat.db 'SELECT gc_num FROM gc_cycles')\" = 3 &&
		python3 -c 'import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(abs(a - b) > 1e-6)' \
			\"\$(sql tracestat.db 'SELECT wall_s FROM gc_cycles')\" '$3'
	"
}

check 'kubectl logs --timestamps (nanoseconds, Z)' \
	'2026-11-21T18:50:00.123456789Z ' \
	"$(epoch 'd.datetime(2026, 11, 21, 18, 50, 0, 123457, tzinfo=d.timezone.utc)')"
check 'kubectl logs --prefix --timestamps' \
	'[pod/web-7d9f/app] 2026-11-21T18:50:00Z ' \
	"$(epoch 'd.datetime(2026, 11, 21, 18, 50, 0, tzinfo=d.timezone.utc)')"
check 'docker logs -t with an offset' \
	'2026-11-21T19:50:00.5+01:00 ' \
	"$(epoch 'd.datetime(2026, 11, 21, 18, 50, 0, 500000, tzinfo=d.timezone.utc)')"
check 'journalctl -o short-iso' \
	'2026-11-21T18:50:00+0000 host1 app[1234]: ' \
	"$(epoch 'd.datetime(2026, 11, 21, 18, 50, 0, tzinfo=d.timezone.utc)')"
check 'RFC 5424 syslog' \
	'<34>1 2026-11-21T18:50:00.250Z host1 app 1234 - - ' \
	"$(epoch 'd.datetime(2026, 11, 21, 18, 50, 0, 250000, tzinfo=d.timezone.utc)')"
check 'docker compose logs -t' \
	'web-1  | 2026-11-21T18:50:00Z ' \
	"$(epoch 'd.datetime(2026, 11, 21, 18, 50, 0, tzinfo=d.timezone.utc)')"
# syslog stamps carry no year or zone: the year of the ingest, local time
# (TZ=UTC in the tests).
YEAR=$(date +%Y)
check 'journalctl (short) / syslog file' \
	'Nov  2 08:05:09 host1 app[99]: ' \
	"$(epoch "d.datetime($YEAR, 11, 2, 8, 5, 9, tzinfo=d.timezone.utc)")"
check 'RFC 3164 syslog' \
	'<13>Nov 21 18:50:00 host1 app: ' \
	"$(epoch "d.datetime($YEAR, 11, 21, 18, 50, 0, tzinfo=d.timezone.utc)")"

test_expect_success 'docker compose without time stamps: no wall time' '
	printf "web-1  | %s\n" "$SCHED" >in &&
	tracestat ingest in >out 2>/dev/null &&
	test ! -s out &&
	test "$(sql tracestat.db "SELECT t_ms || char(47) || coalesce(wall_s, char(45)) FROM sched_samples")" = "1000/-"
'

test_expect_success 'a torn line behind prefixes (every physical line prefixed)' '
	P="2026-11-21T18:50:00Z " &&
	printf "%sgc 1 @0.009s 18%%: 2.1+0.15+0.017 ms clock, 4.3+0.057/0.081/0APPLINE one\n%s+0.034 ms cpu, 3->4->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P\n" "$P" "$P" >in &&
	tracestat ingest in >out 2>/dev/null &&
	printf "%sAPPLINE one\n" "$P" >expect &&
	test_cmp expect out &&
	test "$(sql tracestat.db "SELECT stw_markterm_cpu_us || char(47) || repaired FROM gc_cycles")" = "34/1"
'

test_done
