# t_receipts.sh - one idempotency receipt per push (schema 7): a retry
# with the same, fewer or more seqs gets the stored results of those it
# shares and applies the others once; a push of the same seqs elsewhere
# waits for the first and gets its results; receipts written one per
# mutation before schema 7 still answer retries after the migration.
db_new receipts
PLAN=$(token planner)
server_start B
mut() {   # mut SEQ OP UUID BASE FIELDS [ENTITY]
	printf '{"seq":%s,"entity":"%s","op":"%s","uuid":"%s","base_version":%s,"fields":{%s}}' \
		"$1" "${6:-assets}" "$2" "$3" "$4" "$5"
}
batch() { printf '{"device":"%s","mutations":[%s]}' "$1" "$2"; }
# summary: each result of the last answer as SEQ:STATUS:VERSION:REASON.
summary() {
	printf '%s' "$BODY" | jq -r '[.results[] | "\(.seq):\(.status):\(.version // ""):\(.reason.code // "")"] | join(",")'
}
receipts() { sql "SELECT count(*) FROM push_receipt WHERE device = '$1'"; }

# One receipt for a push of three; a retry with a subset, one with more
# seqs, one in another order: the stored results, the new one applied once.
A1=$(uuid); A2=$(uuid); A3=$(uuid); A4=$(uuid)
M1=$(mut 1 create "$A1" 0 '"tag":{"new":"R-1"}')
M2=$(mut 2 create "$A2" 0 '"tag":{"new":"R-2"}')
M3=$(mut 3 update "$A1" 1 '"name":{"old":null,"new":"Pump"}')
M4=$(mut 4 create "$A4" 0 '"tag":{"new":"R-4"}')
api POST "$B_URL/api/v1/push" "$PLAN" "$(batch sub "$M1,$M2,$M3")"
expect_status 200 "the first push"
[ "$(summary)" = "1:applied:1:,2:applied:1:,3:applied:2:" ] || fail "the first push: $(summary)"
first=$BODY
[ "$(receipts sub)" = 1 ] || fail "a push of three left $(receipts sub) receipts"
api POST "$B_URL/api/v1/push" "$PLAN" "$(batch sub "$M1,$M2,$M3")"
[ "$BODY" = "$first" ] || fail "the same push again: $BODY"
# Someone else changes the name: an update applied again would now merge.
api POST "$B_URL/api/v1/push" "$PLAN" "$(batch other "$(mut 1 update "$A1" 2 '"name":{"old":"Pump","new":"Pump 1"}')")"
expect_jq '.results[0].status' applied "another device's update"
api POST "$B_URL/api/v1/push" "$PLAN" "$(batch sub "$M2,$M3,$M4")"
[ "$(summary)" = "2:applied:1:,3:applied:2:,4:applied:1:" ] || fail "a retry with one seq more: $(summary)"
api POST "$B_URL/api/v1/push" "$PLAN" "$(batch sub "$M4,$M1")"
[ "$(summary)" = "4:applied:1:,1:applied:1:" ] || fail "a retry of seqs of two pushes: $(summary)"
api POST "$B_URL/api/v1/push" "$PLAN" "$(batch sub "$M3,$(mut 2 create "$A3" 0 '"tag":{"new":"R-3"}')")"
[ "$(summary)" = "3:applied:2:,2:rejected::key_reused" ] || fail "a seq reused for another mutation: $(summary)"
[ "$(sql "SELECT count(*) FROM record WHERE entity = 'assets'")" = 3 ] || fail "the retries made assets"
[ "$(sql "SELECT version || ' ' || (data->>'name') FROM record WHERE uuid = '$A1'")" = "3 Pump 1" ] ||
	fail "a retry changed the asset again"
[ "$(receipts sub)" = 2 ] || fail "the retries left $(receipts sub) receipts, not 2"

