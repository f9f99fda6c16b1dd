#!/usr/bin/env bash
# Home at 80x24 and 40x16: the four sections, the key bar, help generated
# from the keymap, Q quits (q does not).
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }

for size in "80 24" "40 16"; do
	set -- $size
	start "$1" "$2"
	expect "My open work" "$1x$2: home shows my open work"
	expect "$TWO" "$1x$2: my open work lists $TWO (assigned to tech)"
	expect "Overdue PM" "$1x$2: home shows overdue PM"
	expect "At risk" "$1x$2: home shows the risk section"
	expect "% " "$1x$2: the risk ranking appears (computed when idle)"
	expect "offline: sync not configured" "$1x$2: home shows the sync state"
	expect "?Help" "$1x$2: the key bar offers help"
	expect "2WO" "$1x$2: the key bar offers the work-order list"
	keys '?'
	expect "Keys on Home" "$1x$2: ? opens help for this screen"
	keys G
	expect "Barcode scanner" "$1x$2: help scrolls to its end"
	keys g
	keys q
	expect "My open work" "$1x$2: q closes help"
	keys q
	expect "Press Q to quit" "$1x$2: q on home does not quit, it says how"
	keys Q
	expect "EXITED 0" "$1x$2: Q on home quits with status 0"
done

# Help lists the keymap's own words (the table in tui/keymap.h).
start 120 40
wait_for "My open work"
keys 2
wait_for "Work orders"
keys '?'
expect "Keys on Work orders" "help starts with the list's keys"
expect "Filter by status, priority, type, assignee or asset" "help shows the filter key's help"
expect "Quit wrench (asks first when an edit is unsaved)" "help shows the global keys"
# The list's own keys come first; the other screens' follow further down.
keys Space
expect "Start or stop my labour timer on this work order" "help shows other screens' keys"
keys Q
expect "EXITED 0" "Q quits from help"
finish
