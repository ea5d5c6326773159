#!/bin/sh
# Every record kind behind every log collector prefix: each fixture (gc,
# GC forced, scan, SCHED summary and scheddetail P/M/G, scvg, scav, pacer,
# crash lines) with every line prefixed reads exactly as the independent
# reference parser reads the bare fixture; the prefix's time is every
# record's wall_s; nothing is counted as repaired or unrecognised, and
# every line is passed through (or echoed) whole, prefix included.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is needed for refparse"

YEAR=$(date +%Y)
# name TAB prefix TAB expected wall time as a Python expression (None: none)
cat >"$TEST_TMP/prefixes" <<EOT
kubectl logs --timestamps	2026-11-21T18:50:00.123456789Z 	d(2026,11,21,18,50,0,123457)
kubectl logs --prefix --timestamps	[pod/web-7d9f/app] 2026-11-21T18:50:00Z 	d(2026,11,21,18,50,0)
docker logs -t (offset)	2026-11-21T19:50:00.5+01:00 	d(2026,11,21,18,50,0,500000)
docker compose logs	web-1  | 	None
docker compose logs -t	web-1  | 2026-11-21T18:50:00Z 	d(2026,11,21,18,50,0)
journalctl (short)	Nov 21 18:50:00 host1 app[1234]: 	d($YEAR,11,21,18,50,0)
journalctl -o short-precise	Nov 21 18:50:00.250000 host1 app[1234]: 	d($YEAR,11,21,18,50,0,250000)
journalctl -o short-iso	2026-11-21T19:50:00+0100 host1 app[1234]: 	d(2026,11,21,18,50,0)
journalctl -o short-iso-precise	2026-11-21T19:50:00.250000+01:00 host1 app[1234]: 	d(2026,11,21,18,50,0,250000)
journalctl -o short-monotonic	[ 1234.567890] host1 app[1234]: 	None
journald short without a host	Sep 01 18:07:11 etcd-wrapper[15450]: 	d($YEAR,9,1,18,7,11)
syslog-style stamp with milliseconds	Feb 26 12:52:23.767 	d($YEAR,2,26,12,52,23,767000)
RFC 3164 syslog	<13>Nov 21 18:50:00 host1 app: 	d($YEAR,11,21,18,50,0)
RFC 5424 syslog	<34>1 2026-11-21T18:50:00.250Z host1 app 1234 - - 	d(2026,11,21,18,50,0,250000)
EOT

# matrix FIXTURE: every prefix in front of every line of FIXTURE.
matrix() {
	fixture=$SRCDIR/tests/fixtures/$1
	tab=$(printf '\t')
	while IFS=$tab read -r name prefix wall; do
		test_expect_success "$1 behind $name" "
			awk -v p='$prefix' '{ print p \$0 }' '$fixture' >in &&
			tracestat ingest --echo in >out 2>err &&
			test_cmp in out &&
			python3 '$SRCDIR/tests/prefixcheck.py' tracestat.db '$fixture' '$wall'
		"
	done <"$TEST_TMP/prefixes"
}

# go1.5: old SCHED lines, a crash with a detailed dump (helpgc=), scvgN;
# go1.13: scvg: and forced scvg:, GC forced; go1.19: scheddetail dump,
# new pacer lines, scav; go1.21: summary SCHED, scav bg/eager, a crash;
# go1.25: scan: lines and schedticks.
for f in go1.5.txt go1.13.txt go1.19.txt go1.21.txt go1.25.txt; do
	matrix "$f"
done

test_done
