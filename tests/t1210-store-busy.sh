#!/bin/sh
# Storing never blocks reading: a store locked, or full, while a program
# writes through ingest; records wait and are stored when it comes back;
# beyond the --backlog cap they are dropped, counted and reported.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

FEED="$SRCDIR/tests/stamped-feed.py"

# lock DB SECONDS: hold DB under BEGIN EXCLUSIVE; touch "locked" once held.
lock() {
	python3 - "$1" "$2" <<-'EOT' &
	import sqlite3, sys, time
	c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
	c.execute("BEGIN EXCLUSIVE")
	open("locked", "w").close()
	time.sleep(float(sys.argv[2]))
	c.execute("COMMIT")
	open("unlocked", "w").close()
	EOT
}

test_expect_success 'a store under BEGIN EXCLUSIVE for 10 s: pass-through goes on, every record is stored after' '
	printf "gc 1 @0.001s 0%%: 0.010+1.0+0.010 ms clock, 0.020+0/1.0/0+0.020 ms cpu, 4->4->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P\n" |
		tracestat ingest 2>/dev/null &&
	lock tracestat.db 10 &&
	wait_for "test -f locked" &&
	# 8 s of a live program (a line every 5 ms, a gc line every 20 ms):
	# all of it while the store is locked; its end comes before the lock goes
	python3 "$FEED" write 8 --counts counts | tracestat ingest 2>err |
		python3 "$FEED" read --out out >delays &&
	test -f unlocked &&
	cat delays err &&
	app=$(sed -n "s/^app=//p" counts) && gc=$(sed -n "s/^gc=//p" counts) &&
	test "$(grep -c "^APP " out)" = "$app" &&
	# a reading loop that waited for the store would hold lines for
	# seconds (the lock lasts 10 s); 1 s is a generous bound on 2 cores
	max=$(sed "s/.*max_ms=\([0-9.]*\).*/\1/" delays) &&
	python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < 1000 else 1)" "$max" &&
	grep -q "^tracestat: warning: .tracestat.db.*locked.*records wait in memory" err &&
	grep -q "can be written again" err &&
	test "$(sql tracestat.db "SELECT count(*) FROM gc_cycles WHERE run_id = 2")" = "$gc" &&
	test "$(sql tracestat.db "SELECT status || char(47) || gc_cycles || char(47) || dropped_records FROM runs WHERE id = 2")" = "complete/$gc/0"
'

test_expect_success 'beyond --backlog, records are dropped, counted and reported: exit 4, run failed' '
	printf "gc 1 @0.001s 0%%: 0.010+1.0+0.010 ms clock, 0.020+0/1.0/0+0.020 ms cpu, 4->4->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P\n" |
		tracestat ingest 2>/dev/null &&
	lock tracestat.db 4 &&
	wait_for "test -f locked" &&
	# 2 s at a gc line every 2 ms: about 1000 records of ~1.5 KiB each
	# against a queue of 64 KiB
	{ python3 "$FEED" write 2 --gc-ms 2 --app-ms 10 --counts counts | expect_exit 4 tracestat ingest --backlog 64KiB >out 2>err; } &&
	cat err &&
	gc=$(sed -n "s/^gc=//p" counts) &&
	test "$(grep -c "^APP " out)" = "$(sed -n "s/^app=//p" counts)" &&
	grep -q "^tracestat: error: [0-9]* records were not stored" err &&
	dropped=$(sql tracestat.db "SELECT dropped_records FROM runs WHERE id = 2") &&
	test "$dropped" -gt 0 &&
	test "$(sql tracestat.db "SELECT count(*) FROM gc_cycles WHERE run_id = 2")" = $((gc - dropped)) &&
	test "$(sql tracestat.db "SELECT status FROM runs WHERE id = 2")" = failed &&
	sql tracestat.db "SELECT status_reason FROM runs WHERE id = 2" | grep -q "^$dropped records dropped"
'

