#!/usr/bin/env bash
# The work-order list: scroll, ends, filter, incremental search, open,
# and the desk layout with the list and the detail side by side.
source "$(dirname "$0")/lib.sh"

menu_gone() { ! screen | grep -qF -- "$1"; }
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }
total=$(w wo list --format csv | tail -n +2 | wc -l)

for size in "80 24" "40 16"; do
	set -- $size
	start "$1" "$2"
	wait_for "My open work"
	keys 2
	expect "Work orders 1/" "$1x$2: 2 opens the list at row 1"
	expect "/$total" "$1x$2: the list counts all $total work orders"
	keys j j j
	expect "Work orders 4/" "$1x$2: j moves down"
	keys k
	expect "Work orders 3/" "$1x$2: k moves up"
	keys G
	expect "WO-000001" "$1x$2: G jumps to the oldest work order"
	expect "Work orders $total/$total" "$1x$2: G shows the last position"
	keys g
	expect "Work orders 1/" "$1x$2: g returns to the newest"
	keys Space
	# A page is the list's rows less one (the filter bar takes a row).
	expect "Work orders $(($2 - 4))/" "$1x$2: space pages down"
	keys g
	# Filter: status done.
	keys f
	expect "Filter" "$1x$2: f opens the filter menu"
	keys 1
	expect "Status" "$1x$2: the status pick list opens"
	keys 6
	expect "[x] done" "$1x$2: the status menu marks done and stays open"
	keys 9
	# A digit in a menu acts once no other key follows (a scan guard).
	check "$1x$2: 9 closes the status menu" retry menu_gone "Statuses:"
	expect "status:done" "$1x$2: the filter bar shows status:done"
	done_n=$(w wo list --status done --format csv | tail -n +2 | wc -l)
	expect "/$done_n" "$1x$2: the count follows the filter ($done_n done)"
	expect_not " open " "$1x$2: no open work order is listed"
	keys F
	expect "all work orders" "$1x$2: F clears the filters"
	# Incremental search: Esc cancels, Enter keeps.
	keys /
	wait_for "/"
	keys E v i l
	expect "$EVIL" "$1x$2: search finds the work order as you type"
	expect "Work orders 1/1" "$1x$2: search narrows the list to one"
	keys Escape
	expect "all work orders" "$1x$2: Esc cancels the search"
	keys /
	keys S e a l
	wait_for "/Seal"
	keys Enter
	expect "/Seal" "$1x$2: Enter keeps the search"
	expect "$LEAK" "$1x$2: the kept search lists $LEAK"
	keys g
	keys Enter
	expect "Status: " "$1x$2: Enter opens the selected work order"
	keys q
	expect "/Seal" "$1x$2: q returns to the list with its search"
	keys Q
	expect "EXITED 0" "$1x$2: Q quits"
done

# Desk: 120 columns show the selected work order beside the list.
start 120 40
wait_for "My open work"
keys 2
expect "│" "120x40: a separator splits list and detail"
keys /
keys E v i l
keys Enter
expect "Assignee: tech" "120x40: the detail of the selected row shows beside the list"
keys Q
expect "EXITED 0" "120x40: Q quits"
finish
