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
# An import's creates wait as one range of ids until the first sync.
pending=$(sqlite3 "$T/plan.db" "SELECT (SELECT count(*) FROM outbox)
	+ (SELECT coalesce(sum(last_id - first_id + 1), 0) FROM outbox_range)")
[ "$pending" -gt 1000 ] || fail "the demo wrote only $pending outbox entries"

first_sync plan "$A_URL"
expect_rc 0 "the planner's first sync"
# Updates made before a record's first push travel inside its create, so
# fewer mutations go than entries were written; none is left waiting.
expect_in "$OUT" "^synced with $A_URL as planner \(planner\): [1-9][0-9]{3,} pushed, [0-9]+ pulled" \
	"the summary line"
left=$(sqlite3 "$T/plan.db" "SELECT count(*) FROM outbox WHERE state = 0")
[ "$left" = 0 ] || fail "$left outbox entries still wait after the planner's first sync"
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

# A change pulled from the server names who made it: in the audit log, and
# in the refusal of an edit that was based on the version before it.
num=$(sqlite3 "$T/tech.db" "SELECT number FROM wo WHERE number LIKE 'WO-%' ORDER BY id LIMIT 1")
ver=$(sqlite3 "$T/tech.db" "SELECT version FROM wo WHERE number = '$num'")
ok plan wo set "$num" --title "Retitled by the planner"
ok plan sync
ok tech sync
[ "$(sqlite3 "$T/tech.db" "SELECT who FROM audit WHERE key = '$num' AND field = 'title'")" = \
  "sync (planner)" ] || fail "the pulled title's audit row: $(sqlite3 "$T/tech.db" "SELECT * FROM audit WHERE key = '$num'")"
w tech wo set "$num" --title "Retitled here" --if-version "$ver"
expect_rc 3 "an edit based on the version before the pull"
expect_in "$ERR" "changed by sync \(planner\) at" "the refusal"
