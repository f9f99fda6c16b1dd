# t_sync_conflict.sh - two devices edit one work order offline: edits of
# different fields merge on both; the same field gives a conflict with both
# values and who changed the server's (wrench conflicts, table and JSON),
# resolved keep-mine and, another time, take-theirs, after which every
# device holds the same records.  Work orders made offline on two devices
# carry provisional numbers and reach the server once each with unique
# canonical numbers.  A technician's edit of the asset register is
# rejected with its reason (exit 3), listed, dropped, and blocks nothing
# else.  Also: sync --status as text and JSON, a token file readable by
# others refused, what to pass when nothing is remembered, a progress line
# on a terminal (script(1)), and exit 1 when the server is down.
. "$(dirname "${BASH_SOURCE[0]}")/sync_lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed"

pump_plant conflict "a b" "P-101 P-102"
same plan a "the first syncs"

# ---- what to pass, and the token file's mode
w plan sync --status
expect_rc 0 "sync --status"
expect_in "$OUT" "^server: +$A_URL$" "status: the server"
expect_in "$OUT" "^user: +planner \(planner\)$" "status: the user and role"
expect_in "$OUT" "^last sync: +[0-9]{4}-[0-9]{2}-[0-9]{2}" "status: the last sync"
expect_in "$OUT" "^edits waiting: +0$" "status: nothing waits"
ok a sync --status --format json
[ "$(printf '%s' "$OUT" | jq -r '[.server, .user, .role, .pending, .conflicts, .rejected] | join(" ")')" = \
  "$A_URL technician technician 0 0 0" ] || fail "sync --status --format json: $OUT"
device fresh "$(token technician)"
w fresh sync
expect_rc 2 "a first sync without a server"
expect_in "$ERR" "pass --server URL and --token-file FILE" "what to pass"
chmod 644 "$T/fresh.token"
w fresh sync --server "$A_URL" --token-file "$T/fresh.token"
expect_rc 1 "a token file readable by others"
expect_in "$ERR" "permissions 0644 for '$T/fresh.token' are too open" "the token file's mode"
expect_in "$ERR" "chmod 600" "how to fix the mode"
ok fresh sync --status
expect_in "$OUT" "^server: +\(none yet" "a refused sync remembers nothing"

# ---- different fields merge on both devices
ok a wo set "$WO" --priority high
ok b wo set "$WO" --assignee bob
ok a sync
ok b sync
ok a sync
for d in a b; do
	ok $d wo show "$WO" --format json
	[ "$(printf '%s' "$OUT" | jq -r '.priority + " " + .assignee')" = "high bob" ] ||
		fail "device $d did not merge both edits: $OUT"
done
ok plan sync
same a b "after merging two fields"
same plan a "the planner after merging two fields"

# ---- the same field: a conflict, resolved keep-mine
ok a wo set "$WO" --priority urgent
ok b wo set "$WO" --priority low
ok a sync
w b sync
expect_rc 3 "a sync that leaves a conflict"
expect_in "$OUT" "1 conflict and 0 rejected edits wait" "the summary names the conflict"
expect_in "$OUT" "conflict +$WO +priority +low +urgent +technician" "the conflict is listed"
ok b conflicts --format json
[ "$(printf '%s' "$OUT" | jq -r '.[0] | [.kind, .record, .field, .mine, .theirs, .by] | join(" ")')" = \
  "conflict $WO priority low urgent technician" ] || fail "conflicts --format json: $OUT"
id=$(printf '%s' "$OUT" | jq -r '.[0].id')
ok b sync --status --format json
[ "$(printf '%s' "$OUT" | jq -r .conflicts)" = 1 ] || fail "status does not count the conflict: $OUT"
ok b conflicts keep-mine "$id"
expect_in "$OUT" "keeping yours" "keep-mine says what it did"
ok b conflicts
[ "$(printf '%s\n' "$OUT" | grep -c priority)" = 0 ] || fail "the conflict is still listed: $OUT"
ok b sync
ok a sync
ok plan sync
for d in a b plan; do
	ok $d wo show "$WO" --format json
	[ "$(printf '%s' "$OUT" | jq -r .priority)" = low ] || fail "keep-mine did not reach $d: $OUT"
done
same a b "after keep-mine"
same plan b "the planner after keep-mine"

# ---- the same field again: resolved take-theirs
ok a wo set "$WO" --assignee anna
ok b wo set "$WO" --assignee ben
ok a sync
w b sync
expect_rc 3 "the second conflict"
ok b conflicts --format json
id=$(printf '%s' "$OUT" | jq -r '.[] | select(.field == "assignee") | .id')
[ -n "$id" ] || fail "no assignee conflict: $OUT"
ok b conflicts take-theirs "$id"
ok b wo show "$WO" --format json
[ "$(printf '%s' "$OUT" | jq -r .assignee)" = anna ] || fail "take-theirs did not take anna: $OUT"
ok b sync
ok a sync
ok plan sync
same a b "after take-theirs"
same plan a "the planner after take-theirs"

