#!/bin/sh
# The store interface hides its engine (issue 10): only the SQLite engine's
# own files, `query` (whose SQL goes to the engine) and the files not yet
# converted name sqlite3 or include the engine's private header.  Tighten
# ALLOWED as files are converted; a new file that needs the engine belongs
# to the engine.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

# The engine and query.
ALLOWED=${ALLOWED:-"store-sqlite.c store-sqlite-read.c store-sqlite.h store-sqlite-query.c"}

# extra DIR: the files of DIR that name the engine and are not ALLOWED.
extra() {
	(cd "$1" && grep -rl -e sqlite3 -e "include \"store-sqlite\.h\"" --include="*.[ch]" .) |
	    sed "s#.*/##" | sort >found
	for f in $ALLOWED; do echo "$f"; done | sort >allowed
	comm -23 found allowed
}

test_expect_success 'only the engine files and query name sqlite3 or include store-sqlite.h' '
	extra "$SRCDIR/src" >extra &&
	test_cmp /dev/null extra
'

test_expect_success 'store.h names no engine type' '
	! grep -n -i -e "sqlite3" -e "PGconn" -e "libpq" "$SRCDIR/src/store/store.h"
'

test_expect_success 'the analyses take a struct store, never a statement or a connection' '
	for h in "$SRCDIR"/src/analysis/an-*.h; do
		grep -n -e "sqlite" -e "_stmt" "$h" && exit 1
	done
	grep -l "struct store \*" "$SRCDIR"/src/analysis/an-heap.h "$SRCDIR"/src/analysis/an-leaks.h \
		"$SRCDIR"/src/analysis/an-pauses.h "$SRCDIR"/src/analysis/an-sched.h >headers &&
	test "$(wc -l <headers)" = 4
'

test_expect_success 'the meta-test itself notices a file that names sqlite3' '
	mkdir src &&
	cp -R "$SRCDIR"/src/. src/ &&
	printf "#include <sqlite3.h>\n" >>src/analysis/an-heap.c &&
	extra src >extra &&
	echo an-heap.c >want &&
	test_cmp want extra
'

test_done
