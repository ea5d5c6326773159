#!/bin/sh
# The values the tracer derives from the kinds' descriptors (schema.c):
# merges, sums and their overflow, defaults, values from the segment.
# Expected values are worked out by hand in the comments.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

# invalid_values_are N: the run counted N values stored as NULL.
invalid_values_are() {
	[ "$(sql tracestat.db "SELECT invalid_values FROM runs")" = "$1" ]
}

test_expect_success 'scvg: a released line merges into the next inuse line of the same number and forced only' '
	cat >in <<-\EOT &&
	scvg3: 7 MB released
	scvg3: inuse: 4, idle: 9, sys: 13, released: 7, consumed: 6 (MB)
	scvg4: 5 MB released
	scvg5: inuse: 4, idle: 9, sys: 13, released: 7, consumed: 6 (MB)
	scvg-1: 2 MB released
	scvg-1: inuse: 1, idle: 9, sys: 10, released: 9, consumed: 1 (MB)
	scvg6: inuse: 1, idle: 9, sys: 10, released: 9, consumed: 1 (MB)
	EOT
	tracestat ingest -q in 2>err &&
	tracestat query --format csv "SELECT scvg_num, forced, released_mib, released_kib FROM scvg ORDER BY id" >out &&
	# scvg3 merged; scvg4 is not scvg5; scvg-1 is forced and merged;
	# nothing is left for scvg6
	printf "%s\n" scvg_num,forced,released_mib,released_kib 3,0,7, 5,0,, -1,1,2, 6,0,, >expect &&
	test_cmp expect out
'

test_expect_success 'scvg (Go 1.13): KB released gives released_kib and its MiB, truncated; forced pairs with forced' '
	cat >in <<-\EOT &&
	scvg: 14344 KB released
	scvg: inuse: 33, idle: 31, sys: 65, released: 16, consumed: 48 (MB)
	forced scvg: 3 MB released
	scvg: inuse: 33, idle: 31, sys: 65, released: 16, consumed: 48 (MB)
	forced scvg: 3 MB released
	forced scvg: inuse: 30, idle: 34, sys: 65, released: 19, consumed: 46 (MB)
	EOT
	tracestat ingest -q in 2>err &&
	tracestat query --format csv "SELECT scvg_num, forced, released_mib, released_kib FROM scvg ORDER BY id" >out &&
	# 14344 KB = 14 MiB (14336) + 8 KiB; a forced release is not the
	# unforced line after it
	printf "%s\n" scvg_num,forced,released_mib,released_kib ,0,14,14344 ,0,, ,1,3, >expect &&
	test_cmp expect out
'

test_expect_success 'a released MB figure that is no number is NULL after the merge, not 0' '
	cat >in <<-\EOT &&
	scvg3: 99999999999999999999 MB released
	scvg3: inuse: 4, idle: 9, sys: 13, released: 7, consumed: 6 (MB)
	EOT
	tracestat ingest -q in 2>err &&
	tracestat query --format csv "SELECT scvg_num, released_mib IS NULL FROM scvg" >out &&
	printf "%s\n" "scvg_num,released_mib IS NULL" 3,1 >expect &&
	test_cmp expect out &&
	invalid_values_are 1
'

test_expect_success 'sums that overflow 64 bits are NULL and counted; the maximum still stands' '
	cat >in <<-\EOT &&
	SCHED 0ms: gomaxprocs=2 idleprocs=0 threads=4 spinningthreads=0 idlethreads=0 runqueue=0 [9223372036854775807 1]
	SCHED 1000ms: gomaxprocs=2 idleprocs=0 threads=4 spinningthreads=0 idlethreads=0 runqueue=0 [3 4]
	EOT
	tracestat ingest -q in 2>err &&
	tracestat query --format csv "SELECT t_ms, local_runq_total, local_runq_max, detailed FROM sched_samples ORDER BY id" >out &&
	# 2^63-1 + 1 overflows; 3 + 4 = 7, max 4
	printf "%s\n" t_ms,local_runq_total,local_runq_max,detailed 0,,9223372036854775807,0 1000,7,4,0 >expect &&
	test_cmp expect out &&
	invalid_values_are 1
'

test_expect_success 'scav: released_kib is bg + eager when the line has no total; flags default to 0; prev_gc_num from the segment' '
	cat >in <<-\EOT &&
	gc 1 @0.010s 1%: 0.010+0.20+0.005 ms clock, 0.020+0.10/0.10/0+0.010 ms cpu, 4->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P
	scav 100 KiB work (bg), 28 KiB work (eager), 6400 KiB now, 98% util
	gc 2 @0.020s 1%: 0.010+0.20+0.005 ms clock, 0.020+0.10/0.10/0+0.010 ms cpu, 4->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P
	scav 0 KiB work (bg), 64 KiB work (eager), 6464 KiB now, 97% util (forced)
	EOT
	tracestat ingest -q in 2>err &&
	tracestat query --format csv "SELECT released_kib, forced, controller_reset, prev_gc_num FROM scav ORDER BY id" >out &&
	printf "%s\n" released_kib,forced,controller_reset,prev_gc_num 128,0,0,1 64,1,0,2 >expect &&
	test_cmp expect out &&
	tracestat query --format csv "SELECT gc_num, stw_total_wall_us, forced, periodic, leak_check FROM gc_cycles ORDER BY id" >out &&
	# 0.010 + 0.005 ms = 15 us
	printf "%s\n" gc_num,stw_total_wall_us,forced,periodic,leak_check 1,15,0,0,0 2,15,0,0,0 >expect &&
	test_cmp expect out
'

test_expect_success 'a G status splits into status and scan bit; a periodic cycle follows GC forced' '
	cat >in <<-\EOT &&
	SCHED 0ms: gomaxprocs=1 idleprocs=0 threads=2 spinningthreads=0 idlethreads=0 runqueue=0 gcwaiting=0 nmidlelocked=0 stopwait=0 sysmonwait=0
	  G1: status=4100(chan receive) m=-1 lockedm=-1
	  G2: status=2() m=0 lockedm=-1
	GC forced
	gc 1 @120.007s 0%: 0.014+6.9+0.004 ms clock, 0.029+0/0.030/0.070+0.009 ms cpu, 0->0->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 1 P
	EOT
	tracestat ingest -q in 2>err &&
	tracestat query --format csv "SELECT goid, status_raw, status, scan_bit FROM sched_g ORDER BY id" >out &&
	# 4100 = 0x1004: status 4, scan bit set
	printf "%s\n" goid,status_raw,status,scan_bit 1,4100,4,1 2,2,2,0 >expect &&
	test_cmp expect out &&
	tracestat query --format csv "SELECT periodic, stw_total_wall_us FROM gc_cycles" >out &&
	printf "%s\n" periodic,stw_total_wall_us 1,18 >expect &&
	test_cmp expect out &&
	tracestat query --format csv "SELECT detailed FROM sched_samples" >out &&
	printf "%s\n" detailed 1 >expect &&
	test_cmp expect out
'

test_done
