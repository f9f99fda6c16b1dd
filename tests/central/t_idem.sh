# t_idem.sh - Idempotency-Key on the resource POSTs: a retry with the same
# key and body gets the stored answer and writes nothing again (after a
# crash between the commit and the answer too); the same key with another
# body is refused (422), one still in flight is 409; keys belong to their
# user; compact purges them with the push receipts.
db_new idem
PLAN=$(token planner)
TECH=$(token technician)
server_start B
W=$(uuid)
api POST "$B_URL/api/v1/workorders" "$PLAN" "{\"uuid\":\"$W\",\"title\":\"Keys\"}"
expect_status 201 "the work order"
NOTE='{"author":"kwhite","at":"2025-03-02T06:58:10Z","body":"Seal weeping."}'
notes() { sql "SELECT count(*) FROM record WHERE entity = 'notes'"; }
# postk URL TOKEN PATH KEY BODY: a POST with an Idempotency-Key.
postk() { api POST "$1$3" "$2" "$5" -H "Idempotency-Key: $4"; }

# A retry with the same key and body: the same answer, one note.
postk "$B_URL" "$TECH" "/api/v1/workorders/$W/notes" k-1 "$NOTE"
expect_status 201 "a note with a key"
N1=$(printf '%s' "$BODY" | jq -r .uuid)
L1=$(grep -i '^location:' "$T/headers" | tr -d '\r')
postk "$B_URL" "$TECH" "/api/v1/workorders/$W/notes" k-1 "$NOTE"
expect_status 201 "the retry"
expect_jq .uuid "$N1" "the retry's record"
[ "$(grep -i '^location:' "$T/headers" | tr -d '\r')" = "$L1" ] || fail "the retry's Location"
[ "$(notes)" = 1 ] || fail "the retry made a second note ($(notes))"
# Without a key every POST is a new note.
api POST "$B_URL/api/v1/workorders/$W/notes" "$TECH" "$NOTE"
expect_status 201 "a note without a key"
[ "$(notes)" = 2 ] || fail "a note without a key was not made"

# The same key with another body (or another path): 422, nothing written.
postk "$B_URL" "$TECH" "/api/v1/workorders/$W/notes" k-1 '{"author":"kwhite","at":"2025-03-02T06:58:10Z","body":"Another."}'
expect_problem 422 "a reused key"
expect_jq .type urn:wrench:problem:idempotency-key-reused "a reused key's type"
printf '%s' "$BODY" | jq -r .detail | grep -q "Idempotency-Key" || fail "the detail does not name the key"
postk "$B_URL" "$PLAN" /api/v1/assets k-1 '{"tag":"K-1"}'
expect_status 201 "the same key string of another user"
postk "$B_URL" "$TECH" /api/v1/locations k-1 '{"code":"K-1"}'
expect_problem 403 "a POST the role may not make"
postk "$B_URL" "$PLAN" /api/v1/locations k-1 '{"code":"K-1"}'
expect_problem 422 "the same key on another path"
[ "$(notes)" = 2 ] || fail "a reused key wrote a note"
[ "$(sql "SELECT count(*) FROM record WHERE entity = 'locations'")" = 0 ] || fail "a reused key wrote a location"

# A create without uuid: the retry gets the record the first one made.
postk "$B_URL" "$PLAN" /api/v1/assets k-2 '{"tag":"K-2"}'
expect_status 201 "an asset with a key"
A2=$(printf '%s' "$BODY" | jq -r .uuid)
postk "$B_URL" "$PLAN" /api/v1/assets k-2 '{"tag":"K-2"}'
expect_status 201 "its retry"
expect_jq .uuid "$A2" "the retry's asset"

# Keys that are not keys (curl sends an empty header written "Name;").
api POST "$B_URL/api/v1/workorders/$W/notes" "$TECH" "$NOTE" -H 'Idempotency-Key;'
expect_problem 400 "an empty Idempotency-Key"
for bad in "$(printf 'x%.0s' $(seq 256))" 'a b' '"a"b"'; do
	postk "$B_URL" "$TECH" "/api/v1/workorders/$W/notes" "$bad" "$NOTE"
	expect_problem 400 "the Idempotency-Key '${bad:0:20}'"
done
[ "$(notes)" = 2 ] || fail "a bad key wrote a note"

# Killed after the commit, before the answer: the retry on another
# instance gets the answer and writes nothing.
server_start C WRENCH_CENTRAL_FAILPOINT=after-commit
before=$(sql "SELECT string_agg(uuid::text, ',') FROM record WHERE entity = 'notes'")
postk "$C_URL" "$TECH" "/api/v1/workorders/$W/notes" k-3 "$NOTE"
[ "$STATUS" = 000 ] || fail "the after-commit failpoint did not end the server (HTTP $STATUS)"
wait "$C_PID" 2>/dev/null || true
[ "$(notes)" = 3 ] || fail "the committed note is not there"
N3=$(sql "SELECT uuid FROM record WHERE entity = 'notes' AND uuid <> ALL('{$before}'::uuid[])")
postk "$B_URL" "$TECH" "/api/v1/workorders/$W/notes" k-3 "$NOTE"
expect_status 201 "the retry after the crash"
expect_jq .uuid "$N3" "the retry's answer: the committed note"
[ "$(notes)" = 3 ] || fail "the retry after the crash made another note"

# A key in flight: while A holds the first request's transaction open, the
# same key on B is 409; once A commits, B gets A's answer.
server_start A WRENCH_CENTRAL_FAILPOINT=pause-before-commit WRENCH_CENTRAL_PAUSE_FILE="$T/pause"
touch "$T/pause"
curl -s -o "$T/first.json" -X POST -H "Authorization: Bearer $TECH" -H "Idempotency-Key: k-4" \
	--data-binary "$NOTE" "$A_URL/api/v1/workorders/$W/notes" &
FIRST=$!
held() { [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' AND backend_xid IS NOT NULL")" -ge 1 ]; }
eventually held
postk "$B_URL" "$TECH" "/api/v1/workorders/$W/notes" k-4 "$NOTE"
expect_problem 409 "a key in flight"
rm "$T/pause"
wait "$FIRST"
postk "$B_URL" "$TECH" "/api/v1/workorders/$W/notes" k-4 "$NOTE"
expect_status 201 "the key once the first request is done"
expect_jq .uuid "$(jq -r .uuid "$T/first.json")" "the first request's note"
[ "$(notes)" = 4 ] || fail "the key in flight made $(notes) notes, not 4"

# compact purges keys with the push receipts: a key older than that is
# forgotten, and the same request makes a new note.
sql "UPDATE idempotency_key SET at = at - interval '40 days' WHERE key = 'k-1'" >/dev/null
out=$("$WRENCH_CENTRAL" compact --db "$DB" --older-than 30)
case $out in *"; purged 0 push receipts and 2 idempotency keys") ;; *) fail "compact: $out" ;; esac
postk "$B_URL" "$TECH" "/api/v1/workorders/$W/notes" k-1 "$NOTE"
expect_status 201 "a purged key"
[ "$(notes)" = 5 ] || fail "a purged key was still known"
