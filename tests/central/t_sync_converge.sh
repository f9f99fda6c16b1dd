# t_sync_converge.sh - wrench sync end to end: a planner's database (the
# demo plant: locations, assets, meters, readings, PMs, work orders with
# their checklists, notes, labour and parts, history) syncs up; a
# technician's empty database syncs down and holds exactly the same
# records (every entity compared); a second sync moves nothing.
. "$(dirname "${BASH_SOURCE[0]}")/sync_lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed"

db_new converge
server_start A
device plan "$(token planner)"
device tech "$(token technician)"
ok plan demo --no-ui
pending=$(sqlite3 "$T/plan.db" "SELECT count(*) FROM outbox")
[ "$pending" -gt 1000 ] || fail "the demo wrote only $pending outbox entries"

first_sync plan "$A_URL"
expect_rc 0 "the planner's first sync"
expect_in "$OUT" "^synced with $A_URL as planner \(planner\): $pending pushed, [0-9]+ pulled" \
	"the summary line"
[ "$(sql "SELECT count(*) FROM record WHERE entity = 'workorders'")" = \
  "$(sqlite3 "$T/plan.db" "SELECT count(*) FROM wo")" ] ||
	fail "the server does not hold every work order"

first_sync tech "$A_URL"
expect_rc 0 "the technician's first sync"
expect_in "$OUT" "as technician \(technician\): 0 pushed, [1-9][0-9]* pulled" \
	"the technician's summary"
same plan tech "after the technician's first sync"

# Both remember the server: a second sync needs no options and moves nothing.
ok plan sync
expect_in "$OUT" ": 0 pushed, 0 pulled" "the planner's second sync"
ok tech sync
expect_in "$OUT" ": 0 pushed, 0 pulled" "the technician's second sync"
same plan tech "after the second syncs"
