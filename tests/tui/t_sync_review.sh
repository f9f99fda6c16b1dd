#!/usr/bin/env bash
# Sync in the interface at 40x16 and at desk size, on a device whose pushes
# a stand-in for the server settled (tests/tools/sync_settle): Home and the
# title bar show the conflicts, rejected edits and edits waiting; 7 and
# Home's row open the conflict review; take theirs, edit (then kept), keep
# mine and drop each change the database as `wrench wo show`, the outbox
# and `wrench conflicts` say; at the end nothing waits and Home says so.  The
# server the device remembers does not answer: the background sync shows
# "offline" and changes nothing.
source "$(dirname "$0")/lib.sh"
SETTLE=${SYNC_SETTLE:-$WRENCH_SRC/build/tests/tools/sync_settle}
if [ ! -x "$SETTLE" ]; then
	echo "no tests/tools/sync_settle at $SETTLE: run make first" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
st() { "$SETTLE" "$DB" "$@"; }

# A device with two work orders and two pumps, every record known to the
# server, then: priority and title of WO-000001 and the status of
# WO-000002 changed here and on the server (conflicts), and a change of a
# pump's name rejected.
make_sync_db() {
	rm -f "$DB"
	w init >/dev/null || return 1
	printf 'tag,name,class\nP-1,Pump one,pump\nP-2,Pump two,pump\n' >"$T_DIR/a.csv"
	w import assets "$T_DIR/a.csv" >/dev/null || return 1
	WO1=$(w wo new --asset P-1 --title "Seal leak" --assignee tech) || return 1
	WO2=$(w wo new --asset P-2 --title "Bearing noise" --assignee tech) || return 1
	(umask 077 && printf '%064d\n' 0 >"$T_DIR/token")
	# Port 9 (discard) answers nobody here: the background sync is offline.
	st remember http://127.0.0.1:9 "$T_DIR/token" || return 1
	st applied || return 1
	w wo set "$WO1" --priority high >/dev/null || return 1
	w wo set "$WO1" --title "Seal leak, pump one" >/dev/null || return 1
	w wo start "$WO2" >/dev/null && w wo done "$WO2" >/dev/null || return 1
	st conflict kw 2026-03-02T09:42:00Z priority=low title="Seal leak at the gland" \
		status=on_hold || return 1
	printf 'tag,name,class\nP-2,Pump 2 spare,pump\n' >"$T_DIR/a2.csv"
	w import assets "$T_DIR/a2.csv" >/dev/null || return 1
	st rejected forbidden "technicians may not edit the asset register" || return 1
	# A change waiting to be sent.
	w wo set "$WO2" --title "Bearing noise, drive end" >/dev/null
}

# wrench conflicts --format json has the line (record and field, or the
# rejected record) / has not.
issues_have() { w conflicts --format json | grep -qF -- "$1"; }
no_issue() { ! w conflicts --format json | grep -qF -- "$1"; }
outbox_has() { st outbox | grep -qF -- "$1"; }
asset_name_is() {
	w export assets --format csv 2>/dev/null | grep -q "^$1,$2,"
}

