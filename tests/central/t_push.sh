# t_push.sh - idempotent pushes across crashes, refused key reuse,
# field-level merges and conflicts, the state machine, and canonical
# work-order numbers under concurrent pushes.
db_new push
PLAN=$(token planner)
TECH=$(token technician)
W=$(uuid)
mut() {   # mut SEQ OP UUID BASE FIELDS [ENTITY]
	printf '{"seq":%s,"entity":"%s","op":"%s","uuid":"%s","base_version":%s,"fields":{%s}}' \
		"$1" "${6:-workorders}" "$2" "$3" "$4" "$5"
}
batch() { printf '{"device":"%s","mutations":[%s]}' "$1" "$2"; }
NOTE=$(uuid)
BODY1=$(batch dev1 "$(mut 1 create "$W" 0 '"number":{"new":"P-dev1-1"},"title":{"new":"Pump leak"}'),$(mut 2 create "$NOTE" 0 "\"workorder\":{\"new\":\"$W\"},\"author\":{\"new\":\"kw\"},\"at\":{\"new\":\"2025-03-02T06:58:10+01:00\"},\"body\":{\"new\":\"Seal weeping\"}" notes)")

# (a) killed before the commit: nothing happened; the retry applies once.
server_start A WRENCH_CENTRAL_FAILPOINT=before-commit
api POST "$A_URL/api/v1/push" "$TECH" "$BODY1"
[ "$STATUS" = 000 ] || fail "the before-commit failpoint did not end the server (HTTP $STATUS)"
wait "$A_PID" 2>/dev/null || true
[ "$(sql "SELECT count(*) FROM record")" = 0 ] || fail "a push killed before its commit wrote"
server_start A
api POST "$A_URL/api/v1/push" "$TECH" "$BODY1"
expect_status 200 "the retried push"
expect_jq '[.results[].status] | join(",")' "applied,applied" "the retried push"
expect_jq '.results[0].number' "WO-000001" "the canonical number"
first=$BODY
api POST "$A_URL/api/v1/push" "$TECH" "$BODY1"
[ "$BODY" = "$first" ] || fail "a retry got another result: $BODY"
[ "$(sql "SELECT count(*) FROM record")" = 2 ] || fail "the retry applied twice"
[ "$(sql "SELECT data->>'at' FROM record WHERE uuid = '$NOTE'")" = "2025-03-02T05:58:10Z" ] ||
	fail "the note's instant is not stored in UTC"
server_stop "$A_PID"

# (b) killed after the commit, before the answer: the retry gets the same
# result and nothing is applied twice.
BODY2=$(batch dev1 "$(mut 3 update "$W" 1 '"priority":{"old":"medium","new":"high"}')")
server_start A WRENCH_CENTRAL_FAILPOINT=after-commit
api POST "$A_URL/api/v1/push" "$TECH" "$BODY2"
[ "$STATUS" = 000 ] || fail "the after-commit failpoint did not end the server"
wait "$A_PID" 2>/dev/null || true
[ "$(sql "SELECT version FROM record WHERE uuid = '$W'")" = 2 ] || fail "the committed push is not there"
server_start A
api POST "$A_URL/api/v1/push" "$TECH" "$BODY2"
expect_jq '.results[0].status + " " + (.results[0].version | tostring)' "applied 2" "the retry after the commit"
[ "$(sql "SELECT version FROM record WHERE uuid = '$W'")" = 2 ] || fail "the retry applied again"

# The same (device, seq) with another body is refused and changes nothing.
api POST "$A_URL/api/v1/push" "$TECH" "$(batch dev1 "$(mut 3 update "$W" 1 '"priority":{"old":"medium","new":"urgent"}')")"
expect_jq '.results[0].reason.code' key_reused "a reused key"
[ "$(sql "SELECT data->>'priority' FROM record WHERE uuid = '$W'")" = high ] || fail "a reused key changed the record"

