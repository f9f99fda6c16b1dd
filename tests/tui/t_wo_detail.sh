#!/usr/bin/env bash
# Work-order detail at 80x24 and 40x16: status change, labour timer, note,
# part, failure codes, checklist; every change checked in the database with
# `wrench wo show`.  Then fault diagnosis on a corrective work order.
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }

has_show() { w wo show "$1" | grep -qF -- "$2"; }
field_is() { [ "$(db_field "$1" "$2")" = "$3" ]; }

run_detail() {
	local cols=$1 rows=$2 num=$3 tag="$1x$2"

	start_args "$cols" "$rows" "ui $num"
	expect "$num" "$tag: ui $num opens the work order"
	expect "Status: open" "$tag: the detail shows the status"
	# Status: only allowed transitions are offered; 1 = in_progress.
	keys t
	expect "New status" "$tag: t offers the allowed statuses"
	expect "in_progress (start work)" "$tag: open -> in_progress is offered"
	expect_not "closed" "$tag: open -> closed is not offered"
	keys 1
	expect "is now in_progress" "$tag: the new status is confirmed"
	check "$tag: the database says in_progress" retry 3 field_is "$num" Status in_progress
	# Labour timer.
	keys w
	expect "Timer started" "$tag: w starts the labour timer"
	expect "RUNNING since" "$tag: the running timer shows"
	check "$tag: the database has a running timer" retry 3 has_show "$num" "timer running"
	keys w
	expect "Timer stopped" "$tag: w stops the timer"
	check "$tag: the timer is stopped in the database" \
		bash -c "! \"$WRENCH\" --db \"$DB\" wo show $num | grep -q 'timer running'"
	# Note.
	keys a
	expect "Add note" "$tag: a opens the note form"
	keys "Belt replaced at $tag"
	keys Enter
	expect "Note added" "$tag: the note is saved"
	check "$tag: the note is in the database" retry 3 has_show "$num" "Belt replaced at $tag"
	# Part.
	keys p
	expect "Add part used" "$tag: p opens the part form"
	keys "BRG-6204"
	keys Enter
	keys "Ball bearing"
	keys Enter
	keys 2
	keys Enter
	keys Enter
	expect "Part BRG-6204 added" "$tag: the part is saved"
	check "$tag: the part is in the database" retry 3 has_show "$num" "BRG-6204"
	# Failure codes from the pick lists.
	keys c
	expect "Set code" "$tag: c asks which code"
	keys 1
	expect "(none)" "$tag: the problem code pick list opens"
	keys 2
	expect "problem code" "$tag: the problem code is set"
	check "$tag: the problem code is in the database" retry 3 \
		bash -c "[ \"\$(\"$WRENCH\" --db \"$DB\" wo show $num | awk '/^Problem/ { print \$2 }')\" != - ]"
	keys Q
	expect "EXITED 0" "$tag: Q quits"
}

run_detail 80 24 "$TWO"
TWO2=$(w wo new --asset TST-PUMP-1 --title "Second job" --assignee tech)
run_detail 40 16 "$TWO2"

# Checklist on a PM work order: move to the first item and tick it.
for size in "80 24" "40 16"; do
	set -- $size
	start_args "$1" "$2" "ui $CHK"
	expect "Checklist (0/" "$1x$2: the PM work order shows its checklist"
	found=0
	for _ in $(seq 1 40); do
		if screen | grep -qE '^> \[ +\] 1 '; then found=1; break; fi
		keys j
	done
	check "$1x$2: j reaches the first checklist item" [ $found -eq 1 ]
	keys x
	expect "Item 1: pass" "$1x$2: x sets the item to pass"
	check "$1x$2: the database has item 1 passed" \
		retry 3 bash -c "\"$WRENCH\" --db \"$DB\" wo show $CHK | grep -qE '1\\. \\[pass'"
	keys x
	expect "Item 1: fail" "$1x$2: x again sets it to fail"
	keys x
	keys x
	expect "Item 1: pending" "$1x$2: pass, fail, n/a, then pending again"
	keys Q
	expect "EXITED 0" "$1x$2: Q quits"
done

# Fault diagnosis: the finished seal repair on the same asset, and its fix.
for size in "80 24" "40 16"; do
	set -- $size
	start_args "$1" "$2" "ui $LEAK"
	expect "$LEAK" "$1x$2: the corrective work order opens"
	keys d
	expect "Similar faults" "$1x$2: d opens fault diagnosis"
	expect "$FIXED" "$1x$2: the earlier repair is listed"
	expect "same asset" "$1x$2: it is marked as the same asset"
	expect "Replaced the mechanical seal" "$1x$2: what fixed it is shown"
	keys Enter
	expect "Mechanical seal leaking on test pump" "$1x$2: Enter opens the past work order"
	keys Q
	expect "EXITED 0" "$1x$2: Q quits"
done
finish