# ---- two devices create work orders offline
ok a wo new --asset P-101 --title "Made on a"
NA=$OUT
ok b wo new --asset P-102 --title "Made on b"
NB=$OUT
expect_in "$NA" "^P-" "a work order made on a device that syncs is provisional"
expect_in "$NB" "^P-" "the other device's is provisional too"
[ "$NA" != "$NB" ] || fail "two devices made the same provisional number $NA"
ok a wo show "$NA"
expect_in "$OUT" "provisional: the server numbers it" "wo show says the number is provisional"
ok a wo show "$NA" --format json
[ "$(printf '%s' "$OUT" | jq -r .provisional)" = true ] || fail "JSON: provisional is not true: $OUT"
ok a sync
ok a wo list --format csv
CANON=$(printf '%s\n' "$OUT" | grep ',Made on a' | cut -d, -f1 || true)
ok a wo show "$CANON" --format json
[ "$(printf '%s' "$OUT" | jq -r .provisional)" = false ] ||
	fail "JSON: the canonical number $CANON is still provisional: $OUT"
ok b sync
ok a sync
ok plan sync
for title in "Made on a" "Made on b"; do
	[ "$(sql "SELECT count(*) FROM record WHERE entity = 'workorders' AND data->>'title' = '$title'")" = 1 ] ||
		fail "'$title' is not on the server exactly once"
done
numbers=$(sql "SELECT data->>'number' FROM record WHERE entity = 'workorders' ORDER BY 1")
[ "$(printf '%s\n' "$numbers" | sort -u | wc -l)" = 3 ] || fail "numbers not unique: $numbers"
printf '%s\n' "$numbers" | grep -q '^P-' && fail "a provisional number reached the server's records: $numbers"
ok a wo list --format csv
printf '%s\n' "$OUT" | grep -q '^P-' && fail "a provisional number is left on device a: $OUT"
same a b "after creating offline"
same plan a "the planner after creating offline"

# ---- a technician may not change the asset register
printf 'tag,name,location\nP-101,Pump one-oh-one,SITE\n' >"$T/rename.csv"
ok a import assets "$T/rename.csv"
ok a wo set "$WO" --description "Seal replaced"
w a sync
expect_rc 3 "a sync with a rejected edit"
expect_in "$OUT" "0 conflicts and 1 rejected edit wait" "the summary names the rejected edit"
expect_in "$OUT" "rejected +P-101 .*forbidden" "the rejected edit is listed with its reason"
ok plan sync
ok plan wo show "$WO" --format json
[ "$(printf '%s' "$OUT" | jq -r .description)" = "Seal replaced" ] ||
	fail "the rejected asset edit blocked the work-order edit: $OUT"
ok plan asset show P-101 --format json
[ "$(printf '%s' "$OUT" | jq -r .name)" = "Pump 101" ] || fail "the asset was renamed: $OUT"
ok a conflicts --format json
id=$(printf '%s' "$OUT" | jq -r '.[] | select(.kind == "rejected") | .id')
ok a conflicts drop "$id"
ok a asset show P-101 --format json
[ "$(printf '%s' "$OUT" | jq -r .name)" = "Pump 101" ] || fail "drop did not put the name back: $OUT"
ok a sync
ok b sync
same a b "after dropping the rejected edit"
same plan a "the planner at the end"

# ---- on a terminal, a progress line with the rate before the summary
command -v script >/dev/null || fail "script (util-linux) is not installed"
ok a wo set "$WO" --assignee carol
script -qefc "'$WRENCH' --db '$T/a.db' sync" "$T/tty.log" </dev/null >/dev/null ||
	fail "sync on a terminal failed: $(cat "$T/tty.log")"
tty=$(tr '\r' '\n' <"$T/tty.log")
expect_in "$tty" "sync: push: 1 pushed, 0 pulled \([0-9]+ records/s\)" "the progress line"
expect_in "$tty" "synced with $A_URL as technician \(technician\): 1 pushed" "the summary on a terminal"

# ---- the server is down: exit 1, saying why, and nothing is lost
ok a wo set "$WO" --priority high
server_stop "$A_PID"
w a sync
expect_rc 1 "a sync while the server is down"
expect_in "$ERR" "could not finish" "the failure says so"
ok a sync --status
expect_in "$OUT" "^edits waiting: +1$" "the edit still waits"
expect_in "$OUT" "^last error: " "the status shows why the last sync failed"