run_review() {
	local cols=$1 rows=$2 tag="$1x$2"

	make_sync_db || { fail "$tag: cannot build the sync database"; return; }
	# The server's clock is UTC; the plant's is an hour ahead.
	start "$cols" "$rows" TZ=CET-1
	expect "3 conflicts, 1 rejected" "$tag: Home shows the conflicts and rejected edits"
	expect "offline" "$tag: the background sync finds the server down"
	if [ "$cols" -ge 100 ]; then
		expect "3 conflicts, 1 rejected, 1 to send, offline | tech" \
			"$tag: the title bar shows the sync state"
	else
		expect "offline +1 !4" "$tag: the title bar shows the sync state, short"
	fi
	# Home's own row opens the review (the last row of Home).
	keys G
	expect "review 3 conflicts, 1 rejected >" "$tag: Home offers the review"
	keys Enter
	expect "Conflicts 3, rejected 1" "$tag: Enter on it opens the review"
	keys q
	expect "wrench: Home" "$tag: q goes back to Home"
	keys 7
	expect "Conflicts 3, rejected 1" "$tag: 7 opens the review"
	keys '?'
	expect "Conflict: keep my value" "$tag: help names the review's keys"
	keys q
	expect "$WO1  workorders" "$tag: a record's conflicts under its number"
	expect "Priority  mine: high  theirs: low (kw" "$tag: one field per line, mine and theirs"
	# The selected line is shown whole, wrapped at 40 columns.
	expect "10:42" "$tag: when theirs was made (local time)"

	# Take theirs: the server's value here, and an edit that tells the
	# server, which ends the conflict for the other device too.
	keys t
	expect "took theirs" "$tag: t takes theirs"
	check "$tag: the priority is theirs" retry bash -c \
		"[ \"\$(\"$WRENCH\" --db \"$DB\" wo show $WO1 | awk '/^Priority/ { print \$2 }')\" = low ]"
	check "$tag: the priority conflict is gone" \
		no_issue "\"record\": \"$WO1\", \"field\": \"priority\""
	expect "Conflicts 2, rejected 1" "$tag: the review counts one fewer"

	# Edit: a third value, which is then kept as mine.
	expect "Title  mine: Seal leak, pump one" "$tag: the title conflict is next"
	keys e
	expect "Title: " "$tag: e asks for the value"
	keys "Gland leak"
	keys Enter
	expect "set to Gland leak" "$tag: the edit is kept"
	check "$tag: the title is the typed one" retry has_title "$WO1" "Gland leak"
	check "$tag: the edit waits to be sent, based on theirs" \
		outbox_has "workorders update v4 title=Seal leak at the gland>Gland leak"
	check "$tag: take theirs was an edit based on theirs too" \
		outbox_has "workorders update v4 priority=low>low"

	# Keep mine: a new edit based on the server's version.
	expect "Status  mine: done  theirs: on_hold" "$tag: the status conflict is next"
	keys m
	expect "kept mine (done)" "$tag: m keeps mine"
	check "$tag: keep mine is an edit based on theirs" \
		outbox_has "workorders update v4 status=on_hold>done"
	check "$tag: the status stays done here" retry bash -c \
		"\"$WRENCH\" --db \"$DB\" wo show $WO2 | grep -q '^Status *done'"

	# The rejected edit: only dropped; its change goes back.
	expect "rejected edit: forbidden: technicians" "$tag: the rejected edit with its reason"
	expect "may not edit the asset register" "$tag: the reason in full (wrapped at 40)"
	keys m
	expect "can only be dropped" "$tag: m does not apply to a rejected edit"
	check "$tag: still rejected" issues_have '"kind": "rejected", "record": "P-2"'
	keys d
	expect "Dropped the rejected edit of P-2" "$tag: d drops it"
	check "$tag: the pump's name is back" retry asset_name_is P-2 "Pump two"
	expect "Nothing to review." "$tag: nothing is left to review"
	check "$tag: wrench conflicts lists nothing" bash -c "[ \"\$(\"$WRENCH\" --db \"$DB\" conflicts --format json)\" = '[]' ]"
	keys 1
	expect "Sync: 4 to send, offline" "$tag: Home shows only the edits waiting"
	expect_not "review" "$tag: Home offers no review any more"
	keys Q
	expect "EXITED 0" "$tag: Q quits while the background sync waits"
}

has_title() { w wo show "$1" | grep -q "^Title *$2\$"; }

run_review 40 16
run_review 120 40

# Without a server remembered, S says how to set one up.
rm -f "$DB"
w init >/dev/null
start 40 16
expect "offline: sync not configured" "no server: Home says sync is not configured"
keys S
expect "Sync is not set up" "no server: S says how to set it up"
keys 7
expect "Nothing to review." "no server: the review is empty"
keys Q
expect "EXITED 0" "no server: Q quits"
finish