# Field merges: dev2 changed the title from version 1 (the server is at 2
# with another priority): merged.  Same field, other value: conflict for
# that field alone, the other fields still apply.
api POST "$A_URL/api/v1/push" "$TECH" "$(batch dev2 "$(mut 1 update "$W" 1 '"title":{"old":"Pump leak","new":"Pump seal leak"}')")"
expect_jq '.results[0].status + " " + .results[0].record.priority + " " + .results[0].record.title' \
	"merged high Pump seal leak" "a merge of different fields"
api POST "$A_URL/api/v1/push" "$TECH" "$(batch dev3 "$(mut 1 update "$W" 1 '"priority":{"old":"medium","new":"low"},"assignee":{"old":null,"new":"kw"}')")"
expect_jq '.results[0].status' conflict "a conflict"
expect_jq '.results[0].conflicts | map(.field + ":" + .base + ">" + .mine + "|" + .theirs + " by " + .by) | join(",")' \
	"priority:medium>low|high by technician" "the conflicting field"
expect_jq '.results[0].record.assignee + " " + .results[0].record.priority' "kw high" "the other field applied"
# The same change made on both sides is no conflict.
api POST "$A_URL/api/v1/push" "$TECH" "$(batch dev3 "$(mut 2 update "$W" 1 '"priority":{"old":"medium","new":"high"}')")"
expect_jq '.results[0].status' merged "the same value on both sides"
# After a conflict, later mutations of that record in the batch wait.
api POST "$A_URL/api/v1/push" "$TECH" "$(batch dev4 "$(mut 1 update "$W" 1 '"priority":{"old":"medium","new":"low"}'),$(mut 2 update "$W" 1 '"due":{"old":null,"new":"2025-04-01"}')")"
expect_jq '[.results[].status] | join(",")' "conflict,deferred" "a mutation after a conflict"
api POST "$A_URL/api/v1/push" "$TECH" "$(batch dev4 "$(mut 2 update "$W" 4 '"due":{"old":null,"new":"2025-04-01"}')")"
expect_jq '.results[0].status' applied "the deferred mutation sent again"

# The state machine: open -> closed is refused with the allowed moves,
# open -> in_progress -> done sets started, completed and completed_by.
v=$(sql "SELECT version FROM record WHERE uuid = '$W'")
api POST "$A_URL/api/v1/push" "$TECH" "$(batch dev5 "$(mut 1 update "$W" "$v" '"status":{"old":"open","new":"closed"}')")"
expect_jq '.results[0].status + " " + .results[0].reason.code' "rejected transition" "open to closed"
expect_jq '.results[0].reason.detail | test("in_progress, on_hold, done, cancelled")' true "the allowed moves"
api POST "$A_URL/api/v1/push" "$TECH" "$(batch dev5 "$(mut 2 update "$W" "$v" '"status":{"old":"open","new":"in_progress"}'),$(mut 3 update "$W" $((v+1)) '"status":{"old":"in_progress","new":"done"}')")"
expect_jq '[.results[].status] | join(",")' "applied,applied" "open, in progress, done"
api GET "$A_URL/api/v1/workorders/$W" "$TECH"
expect_jq '.status + " " + .completed_by + " " + (.started != null | tostring) + " " + (.completed != null | tostring)' \
	"done technician true true" "the state machine's stamps"
api POST "$A_URL/api/v1/push" "$TECH" "$(batch dev5 "$(mut 4 update "$NOTE" 1 '"body":{"old":"Seal weeping","new":"x"}' notes)")"
expect_jq '.results[0].reason.code' invalid "a note is append-only"

