# t_dbdown.sh - PostgreSQL killed in the middle of a push's transaction:
# the push and every other request get 503 problem+json with Retry-After
# while it is down, the server recovers by itself when it is back, and the
# push retried has exactly one effect.
db_new dbdown
server_start A WRENCH_CENTRAL_FAILPOINT=pause-before-commit WRENCH_CENTRAL_PAUSE_FILE="$T/pause"
PLAN=$(token planner)
W=$(uuid); NOTE=$(uuid)
PUSH=$(printf '{"device":"dev1","mutations":[{"seq":1,"entity":"workorders","op":"create","uuid":"%s","base_version":0,"fields":{"title":{"new":"Pump leak"}}},{"seq":2,"entity":"notes","op":"create","uuid":"%s","base_version":0,"fields":{"workorder":{"new":"%s"},"author":{"new":"kw"},"at":{"new":"2025-03-02T06:58:10Z"},"body":{"new":"Seal weeping"}}}]}' "$W" "$NOTE" "$W")

touch "$T/pause"
curl -s -o "$T/held.json" -D "$T/held.headers" -w '%{http_code}' -X POST \
	-H "Authorization: Bearer $PLAN" --data-binary "$PUSH" "$A_URL/api/v1/push" >"$T/held.code" &
HELD=$!
held() { [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' AND backend_xid IS NOT NULL")" -ge 1 ]; }
eventually held
pg_kill

# Down: health, a pull, a push and the held push all answer 503.
api GET "$A_URL/api/v1/health" ""
expect_problem 503 "health without the database"
expect_jq '.database + " " + (.protocols | join(","))' "unreachable 1" "health without the database"
grep -qi '^retry-after: [0-9]' "$T/headers" || fail "health: no Retry-After"
api GET "$A_URL/api/v1/changes" "$PLAN"
expect_problem 503 "a pull without the database"
grep -qi '^retry-after: [0-9]' "$T/headers" || fail "a pull: no Retry-After"
api POST "$A_URL/api/v1/push" "$PLAN" "$PUSH"
expect_problem 503 "a push without the database"
rm "$T/pause"
wait "$HELD" || true
[ "$(cat "$T/held.code")" = 503 ] || fail "the held push: HTTP $(cat "$T/held.code")"
grep -qi '^content-type: application/problem+json' "$T/held.headers" || fail "the held push: not problem+json"
grep -qi '^retry-after: [0-9]' "$T/held.headers" || fail "the held push: no Retry-After"
kill -0 "$A_PID" || fail "the server died with its database"

# Back: the server recovers without a restart (its first request after
# PostgreSQL is up again succeeds), nothing of the killed transaction was
# kept, and the retried push applies once.
pg_start
[ "$(sql "SELECT count(*) FROM record") $(sql "SELECT count(*) FROM push_receipt")" = "0 0" ] ||
	fail "the killed transaction left something"
api POST "$A_URL/api/v1/push" "$PLAN" "$PUSH"
expect_status 200 "the push retried"
expect_jq '[.results[].status] | join(",")' "applied,applied" "the push retried"
first=$BODY
api GET "$A_URL/api/v1/health" ""
expect_status 200 "health with the database back"
api POST "$A_URL/api/v1/push" "$PLAN" "$PUSH"
[ "$BODY" = "$first" ] || fail "the push retried again got another answer: $BODY"
[ "$(sql "SELECT count(*) FROM record") $(sql "SELECT count(*) FROM change_log")" = "2 2" ] ||
	fail "the push did not have exactly one effect"
api GET "$A_URL/api/v1/changes" "$PLAN"
expect_jq '.changes | length' 2 "a pull after the recovery"
server_stop "$A_PID"
