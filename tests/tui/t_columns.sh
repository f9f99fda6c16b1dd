#!/usr/bin/env bash
# List columns by priority and width: a wider terminal shows the columns a
# narrower one shows, and more, never fewer.  The work-order list shows the
# asset and due columns at 80, 100, 120 and 160 columns (the desk layout
# used to drop them at 120); the asset list its class column; the PM list
# and the risk ranking keep their columns as the width grows.
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }
printf 'tag,name,class\nCOL-1,Column asset,conveyor-xyz\n' >"$T_DIR/col.csv"
w import assets "$T_DIR/col.csv" >/dev/null
DUEWO=$(w wo new --asset COL-1 --title "Column check job" --due 2026-03-20 --assignee tech)

# row TEXT: the selected row, holding TEXT, without a desk preview beside it.
row() { screen | grep "^>" | grep -F -- "$1" | head -1 | sed 's/│.*//; s/|.*//'; }

# has_col LINE TEXT: 1 when the line shows TEXT, else 0.
has_col() { case $1 in *"$2"*) echo 1 ;; *) echo 0 ;; esac; }

# monotonic NAME VALUES...: the column shows at no width narrower than one
# where it does not show (0 0 1 1 is right, 1 0 is not).
monotonic() {
	local name=$1 prev=0 v
	shift
	for v in "$@"; do
		if [ "$v" -lt "$prev" ]; then
			fail "the $name column shows at a narrower width but not at a wider one ($*)"
			return
		fi
		prev=$v
	done
	pass "the $name column never disappears as the width grows ($*)"
}

asset_at=() due_at=() class_at=() pmasset_at=() pmhours_at=() rclass_at=() rb10_at=()
for size in "40 16" "80 24" "100 30" "120 40" "160 50"; do
	set -- $size
	start "$1" "$2"
	wait_for "My open work"
	keys 2
	keys /
	keys "Column check"
	keys Enter
	wait_for "$DUEWO" 20
	line=$(row "$DUEWO")
	asset_at+=("$(has_col "$line" COL-1)")
	due_at+=("$(has_col "$line" 2026-03-20)")
	check "$1x$2: the work-order row shows its number and title" \
		grep -q "Column check" <<<"$line"
	if [ "$1" -ge 80 ]; then
		check "$1x$2: the work-order row shows the asset column" grep -q "COL-1" <<<"$line"
		check "$1x$2: the work-order row shows the due column" grep -q "2026-03-20" <<<"$line"
	fi
	keys 3
	wait_for "locations"
	keys t
	keys /
	keys "COL-1"
	keys Enter
	wait_for "Column asset" 20
	line=$(row "Column asset")
	class_at+=("$(has_col "$line" conveyor-xyz)")
	keys 4
	wait_for "PM schedules"
	line=$(screen | sed -n 2p)
	pmasset_at+=("$(has_col "$line" asset)")
	pmhours_at+=("$(has_col "$line" hours)")
	keys 5
	wait_for "MTBF" 30 || wait_for " asset" 30
	line=$(screen | sed -n 3p)
	rclass_at+=("$(has_col "$line" class)")
	rb10_at+=("$(has_col "$line" B10)")
	keys Q
	expect "EXITED 0" "$1x$2: Q quits"
done
monotonic "work orders: asset" "${asset_at[@]}"
monotonic "work orders: due" "${due_at[@]}"
check "the asset list shows the class column at 120 columns" [ "${class_at[3]}" = 1 ]
monotonic "assets: class" "${class_at[@]}"
monotonic "PM: asset" "${pmasset_at[@]}"
monotonic "PM: hours" "${pmhours_at[@]}"
monotonic "risk: class" "${rclass_at[@]}"
monotonic "risk: B10" "${rb10_at[@]}"
finish
