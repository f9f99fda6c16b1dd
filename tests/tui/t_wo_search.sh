#!/usr/bin/env bash
# Incremental search over a table large enough to take several bounded scan
# chunks (120,000 work orders): a term that matches nothing ends on "no work
# order matches", a term matching only the oldest row finds it, a term whose
# matches are far apart finds the far one too, and the timing log records
# when the result is complete; a type filter matching one old row finds it
# the same way.
source "$(dirname "$0")/lib.sh"

make_big_db() {
	w init >/dev/null || return 1
	printf 'tag,name\nBIG-1,Big pump\n' >"$T_DIR/assets.csv"
	w import assets "$T_DIR/assets.csv" >/dev/null || return 1
	awk 'BEGIN {
		print "number,title,asset,status,type"
		for (i = 1; i <= 120000; i++)
			printf "WO-%07d,%s %d,%s,%s,%s\n", i, i == 1 ? "Needle far down" : "Routine check", i,
			       i % 3 ? "BIG-1" : "", i % 2 ? "done" : "open",
			       i == 5 ? "request" : "corrective"
	}' >"$T_DIR/wo.csv"
	w import workorders "$T_DIR/wo.csv" >/dev/null
}
make_big_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }
TLOG="$T_DIR/timing.log"

for size in "80 24" "40 16"; do
	set -- $size
	: >"$TLOG"
	start "$1" "$2" "WRENCH_TUI_TIMING=$TLOG"
	wait_for "My open work"
	keys 2
	expect "Work orders 1/" "$1x$2: the list opens"
	# Nothing matches: every chunk comes back empty until the table ends.
	keys /
	keys q
	keys x
	keys z
	expect "no work order matches" "$1x$2: a term matching nothing ends on no match"
	expect "Work orders 0" "$1x$2: the title says 0 once the scan is done"
	expect_not "searching" "$1x$2: nothing says searching after the end"
	check "$1x$2: the timing log records the finished search" grep -q '^search [0-9]' "$TLOG"
	keys Escape
	expect "all work orders" "$1x$2: Esc cancels the search"
	# The only match is the oldest work order, 120,000 ids down.
	keys /
	keys N e e d l e
	expect "WO-0000001" "$1x$2: a term matching the oldest row finds it"
	expect "Work orders 1/1" "$1x$2: and counts it alone"
	keys Enter
	expect "/Needle" "$1x$2: Enter keeps the search"
	keys Enter
	expect "Needle far down" "$1x$2: Enter opens the found work order"
	keys q
	expect "WO-0000001" "$1x$2: back on the list, the found row is still there"
	keys F
	# Twelve matches: 119990-119999 at the top, 111999, and 11999 far below.
	keys /
	for c in 1 1 9 9 9; do keys "$c"; done
	expect "WO-0119999" "$1x$2: the newest match shows first"
	keys Enter
	keys G
	expect "WO-0011999" "$1x$2: the far match is found too"
	expect "Work orders 12/12" "$1x$2: twelve matches in all"
	keys g
	expect "Work orders 1/12" "$1x$2: g returns to the newest match"
	keys F
	# A filter no index serves, on a value one row has, far down: scanned
	# like a search.
	keys f
	keys 3
	expect "Type" "$1x$2: the type pick list opens"
	keys 5
	expect "WO-0000005" "$1x$2: a type filter matching only an old row finds it"
	expect "Work orders 1/1" "$1x$2: and counts it alone"
	expect_not "searching" "$1x$2: nothing says searching after the end"
	keys Q
	expect "EXITED 0" "$1x$2: Q quits"
done
finish