# ETag and If-Match on the resources.
api PATCH "$A_URL/api/v1/workorders/$W" "$TECH" '{"title":"T"}'
expect_problem 428 "PATCH without If-Match"
api PATCH "$A_URL/api/v1/workorders/$W" "$TECH" '{"title":"T"}' -H 'If-Match: "1"'
expect_problem 412 "PATCH with a stale version"
api GET "$A_URL/api/v1/workorders/$W" "$TECH"
etag=$(grep -i '^etag:' "$T/headers" | tr -d '\r' | cut -d' ' -f2)
api PATCH "$A_URL/api/v1/workorders/$W" "$TECH" '{"title":"T"}' -H "If-Match: $etag"
expect_status 200 "PATCH with the current version"
expect_jq .title T "the PATCH"
api PATCH "$A_URL/api/v1/workorders/$W" "$TECH" '{"status":"open"}' -H "If-Match: $(grep -i '^etag:' "$T/headers" | tr -d '\r' | cut -d' ' -f2)"
expect_problem 400 "PATCH against the state machine"
api GET "$A_URL/api/v1/workorders?number=WO-000001" "$TECH"
expect_jq '.items[0].uuid' "$W" "a work order by number"
api GET "$A_URL/api/v1/workorders/$W/notes" "$TECH"
expect_jq '.items[0].body' "Seal weeping" "a work order's notes"

# Concurrent creations from several devices: unique canonical numbers.
for d in 1 2 3 4 5 6; do
	muts=""
	for n in 1 2 3 4 5; do
		muts="$muts${muts:+,}$(mut "$n" create "$(uuid)" 0 "\"number\":{\"new\":\"P-c$d-$n\"},\"title\":{\"new\":\"c$d-$n\"}")"
	done
	curl -s -o "$T/c$d.json" -X POST -H "Authorization: Bearer $TECH" \
		--data-binary "$(batch "c$d" "$muts")" "$A_URL/api/v1/push" &
done
wait_pids=$(jobs -p | tr '\n' ' ')
for p in $wait_pids; do [ "$p" = "$A_PID" ] || wait "$p"; done
cat "$T"/c?.json | jq -r '.results[] | .status + " " + .number' | sort >"$T/numbers"
[ "$(grep -c '^applied WO-0' "$T/numbers")" = 30 ] || fail "concurrent creations: $(cat "$T/numbers")"
[ "$(cut -d' ' -f2 "$T/numbers" | sort -u | wc -l)" = 30 ] || fail "two work orders got one number"
[ "$(sql "SELECT count(DISTINCT key) FROM record WHERE entity = 'workorders'")" = 31 ] ||
	fail "the numbers in the database are not unique"
[ "$(sql "SELECT max(key) FROM record WHERE entity = 'workorders'")" = WO-000031 ] ||
	fail "the numbers are not in sequence"

# An update to a natural key another record holds is rejected alone; the
# batch's other mutations apply.
A1=$(uuid); A2=$(uuid); A3=$(uuid)
api POST "$A_URL/api/v1/push" "$PLAN" "$(batch keys "$(mut 1 create "$A1" 0 '"tag":{"new":"K-1"}' assets),$(mut 2 create "$A2" 0 '"tag":{"new":"K-2"}' assets),$(mut 3 create "$A3" 0 '"tag":{"new":"K-3"}' assets)")"
expect_jq '[.results[].status] | join(",")' "applied,applied,applied" "three assets"
api POST "$A_URL/api/v1/push" "$PLAN" "$(batch keys "$(mut 4 update "$A2" 1 '"tag":{"old":"K-2","new":"K-1"}' assets),$(mut 5 update "$A3" 1 '"name":{"old":null,"new":"Pump 3"}' assets)")"
expect_jq '[.results[] | .status + ":" + (.reason.code // "")] | join(",")' "rejected:duplicate,applied:" \
	"a tag taken by another asset"
[ "$(sql "SELECT data->>'tag' FROM record WHERE uuid = '$A2'") $(sql "SELECT data->>'name' FROM record WHERE uuid = '$A3'")" = "K-2 Pump 3" ] ||
	fail "the batch with a taken tag"
server_stop "$A_PID"