# A size-limited file system: a tmpfs with size=, grown by remount.
probe="$TEST_TMP/probe"
mkdir -p "$probe"
if mount -t tmpfs -o size=1m tmpfs "$probe" 2>"$TEST_TMP/mount.err"; then
	umount "$probe"
	can_mount=1
else
	can_mount=0
fi

if [ $can_mount = 1 ]; then
test_expect_success 'a full file system: records wait, and are stored once there is room' '
	mkdir mnt && mount -t tmpfs -o size=1m tmpfs mnt || exit 1
	trap "umount \"$PWD/mnt\" 2>/dev/null" EXIT
	db=mnt/t.db
	{ python3 "$FEED" write 4 --gc-ms 2 --app-ms 5 --go go --counts counts | tracestat --db $db ingest >out 2>err; echo $? >status; } &
	wait_for "[ \"\$(sql $db \"SELECT count(*) FROM runs\" 2>/dev/null)\" = 1 ]" || exit 1
	# fill the file system to the last byte, then let the program write
	dd if=/dev/zero of=mnt/filler bs=4k 2>/dev/null
	touch go
	wait_for "grep -q full err" || { cat err; exit 1; }
	test ! -f status || exit 1
	mount -o remount,size=64m mnt || exit 1
	wait_for "test -f status" || exit 1
	cat err
	gc=$(sed -n "s/^gc=//p" counts) &&
	test "$(cat status)" = 0 &&
	test "$(grep -c "^APP " out)" = "$(sed -n "s/^app=//p" counts)" &&
	grep -q "can be written again" err &&
	test "$(sql $db "SELECT count(*) FROM gc_cycles")" = "$gc" &&
	test "$(sql $db "SELECT status || char(47) || gc_cycles FROM runs")" = "complete/$gc"
'
else
	test_skip 'a full file system: records wait, and are stored once there is room' \
	    "cannot mount a tmpfs here: $(cat "$TEST_TMP/mount.err")"
fi

# A frozen file system (fsfreeze on a loop-mounted ext4).
frozen_ok=0
if command -v mkfs.ext4 >/dev/null && command -v fsfreeze >/dev/null; then
	truncate -s 32M "$TEST_TMP/fs.img" &&
	mkfs.ext4 -q -F "$TEST_TMP/fs.img" 2>/dev/null &&
	mount -o loop "$TEST_TMP/fs.img" "$probe" 2>"$TEST_TMP/mount.err" &&
	umount "$probe" && frozen_ok=1
fi
if [ $frozen_ok = 1 ]; then
test_expect_success 'a frozen file system: pass-through goes on, records are stored after the thaw' '
	mkdir fs && mount -o loop "$TEST_TMP/fs.img" fs || exit 1
	trap "fsfreeze -u \"$PWD/fs\" 2>/dev/null; umount \"$PWD/fs\" 2>/dev/null" EXIT
	db=fs/t.db
	{ python3 "$FEED" write 5 --go go --counts counts | tracestat --db $db ingest 2>err | python3 "$FEED" read --out out >delays; } &
	wait_for "[ \"\$(sql $db \"SELECT count(*) FROM runs\" 2>/dev/null)\" = 1 ]" || exit 1
	fsfreeze -f fs || exit 1
	touch go
	sleep 3
	fsfreeze -u fs || exit 1
	wait
	cat delays err
	gc=$(sed -n "s/^gc=//p" counts) &&
	test "$(grep -c "^APP " out)" = "$(sed -n "s/^app=//p" counts)" &&
	max=$(sed "s/.*max_ms=\([0-9.]*\).*/\1/" delays) &&
	python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < 1000 else 1)" "$max" &&
	test "$(sql $db "SELECT count(*) FROM gc_cycles")" = "$gc" &&
	test "$(sql $db "SELECT status || char(47) || gc_cycles FROM runs")" = "complete/$gc"
'
else
	test_skip 'a frozen file system: pass-through goes on, records are stored after the thaw' \
	    "cannot mount a loop ext4 here: $(cat "$TEST_TMP/mount.err" 2>/dev/null)"
fi

test_done
