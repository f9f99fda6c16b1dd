#!/usr/bin/env bash
# Work that must be recorded, and recorded right, at 40x16 and 120x40: the
# failure record (flag, downtime with n = now, codes) of corrective work;
# completing it asks for that record and books the running timer; required
# codes block completion; the timer refuses finished work, offers to start
# the work order and asks before stopping another timer; cancel asks by
# name; Esc and q on Home do not quit.  Every change is checked in the
# database through the CLI.
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }

json() { w wo show "$1" --format json | jq -r "$2"; }
json_is() { [ "$(json "$1" "$2")" = "$3" ]; }
running() { w wo show "$1" | grep -q 'timer running'; }
not_running() { ! running "$1"; }
# failure_event TAG CODE: the asset's history holds a failure with that code.
failure_event() { w export history --format csv | grep -q "^$1,.*,failure,$2,"; }

# ui_env COLS ROWS "ENV" "ARGS": wrench with extra environment variables.
ui_env() {
	new_session "$1" "$2" "env TERM=xterm-256color $3 \"$WRENCH\" --db \"$DB\" $4"
}

run_record() {
	local cols=$1 rows=$2 tag="$1x$2" asset="REC-$1" n n2 n3 n4 n5

	printf 'tag,name,class\n%s,Record pump %s,pump\n' "$asset" "$tag" >"$T_DIR/rec.csv"
	w import assets "$T_DIR/rec.csv" >/dev/null
	n=$(w wo new --asset "$asset" --title "Pump tripped at $tag" --assignee tech)

	# The timer on open work offers to start the work order.
	start_args "$cols" "$rows" "ui $n"
	expect "Failure: no" "$tag: corrective work shows its failure flag"
	keys w
	expect "Start $n (open) too? y/n" "$tag: w on open work offers to start it"
	keys y
	expect "Timer started; $n in progress" "$tag: the timer and the work start"
	check "$tag: the work order is in progress" retry 5 json_is "$n" .status in_progress
	check "$tag: the timer runs in the database" retry 5 running "$n"

	# The failure record: flag, downtime from and until now (n), codes.
	keys F
	expect "Failure record $n" "$tag: F opens the failure record"
	keys Right
	expect "< yes >" "$tag: the failure flag is set to yes"
	keys Enter
	expect "n: now" "$tag: the downtime field says n is now"
	keys n
	check "$tag: n puts the time now into downtime start" \
		retry 6 bash -c "tmux -L \"$T_SOCK\" capture-pane -p -t main | grep -qE 'Down from +2026-03-02 '"
	keys Enter n Enter
	keys Right
	expect "< BRK" "$tag: the problem code is chosen from the list"
	keys Enter Right Enter Right Enter
	expect "Failure record of $n saved" "$tag: the record is saved"
	check "$tag: the database has the failure flag" retry 5 json_is "$n" .failure true
	check "$tag: the database has the downtime start" \
		retry 5 bash -c "[ \"\$(\"$WRENCH\" --db \"$DB\" wo show $n --format json | jq -r .downtime_start)\" != null ]"
	check "$tag: the database has the downtime end" \
		retry 5 bash -c "[ \"\$(\"$WRENCH\" --db \"$DB\" wo show $n --format json | jq -r .downtime_end)\" != null ]"
	check "$tag: the database has the problem code" retry 5 json_is "$n" .problem BRK
	check "$tag: the database has the cause code" retry 5 json_is "$n" .cause BEAR
	check "$tag: the database has the remedy code" retry 5 json_is "$n" .remedy ADJ
	expect "Downtime: 2026-03-02" "$tag: the detail shows the downtime"

	# Completing: the running timer is named, then the record is asked for.
	keys t
	expect "done (work done)" "$tag: t offers done"
	keys 2
	expect "Stop timer (0 min) and complete? y/n" "$tag: completing asks about the running timer"
	keys y
	expect "Complete $n" "$tag: completing corrective work asks for the failure record"
	keys s
	expect "$n is now done; 1 min booked" "$tag: done, timer booked"
	check "$tag: the database says done" retry 5 json_is "$n" .status done
	check "$tag: no timer runs on the done work" retry 5 not_running "$n"
	check "$tag: the booked minutes are in the database" \
		retry 5 json_is "$n" '[.labor[] | select(.minutes > 0)] | length' 1
	check "$tag: completion added a failure event to the asset's history" \
		retry 5 failure_event "$asset" BRK
	# No timer on finished work.
	keys w
	expect "reopen it" "$tag: w on done work is refused"
	check "$tag: no timer was started on done work" not_running "$n"
	keys Q
	expect "EXITED 0" "$tag: Q quits"

	# Required codes block completion without them.
	n2=$(w wo new --asset "$asset" --title "Noise at $tag" --assignee tech)
	ui_env "$cols" "$rows" "WRENCH_REQUIRE_CODES=1" "ui $n2"
	expect "Status: open" "$tag: required codes: the work order opens"
	keys t
	expect "done (work done)" "$tag: required codes: done is offered"
	keys 3
	expect "Complete $n2" "$tag: required codes: completing asks for the record"
	expect "Codes are required to complete" "$tag: required codes: the form says they are required"
	keys s
	expect "Not saved: $n2 is corrective" "$tag: required codes: saving without them is refused"
	[ "$cols" -ge 100 ] && expect "codes are required" "$tag: required codes: the refusal says why"
	check "$tag: required codes: the work order is still open" json_is "$n2" .status open
	keys Q
	expect "EXITED 0" "$tag: required codes: Q quits"

	# No timer on cancelled work.
	n3=$(w wo new --asset "$asset" --title "Cancelled at $tag")
	w wo cancel "$n3" >/dev/null
	start_args "$cols" "$rows" "ui $n3"
	expect "Status: cancelled" "$tag: the cancelled work order opens"
	keys w
	expect "cancelled: no labour timer" "$tag: w on cancelled work is refused"
	check "$tag: no timer runs on cancelled work" not_running "$n3"
	keys Q
	expect "EXITED 0" "$tag: Q quits"

	# A second timer asks, then books the first; cancel asks by name.
	n4=$(w wo new --asset "$asset" --title "First job $tag")
	n5=$(w wo new --asset "$asset" --title "Second job $tag")
	w wo start "$n5" >/dev/null
	w wo labor "$n4" --start >/dev/null
	start_args "$cols" "$rows" "ui $n5"
	expect "Status: in_progress" "$tag: the second work order opens"
	keys w
	expect "Stop timer on $n4 (0 min)? y/n" "$tag: a second timer names the running one"
	keys n
	expect "Timer not started" "$tag: n keeps the first timer"
	check "$tag: the first timer still runs" running "$n4"
	keys w
	expect "Stop timer on $n4" "$tag: w asks again"
	keys y
	expect "Timer started, $n4: 1 min booked" "$tag: the first timer is booked"
	check "$tag: the first timer is stopped" retry 5 not_running "$n4"
	check "$tag: the second timer runs" retry 5 running "$n5"
	keys t
	expect "cancelled (cancel)" "$tag: cancel is offered"
	keys 3
	expect "Cancel $n5 'Second" "$tag: cancel asks, naming the work order"
	expect "? y/n" "$tag: the question fits the screen"
	keys n
	expect "$n5 unchanged" "$tag: n leaves it"
	check "$tag: n left it in progress" json_is "$n5" .status in_progress
	keys t 3
	expect "Cancel $n5" "$tag: cancel asks again"
	keys y
	expect "$n5 is now cancelled; 1 min" "$tag: y cancels and books the timer"
	check "$tag: the database says cancelled" retry 5 json_is "$n5" .status cancelled
	check "$tag: no timer runs on the cancelled work" retry 5 not_running "$n5"
	keys Q
	expect "EXITED 0" "$tag: Q quits"

	# Esc and q on Home do not quit; Q does.
	start "$cols" "$rows"
	expect "My open work" "$tag: Home opens"
	keys Escape
	expect "Press Q to quit" "$tag: Esc on Home says how to quit"
	keys q
	expect "Press Q to quit" "$tag: q on Home says how to quit"
	expect_not "EXITED" "$tag: Esc and q on Home do not quit"
	keys Q
	expect "EXITED 0" "$tag: Q on Home quits"
}

run_record 40 16
run_record 120 40
finish
