# t_sync_reset.sh - the server's database re-created (a restore, a new
# server): the next wrench sync of each device is answered "reset"; it takes
# a fresh snapshot and sends its own recent history again, so that the new
# database gets every record and every edit back, nothing made on a device
# is lost, and all devices converge again.
. "$(dirname "${BASH_SOURCE[0]}")/sync_lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed"

pump_plant reset_old a P-101
ok a wo set "$WO" --priority high
ok a wo note "$WO" "Seal weeping"
ok a sync
ok plan sync
same plan a "before the reset"

# A new, empty database behind a new server; the tokens are made again.
server_stop "$A_PID"
db_new reset_new
server_start B
(umask 077 && token planner >"$T/plan.token" && token technician >"$T/a.token")
w plan sync --server "$B_URL"
expect_rc 0 "the planner's sync after the reset"
expect_in "$OUT" "database was re-created" "the summary says what happened"
w a sync --server "$B_URL"
expect_rc 0 "the technician's sync after the reset"
expect_in "$OUT" "database was re-created" "the technician's summary"
ok plan sync
ok a sync
[ "$(sql "SELECT count(*) FROM record WHERE entity = 'notes'")" = 1 ] ||
	fail "the technician's note did not reach the new database once"
[ "$(sql "SELECT data->>'priority' FROM record WHERE entity = 'workorders'")" = high ] ||
	fail "the technician's edit did not reach the new database"
[ "$(sql "SELECT count(*) FROM record")" = 4 ] || fail "the new database does not hold 4 records"
same plan a "after the reset"
ok a wo show "$WO" --format json
[ "$(printf '%s' "$OUT" | jq -r .priority)" = high ] || fail "the edit was lost on the device: $OUT"
