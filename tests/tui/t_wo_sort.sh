#!/usr/bin/env bash
# The planner's work-order list: sorted by several columns and reversed
# (the rows in the database's order for that column), several statuses at
# once, and a filter saved by name, reapplied after a restart.
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }

# The numbers of the list's rows as shown (the first number on each line of
# the list's part of the screen, below the filter line).
shown() {
	screen | tail -n +3 | cut -c1-"$1" | grep -oE 'WO-[0-9]+' | head -"$2" | tr '\n' ' '
}
# want ORDER N [WHERE]: the first N numbers in that order, from the database.
want() {
	sqlite3 "$DB" "SELECT w.number FROM wo w LEFT JOIN asset a ON a.id = w.asset_id
		WHERE ${3:-1} ORDER BY $1 LIMIT $2" | tr '\n' ' '
}
expect_rows() {
	local width=$1 n=$2 order=$3 desc=$4 where=${5:-1}
	local exp
	exp=$(want "$order" "$n" "$where")
	if retry 10 bash -c '[ "$(shown '"$width $n"')" = "$0" ]' "$exp" 2>/dev/null; then
		pass "$desc"
	else
		fail "$desc (want $exp, shown $(shown "$width" "$n"))"
	fi
}
selected() { screen | grep '^>' | grep -qF -- "$1"; }
expect_sel() {
	if retry 10 selected "$1"; then pass "$2"; else fail "$2 (the selected row is not '$1')"; fi
}
export -f shown screen tm
export T_SOCK

DUE="ifnull(w.due_at, 9223372036854775807)"
ACTIVE="w.status IN (1, 2, 3)"
for size in "120 40" "40 16"; do
	set -- $size
	tag="$1x$2"
	lw=$1
	[ "$1" -ge 100 ] && lw=$(($1 * 45 / 100))
	rows=$(($2 - 5))
	[ $rows -gt 8 ] && rows=8
	start "$1" "$2" WRENCH_USER=rpatel
	wait_for "My open work"
	keys 2
	wait_for "Work orders 1/"
	# s: the column menu; 6 = due date, 7 = title, 5 = asset, 4 = priority.
	keys s
	expect "Sort by" "$tag: s opens the sort menu"
	keys 6
	expect "sort:due" "$tag: the filter line says sort:due"
	expect_rows "$lw" "$rows" "$DUE, w.id" "$tag: sorted by due date (no date last)"
	keys r
	expect "sort:due rev" "$tag: r reverses"
	expect_rows "$lw" "$rows" "$DUE DESC, w.id DESC" "$tag: reversed: the latest due first"
	keys s 7
	expect_rows "$lw" "$rows" "w.title, w.id" "$tag: sorted by title"
	keys s 5
	expect_rows "$lw" "$rows" "ifnull(a.tag, ''), w.id" "$tag: sorted by asset tag"
	keys r
	expect_rows "$lw" "$rows" "ifnull(a.tag, '') DESC, w.id DESC" "$tag: by asset, reversed"
	keys G
	last=$(want "ifnull(a.tag, ''), w.id" 1 | tr -d ' ')
	expect_sel "$last" "$tag: G goes to the other end ($last)"
	keys g
	keys s 4
	expect_rows "$lw" "$rows" "w.priority, w.id" "$tag: sorted by priority"

	# Several statuses: open, in progress and on hold (items 3, 4, 5), ok.
	keys f 1
	expect "Statuses" "$tag: the status menu opens"
	keys 3
	expect "[x] open" "$tag: open is marked"
	keys 4
	keys 5
	expect "[x] on_hold" "$tag: on hold is marked too"
	keys 9
	expect "status:open,prog,hold" "$tag: the filter line names the three statuses"
	n=$(sqlite3 "$DB" "SELECT count(*) FROM wo w WHERE $ACTIVE")
	expect "/$n" "$tag: the count is theirs ($n)"
	expect_rows "$lw" "$rows" "w.priority, w.id" "$tag: exactly those statuses, still sorted" "$ACTIVE"
	bad=$(screen | tail -n +3 | cut -c1-"$lw" | grep -E 'WO-[0-9]+' | grep -cvE ' (open|prog|hold) ')
	check "$tag: no other status is listed" [ "$bad" -eq 0 ]

	# Save it by name (the menu's second-last item), then quit.
	keys f G k Enter
	expect "Save filter as:" "$tag: the filter menu saves"
	keys "desk $tag" Enter
	expect "Filter 'desk $tag' saved." "$tag: saved"
	check "$tag: the database has it" \
		[ "$(sqlite3 "$DB" "SELECT count(*) FROM saved_filter WHERE name = 'desk $tag'")" -eq 1 ]
	keys Q
	expect "EXITED 0" "$tag: Q quits"

	# After a restart: the saved filter brings back statuses and sort.
	start "$1" "$2" WRENCH_USER=rpatel
	wait_for "My open work"
	keys 2
	wait_for "all work orders"
	keys f G Enter
	expect "desk $tag" "$tag: the saved filter is offered after a restart"
	keys "$([ "$1" -ge 100 ] && echo 1 || echo 2)"
	expect "status:open,prog,hold sort:priority" "$tag: it brings back statuses and sort"
	expect "/$n" "$tag: with the same count"
	expect_rows "$lw" "$rows" "w.priority, w.id" "$tag: and the same rows" "$ACTIVE"
	keys Q
	expect "EXITED 0" "$tag: Q quits again"
done
finish