# The same seqs pushed on two instances at once: the second waits for the
# first and gets its result, even where it would now get another one (its
# note's work order, missing for the first, exists by then).
server_start A WRENCH_CENTRAL_FAILPOINT=pause-before-commit WRENCH_CENTRAL_PAUSE_FILE="$T/pause"
W=$(uuid); N1=$(uuid); N2=$(uuid)
note() { mut "$1" create "$2" 0 "\"workorder\":{\"new\":\"$W\"},\"author\":{\"new\":\"kw\"},\"at\":{\"new\":\"2025-03-02T06:58:10Z\"},\"body\":{\"new\":\"Twice\"}" notes; }
held() { [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' AND backend_xid IS NOT NULL")" -ge 1 ]; }
touch "$T/pause"
curl -s -o "$T/first.json" -X POST -H "Authorization: Bearer $PLAN" \
	--data-binary "$(batch twin "$(note 1 "$N1")")" "$A_URL/api/v1/push" &
FIRST=$!
eventually held
api POST "$B_URL/api/v1/push" "$PLAN" "$(batch desk "$(mut 1 create "$W" 0 '"title":{"new":"Twice"}' workorders)")"
expect_jq '.results[0].status' applied "the work order, made while the first push waits"
curl -s -o "$T/second.json" -X POST -H "Authorization: Bearer $PLAN" \
	--data-binary "$(batch twin "$(note 1 "$N1"),$(note 2 "$N2")")" "$B_URL/api/v1/push" &
SECOND=$!
waiting_or_done() {
	! kill -0 "$SECOND" 2>/dev/null ||
		[ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")" -ge 1 ]
}
eventually waiting_or_done
rm "$T/pause"
wait "$FIRST" || fail "the first push failed"
wait "$SECOND" || fail "the second push failed"
one=$(jq -r '.results[0] | .status + " " + .reason.code' "$T/first.json")
[ "$one" = "rejected not_found" ] || fail "the first push: $(cat "$T/first.json")"
[ "$(jq -r '[.results[] | .status + " " + (.reason.code // "")] | join(",")' "$T/second.json")" = \
  "rejected not_found,applied " ] || fail "the second push of the same seq: $(cat "$T/second.json")"
[ "$(sql "SELECT count(*) FROM record WHERE uuid = '$N1'")" = 0 ] ||
	fail "a note its device was told was rejected was made"
server_stop "$A_PID"
server_stop "$B_PID"

# A database of schema 6, whose receipts are one per mutation (the pushes'
# receipts above split as the server before schema 7 wrote them: the
# SHA-256 of each mutation, its result; the change log's key that schema 8
# dropped), migrated to the latest: retries still get
# their stored results, and a reused seq is still refused.
LATEST=$(sql "SELECT max(version) FROM central_schema")
sql "CREATE TABLE old_receipt AS
       SELECT device, (result->'seqs'->>i)::bigint AS seq, substring(hash FROM i * 32 + 1 FOR 32) AS hash,
              result->'results'->i AS result, at
       FROM push_receipt, generate_series(0, json_array_length(result->'seqs') - 1) AS i
       WHERE first_seq IS NOT NULL;
     DELETE FROM push_receipt;
     ALTER TABLE push_receipt DROP COLUMN first_seq;
     INSERT INTO push_receipt(device, seq, hash, result, at) SELECT * FROM old_receipt;
     DROP TABLE old_receipt;
     ALTER TABLE change_log ADD CONSTRAINT change_log_pkey PRIMARY KEY (seq);
     UPDATE central_schema SET version = 6" >/dev/null
[ "$(receipts sub)" = 4 ] || fail "the schema-6 receipts: $(receipts sub)"
"$WRENCH_CENTRAL" migrate --db "$DB" 2>/dev/null || fail "the migration from schema 6"
[ "$(sql "SELECT max(version) FROM central_schema")" = "$LATEST" ] || fail "the schema version after migrating"
server_start B
api POST "$B_URL/api/v1/push" "$PLAN" "$(batch sub "$M1,$M2,$M3")"
[ "$BODY" = "$first" ] || fail "a retry after the migration: $BODY"
api POST "$B_URL/api/v1/push" "$PLAN" "$(batch sub "$(mut 4 create "$A3" 0 '"tag":{"new":"R-3"}'),$(mut 5 update "$A2" 1 '"name":{"old":null,"new":"Fan"}')")"
[ "$(summary)" = "4:rejected::key_reused,5:applied:2:" ] || fail "old and new seqs after the migration: $(summary)"
api POST "$B_URL/api/v1/push" "$PLAN" "$(batch sub "$M3,$(mut 5 update "$A2" 1 '"name":{"old":null,"new":"Fan"}')")"
[ "$(summary)" = "3:applied:2:,5:applied:2:" ] || fail "a retry over old and new receipts: $(summary)"
[ "$(sql "SELECT version || ' ' || (data->>'name') FROM record WHERE uuid = '$A1'")" = "3 Pump 1" ] ||
	fail "a retry after the migration changed the asset again"
[ "$(sql "SELECT count(*) FROM record WHERE entity = 'assets'")" = 3 ] || fail "the retries made assets"
server_stop "$B_PID"
