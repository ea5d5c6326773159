#!/bin/sh
# pg-cluster.sh - a throwaway PostgreSQL cluster for the test suite.
#
#   tests/pg-cluster.sh start       initdb and start a cluster in a new
#                                   folder under $TMPDIR (or /tmp when the
#                                   server's user cannot reach $TMPDIR),
#                                   listening on a Unix socket there only;
#                                   print its connection URI, whose host=
#                                   part is the folder
#   tests/pg-cluster.sh stop DIR    stop it (fast shutdown) and remove DIR
#   tests/pg-cluster.sh bindir      print where the server programs are, or
#                                   fail when they are not installed
#   tests/pg-cluster.sh halt DIR    stop its server at once (as a crash
#                                   would: -m immediate), keeping DIR
#   tests/pg-cluster.sh resume DIR  start the halted server again
#
# initdb refuses to run as root, so as root the cluster is made and run by
# the `postgres` user (Debian's package creates it) with runuser(1).  The
# cluster trusts local connections and holds one database, tracestat_test,
# owned by the role that runs the tests (root as root).
set -eu

bindir() {
	for d in "$(pg_config --bindir 2>/dev/null || true)" \
	    $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4,4n -r); do
		[ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] &&
		    { echo "$d"; return 0; }
	done
	return 1
}

# The server's options but its socket folder: no TCP, room for the
# concurrent tests; no fsync (a throwaway cluster), but a commit is written
# before it is answered, so a crashed server (halt) loses no committed row.
server_options() {
	echo "-c listen_addresses= -c max_connections=300 -c fsync=off -c full_page_writes=off"
}

as_owner() (
	# from a folder the server's user may enter
	cd / || exit 1
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
)

cmd=${1:-}
case "$cmd" in
bindir)
	bindir ;;
start)
	bin=$(bindir) || { echo "pg-cluster: no PostgreSQL server programs (apt-get install postgresql)" >&2; exit 1; }
	parent=${TMPDIR:-/tmp}
	as_owner test -w "$parent" -a -x "$parent" 2>/dev/null || parent=/tmp
	dir=$(mktemp -d "$parent/tracestat-pg.XXXXXX")
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres: "$dir"
		# the socket directory must be reachable by the tests' user
		chmod 755 "$dir"
	fi
	trap 'as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$dir"' EXIT
	as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 \
	    --no-locale >"$dir/initdb.log" 2>&1 ||
	    { cat "$dir/initdb.log" >&2; exit 1; }
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
	    -o "-k $dir $(server_options)" \
	    start >/dev/null ||
	    { cat "$dir/server.log" >&2; exit 1; }
	me=$(id -un)
	psql=$bin/psql
	[ -x "$psql" ] || psql=psql
	if [ "$me" != postgres ]; then
		"$psql" -X -q -h "$dir" -U postgres -d postgres \
		    -c "CREATE ROLE \"$me\" LOGIN SUPERUSER" >/dev/null
	fi
	"$psql" -X -q -h "$dir" -U postgres -d postgres \
	    -c "CREATE DATABASE tracestat_test OWNER \"$me\"" >/dev/null
	trap - EXIT
	echo "postgresql:///tracestat_test?host=$dir"
	;;
stop)
	dir=${2:?usage: pg-cluster.sh stop DIR}
	bin=$(bindir) || exit 0
	[ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
	;;
halt)
	dir=${2:?usage: pg-cluster.sh halt DIR}
	bin=$(bindir)
	as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
	;;
resume)
	dir=${2:?usage: pg-cluster.sh resume DIR}
	bin=$(bindir)
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
	    -o "-k $dir $(server_options)" \
	    start >/dev/null
	;;
*)
	echo "usage: pg-cluster.sh start | stop DIR | halt DIR | resume DIR | bindir" >&2
	exit 2 ;;
esac
