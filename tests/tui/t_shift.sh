#!/usr/bin/env bash
# One technician's whole shift in the terminal interface alone, at 40x16
# (the handheld) and at 80x24: open a work order by scanning its number, and
# by scanning its asset's tag and opening it from the asset; start it; start
# the labour timer (which stops the morning round's timer after asking);
# quit, and come back a day later; record the failure with downtime and
# codes from the pick lists; add a note and a part; complete it, which books
# the timer.  After each step the screen and the database (through the CLI)
# agree.  On the way, the surprises of issue 12 must not happen: a scan
# while the status list or a question is open acts on neither, Esc on Home
# does not quit, and the second timer asks before stopping the first.
#
# The store's clock is WRENCH_TODAY's date plus the real time of day, so
# moving WRENCH_TODAY on by a day makes the timer book a day's minutes
# without the test waiting for them (a run that straddles the real midnight
# would book less: a window of seconds a day).
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }

DAY1=2026-03-01        # the day the shift's timer starts
DAY2=$WRENCH_TODAY     # the day after, when the work is finished

json() { w wo show "$1" --format json | jq -r "$2"; }
json_is() { [ "$(json "$1" "$2")" = "$3" ]; }
status_is() { json_is "$1" .status "$2"; }
running() { json_is "$1" '[.labor[] | select(.running)] | length' 1; }
not_running() { json_is "$1" '[.labor[] | select(.running)] | length' 0; }
booked_is() { json_is "$1" '[.labor[].minutes // 0] | add' "$2"; }
# listed_as NUM STATUS: `wo list --format csv` shows the work order so.
listed_as() { w wo list --format csv | grep -q "^$1,[a-z]*,$2,"; }
# exported NUM COLUMN VALUE: `export workorders` has VALUE in COLUMN of the
# work order's row (these rows hold no quoted commas).
exported() {
	[ "$(w export workorders | awk -F, -v n="$1" -v c="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$1 == n { print $col[c]; exit }')" = "$3" ]
}
working_on() { status_is "$1" in_progress && running "$1"; }
completed_on() { w wo show "$1" | grep -qE "^Completed +$2 "; }
has_show() { w wo show "$1" | grep -qF -- "$2"; }
# failure_event TAG WHEN CODE: the asset's history has the failure.
failure_event() { w export history --format csv | grep -q "^$1,$2,failure,$3,"; }
my_open_work() { w wo list --status active --assignee tech --format csv | tail -n +2 | wc -l; }
# shown REGEX: the first text on the screen that matches REGEX.
shown() { screen | grep -oE -- "$1" | head -n 1; }
on_screen() { screen | grep -qE -- "$1"; }
# select_row TEXT: j down the asset's lines until the row of TEXT is chosen.
select_row() {
	local _
	for _ in $(seq 1 30); do
		screen | grep -qF -- "> $1" && return 0
		keys j
	done
	return 1
}

run_shift() {
	local cols=$1 rows=$2 tag="$1x$2" conv="CV-41$1" fan="YD-14$1" job round
	local until mins before

	# The day before: a conveyor job waits for tech, and the morning
	# round on a fan runs tech's timer (both made with the CLI).
	printf 'tag,name,class\n%s,Case conveyor %s,conveyor\n%s,Yard fan %s,fan\n' \
		"$conv" "$tag" "$fan" "$tag" >"$T_DIR/shift.csv"
	w import assets "$T_DIR/shift.csv" >/dev/null
	job=$(WRENCH_TODAY=$DAY1 w wo new --asset "$conv" --assignee tech \
		--title "Belt slipping on case conveyor $tag")
	round=$(WRENCH_TODAY=$DAY1 w wo new --asset "$fan" --assignee tech --type inspection \
		--title "Round on yard fan $tag")
	WRENCH_TODAY=$DAY1 w wo start "$round" >/dev/null
	WRENCH_TODAY=$DAY1 w wo labor "$round" --start >/dev/null

	# ---- Day 1.  Home: Esc does not quit.
	start "$cols" "$rows" WRENCH_TODAY=$DAY1
	expect "My open work" "$tag: Home opens"
	keys Escape
	expect "Press Q to quit" "$tag: Esc on Home says how to quit"
	expect_not "EXITED" "$tag: Esc on Home does not quit"

	# Open by scanning the number, then by the asset's tag.
	scan "$job"
	expect "Belt slipping on case" "$tag: scanning $job opens it"
	expect "Status: open" "$tag: the work order is open"
	check "$tag: the database has it open" status_is "$job" open
	keys q
	wait_for "My open work"
	scan "$conv"
	expect "Asset $conv" "$tag: scanning $conv opens the asset"
	expect "Open work orders (1)" "$tag: the asset lists its open work order"
	check "$tag: j reaches $job on the asset" select_row "$job"
	keys Enter
	expect "Belt slipping on case" "$tag: Enter opens $job from the asset"

	# A scan with the status list open chooses nothing (the round's
	# number holds a 1, which would start the job).
	keys t
	expect "1 in_progress (start work)" "$tag: t offers to start the work"
	paced 50 "$round"
	expect "Round on yard fan" "$tag: a scan in the status list opens $round"
	expect_not "New status" "$tag: the status list closed"
	keys q
	expect "Status: open" "$tag: q returns to $job, still open"
	check "$tag: the scan left $job open in the database" status_is "$job" open

	# Start the work.
	keys t
	wait_for "New status"
	keys 1
	expect "$job is now in_progress" "$tag: 1 starts the work"
	check "$tag: the database says in_progress" retry status_is "$job" in_progress
	check "$tag: wo list says in_progress" listed_as "$job" in_progress

	# The timer asks before stopping the round's; a scan of a tag with a Y
	# in it does not answer the question.
	keys w
	expect "Stop timer on $round (" "$tag: a second timer names the running one"
	scan "$fan"
	expect "Asset $fan" "$tag: a scan during the question opens $fan"
	check "$tag: the round's timer still runs" running "$round"
	check "$tag: no timer runs on $job" not_running "$job"
	keys q
	expect "Status: in_progress" "$tag: q returns to $job"
	expect_not "Stop timer on" "$tag: the question closed unanswered"
	keys w
	expect "Stop timer on $round" "$tag: w asks again"
	keys y
	expect "Timer started, $round: " "$tag: y books the round and starts the timer"
	expect "RUNNING since $DAY1" "$tag: the detail shows the timer running"
	check "$tag: the round's timer is stopped" retry not_running "$round"
	check "$tag: the round has its minutes booked" \
		retry json_is "$round" '[.labor[].minutes] | length == 1 and .[0] >= 1' true
	check "$tag: the timer runs on $job" retry running "$job"
	keys Q
	expect "EXITED 0" "$tag: Q quits"
	check "$tag: the timer runs on after quitting" running "$job"

	# ---- Day 2: the same timer, a day later.
	before=$(my_open_work)
	start "$cols" "$rows"
	expect "My open work ($before)" "$tag: Home counts tech's open work"
	scan "$job"
	expect "Status: in_progress" "$tag: scanning $job opens it again"
	expect "RUNNING since $DAY1" "$tag: its timer ran on"

	# The failure record: flag, downtime from the evening before until now
	# (n), codes from the pick lists.
	keys F
	expect "Failure record $job" "$tag: F opens the failure record"
	keys Right
	expect "< yes >" "$tag: the failure flag is yes"
	keys Enter
	keys "$DAY1 22:30"
	keys Enter
	keys n
	expect "Down until  $DAY2 " "$tag: n puts now into the downtime end"
	until=$(shown "Down until +$DAY2 [0-9:]{8}" | grep -oE "$DAY2 [0-9:]{8}")
	keys Enter
	keys Right Right
	expect "< CTRL" "$tag: the problem is picked from the list"
	keys Enter
	keys Right
	expect "< BEAR" "$tag: the cause is picked from the list"
	keys Enter
	keys Right Right
	expect "< CAL" "$tag: the remedy is picked from the list"
	keys s
	expect "Failure record of $job saved" "$tag: s saves the record"
	expect "Downtime: $DAY1 22:30:00" "$tag: the detail shows the downtime"
	expect "Failure: yes" "$tag: the detail shows the failure"
	check "$tag: the database has the failure flag" retry exported "$job" failure yes
	check "$tag: the database has the downtime start" \
		exported "$job" downtime_start "$DAY1 22:30:00"
	check "$tag: the database has the downtime end ($until)" \
		exported "$job" downtime_end "$until"
	check "$tag: the database has the problem code" exported "$job" problem CTRL
	check "$tag: the database has the cause code" exported "$job" cause BEAR
	check "$tag: the database has the remedy code" exported "$job" remedy CAL
	check "$tag: still in progress, timer running" working_on "$job"

	# A note and a part.
	keys a
	expect "Add note" "$tag: a opens the note form"
	keys "Tensioned the belt, replaced the idler bearing ($tag)"
	keys Enter
	expect "Note added to $job" "$tag: the note is saved"
	check "$tag: the database has the note" \
		retry has_show "$job" "Tensioned the belt, replaced the idler bearing ($tag)"
	keys p
	expect "Add part used" "$tag: p opens the part form"
	keys "BRG-6205"
	keys Enter
	keys "Idler bearing"
	keys Enter
	keys 2
	keys Enter
	keys "12.50"
	keys Enter
	expect "Part BRG-6205 added to $job" "$tag: the part is saved"
	check "$tag: the database has the part, 2 at 12.50" \
		retry json_is "$job" '.parts | map("\(.part_code) \(.qty) \(.unit_cost)") | join(";")' \
		"BRG-6205 2 12.5"
	keys G
	expect "BRG-6205 x2 Idler bearing @12.50" "$tag: the detail lists the part"
	expect "tech: Tensioned" "$tag: the detail lists the note"
	expect "($tag)" "$tag: ... to its end"

	# Complete: the running timer is named and booked, the record asked for.
	keys t
	expect "done (work done)" "$tag: t offers done"
	keys 2
	expect "min) and complete? y/n" "$tag: completing asks about the running timer"
	keys y
	expect "Complete $job" "$tag: completing asks for the failure record"
	expect "< CTRL" "$tag: the completion form holds the codes recorded"
	keys s
	expect "$job is now done; " "$tag: s completes the work"
	mins=$(shown "$job is now done; [0-9]+ min booked" | grep -oE '[0-9]+ min' | grep -oE '[0-9]+')
	check "$tag: a day's minutes were booked (${mins:-none})" [ "${mins:-0}" -ge 1440 ]
	keys g
	expect "Timer: stopped, $mins min booked" "$tag: the detail shows the minutes booked"
	keys G
	check "$tag: the detail lists the labour booked" \
		retry on_screen "tech $DAY1 [0-9:]{8} +$mins min"
	check "$tag: the database says done" retry status_is "$job" done
	check "$tag: wo list says done" listed_as "$job" done
	check "$tag: the database has $mins min booked" booked_is "$job" "$mins"
	check "$tag: no timer runs on done work" not_running "$job"
	check "$tag: completed by tech" exported "$job" completed_by tech
	check "$tag: completed on $DAY2" completed_on "$job" "$DAY2"
	check "$tag: the codes are still there" exported "$job" problem CTRL
	check "$tag: the asset's history has the failure" \
		failure_event "$conv" "$DAY1 22:30:00" CTRL

	# Home no longer counts the finished job; Esc stays, Q quits.
	keys 1
	expect "My open work ($((before - 1)))" "$tag: Home counts one job less"
	check "$tag: the CLI counts one job less" [ "$(my_open_work)" -eq $((before - 1)) ]
	keys Escape
	expect "Press Q to quit" "$tag: Esc on Home still does not quit"
	keys Q
	expect "EXITED 0" "$tag: Q quits at the end of the shift"
}

run_shift 40 16
run_shift 80 24
finish
