# t_sync_conflict_both.sh - a conflict is seen by both devices: the one
# whose push lost (from its push result) and the one whose value the
# server kept (from the change feed), each with its own value as mine.
# Either may resolve it, keep-mine, take-theirs or a third value; the other's conflict
# goes at its next sync, and every device then holds the same records.
. "$(dirname "${BASH_SOURCE[0]}")/sync_lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed"

pump_plant conflict_both "a b" P-101

# conflict FIELD OPTION VALUE_A VALUE_B: a sets VALUE_A, b VALUE_B, both
# offline; a syncs first (its value is kept), b's sync gives the conflict,
# a's next sync brings it to a.  Both must list it, with their own mine.
conflict() {
	ok a wo set "$WO" "$2" "$3"
	ok b wo set "$WO" "$2" "$4"
	ok a sync
	w b sync
	expect_rc 3 "b's sync with a conflict on $1"
	w a sync
	expect_rc 3 "a's sync that brings the conflict on $1"
	expect_in "$OUT" "conflict +$WO +$1 +$3 +$4" "a's sync lists the conflict on $1"
	listed a "$1" "$3 $4"
	listed b "$1" "$4 $3"
}
# listed DEVICE FIELD "MINE THEIRS": DEVICE lists one conflict on FIELD.
listed() {
	ok "$1" conflicts --format json
	[ "$(printf '%s' "$OUT" | jq -r --arg f "$2" '[.[] | select(.field == $f)] | length')" = 1 ] ||
		fail "device $1 does not list the conflict on $2: $OUT"
	[ "$(printf '%s' "$OUT" | jq -r --arg f "$2" \
		'.[] | select(.field == $f) | [.kind, .record, .mine, .theirs, .by] | join(" ")')" = \
	  "conflict $WO $3 technician" ] || fail "device $1's conflict on $2: $OUT"
	ID=$(printf '%s' "$OUT" | jq -r --arg f "$2" '.[] | select(.field == $f) | .id')
}
# settled FIELD VALUE RESOLVER OTHER: after syncs all round (the device
# that resolved first), nobody lists a conflict, every device has VALUE in
# FIELD, and all exports are identical.
settled() {
	local d
	for d in "$3" "$4" "$3" plan; do
		w $d sync
		expect_rc 0 "device $d's sync after the resolution of $1"
	done
	for d in a b plan; do
		ok $d conflicts --format json
		[ "$(printf '%s' "$OUT" | jq length)" = 0 ] || fail "device $d still lists a conflict on $1: $OUT"
		ok $d wo show "$WO" --format json
		[ "$(printf '%s' "$OUT" | jq -r ".$1")" = "$2" ] || fail "device $d's $1 is not $2: $OUT"
	done
	same a b "after resolving $1"
	same plan a "the planner after resolving $1"
	[ "$(sql "SELECT count(*) FROM field_conflict WHERE resolved_at IS NULL")" = 0 ] ||
		fail "the server still holds a conflict open after resolving $1"
}

# The device whose value was kept resolves: take-theirs, then keep-mine.
conflict priority --priority urgent low
ok a conflicts take-theirs "$ID"
settled priority low a b
conflict assignee --assignee anna ben
ok a conflicts keep-mine "$ID"
settled assignee anna a b

# The kept side edits the field to a third value (as the terminal UI's
# edit does: the value, then keep-mine).
conflict priority --priority urgent high
ok a wo set "$WO" --priority low
ok a conflicts keep-mine "$ID"
settled priority low a b

# The device whose value lost resolves: take-theirs, then keep-mine.
conflict priority --priority high medium
ok b conflicts take-theirs "$ID"
settled priority high b a
conflict assignee --assignee carl dora
ok b conflicts keep-mine "$ID"
settled assignee dora b a