# One UUID created at once from two devices through two instances, with
# other content: the first commit wins, the second is told duplicate (its
# write was queued on the first's absence, and is made again).
server_start C WRENCH_CENTRAL_FAILPOINT=pause-before-commit WRENCH_CENTRAL_PAUSE_FILE="$T/pause"
server_start D
X=$(uuid)
touch "$T/pause"
curl -s -o "$T/first.json" -X POST -H "Authorization: Bearer $PLAN" \
	--data-binary "$(batch race1 "$(mut 1 create "$X" 0 '"code":{"new":"RACE-1"}' locations)")" "$C_URL/api/v1/push" &
FIRST=$!
held() { [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' AND backend_xid IS NOT NULL")" -ge 1 ]; }
eventually held
curl -s -o "$T/second.json" -X POST -H "Authorization: Bearer $PLAN" \
	--data-binary "$(batch race2 "$(mut 1 create "$X" 0 '"code":{"new":"RACE-2"}' locations)")" "$D_URL/api/v1/push" &
SECOND=$!
waiting() { [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")" -ge 1 ]; }
eventually waiting
rm "$T/pause"
wait "$FIRST"
wait "$SECOND"
[ "$(jq -r '.results[0].status' "$T/first.json") $(jq -r '.results[0].status + " " + .results[0].reason.code' "$T/second.json")" = \
  "applied rejected duplicate" ] || fail "one UUID created twice at once: $(cat "$T/first.json" "$T/second.json")"
[ "$(sql "SELECT data->>'code' FROM record WHERE uuid = '$X'")" = RACE-1 ] || fail "the second create changed the record"
server_stop "$C_PID"
server_stop "$D_PID"

# One batch that writes a record twice: uses of one part lower its
# stock three times, each write of the inventory record waiting for the one
# before it (txn.c queues one write of a record per statement), with the
# writes of the uses queued between them.
server_start E
PART=$(uuid) JOB=$(uuid) U1=$(uuid) U2=$(uuid) U3=$(uuid)
api POST "$E_URL/api/v1/push" "$PLAN" "$(batch stock "$(mut 1 create "$PART" 0 '"code":{"new":"GASKET-1"},"on_hand":{"new":10}' inventory),$(mut 2 create "$JOB" 0 '"title":{"new":"Gaskets"}')")"
expect_jq '[.results[].status] | join(",")' "applied,applied" "the part and the job"
use() { # use SEQ UUID QTY
	mut "$1" create "$2" 0 "\"workorder\":{\"new\":\"$JOB\"},\"part_code\":{\"new\":\"GASKET-1\"},\"qty\":{\"new\":$3},\"at\":{\"new\":\"2025-03-02T07:00:00Z\"},\"part\":{\"new\":\"$PART\"}" parts
}
logged() { sql "SELECT last_value FROM change_log_seq_seq"; }
before=$(logged)
api POST "$E_URL/api/v1/push" "$TECH" "$(batch uses "$(use 1 "$U1" 2),$(use 2 "$U2" 3),$(use 3 "$U3" 1)")"
expect_status 200 "three uses of one part in one batch"
expect_jq '[.results[].status] | join(",")' "applied,applied,applied" "three uses of one part"
# Six writes, each logged once: had the inventory record's writes gone in
# one statement, the push would have been undone and made again (TXN_REDO),
# and the rows logged by the attempt undone would have used positions too.
[ $(($(logged) - before)) = 6 ] || fail "three uses of one part: $(($(logged) - before)) change-log positions used, not 6"
[ "$(sql "SELECT version || ' ' || (data->>'on_hand') FROM record WHERE uuid = '$PART'")" = "4 4" ] ||
	fail "three uses of one part in one batch: $(sql "SELECT version || ' ' || (data->>'on_hand') FROM record WHERE uuid = '$PART'")"
[ "$(sql "SELECT count(*) FROM record WHERE entity = 'parts'")" = 3 ] || fail "the three uses are not all stored"
server_stop "$E_PID"
