#!/usr/bin/env bash
# Home scrolls: every row of every section (my work, overdue PM, the risk
# ranking) can be reached with the cursor and opened, and each section ends
# in a row that opens its full screen.  At 40x16 and at desk size.
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }

# selected: the text of the selected row (the one marked ">").
selected() { screen | sed -n 's/^>//p' | head -1; }

for size in "40 16" "120 40"; do
	set -- $size
	start "$1" "$2"
	wait_for "% " 30
	# Walk down every selectable row, noting each one the cursor reaches.
	seen=$T_DIR/seen
	: >"$seen"
	for i in $(seq 1 40); do
		selected >>"$seen"
		keys j
	done
	n=$(sort -u "$seen" | grep -c .)
	# 3 of my work orders, 3 overdue PM, 12 assets at risk, 3 "all" rows.
	check "$1x$2: the cursor reaches all 21 rows of Home (reached $n)" [ "$n" -ge 21 ]
	check "$1x$2: the last risk row is reached" grep -q "whole risk ranking" "$seen"
	expect "offline: sync not configured" "$1x$2: the sync line stays at the bottom"
	keys k
	row=$(selected)
	tag=$(echo "$row" | awk '{ print $2 }')
	keys Enter
	expect "$tag" "$1x$2: the last asset at risk ($tag) opens"
	expect "Asset $tag" "$1x$2: it opens the asset's screen"
	keys q
	keys G
	expect ">  the whole risk ranking" "$1x$2: G goes to the last row of Home"
	keys Enter
	expect "Failure risk" "$1x$2: the risk section opens the risk ranking"
	keys q
	keys g
	expect "My open work" "$1x$2: g scrolls back to the top"
	keys Tab
	expect ">!PM-" "$1x$2: Tab goes to the next section"
	keys k
	expect ">  all my open work orders" "$1x$2: my work ends in its 'all' row"
	keys Enter
	expect "Work orders" "$1x$2: my work opens as a work-order list"
	expect "$TWO" "$1x$2: the list holds my work"
	keys q
	keys Tab
	keys Tab
	keys k
	expect ">  all PM schedules" "$1x$2: the PM section ends in its 'all' row"
	keys Enter
	expect "PM schedules" "$1x$2: it opens the PM schedules"
	keys Q
	expect "EXITED 0" "$1x$2: Q quits"
done
finish
