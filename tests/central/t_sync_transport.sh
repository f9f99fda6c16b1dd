# t_sync_transport.sh - the client's sync transport (include/sync.h,
# sync/) against the real wrench-central, through tests/tools/sync_drive:
# version negotiation, a push with its results read back (applied with a
# canonical number, idempotent on retry, merged, conflict, rejected,
# deferred), pulls page by page until up to date, a long poll woken by a
# push, 401 for a bad token, 410 reset once the database is re-created,
# 429 retried after Retry-After, and TLS verified against a CA file.
[ -n "${SYNC_DRIVE:-}" ] && [ -x "$SYNC_DRIVE" ] ||
	fail "SYNC_DRIVE does not name the built tests/tools/sync_drive (run through make central-tests)"
command -v openssl >/dev/null || fail "openssl is not installed (the TLS part needs it)"

db_new synctr
server_start A
PLAN=$(token planner)
TECH=$(token technician)
export WRENCH_CENTRAL_URL=$A_URL WRENCH_CENTRAL_TOKEN=$PLAN

# drive [--token TOKEN] [--url URL] ARGS...: runs sync_drive; sets OUT, ERR
# and RC (its status, the sync_rc).
drive() {
	local url=$WRENCH_CENTRAL_URL tok=$WRENCH_CENTRAL_TOKEN
	while :; do
		case $1 in
		--token) tok=$2; shift 2 ;;
		--url) url=$2; shift 2 ;;
		*) break ;;
		esac
	done
	RC=0
	WRENCH_CENTRAL_URL=$url WRENCH_CENTRAL_TOKEN=$tok "$SYNC_DRIVE" "$@" >"$T/out" 2>"$T/err" || RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
	BODY="$OUT / $ERR"
}
expect_out() { # LINE-PATTERN what
	grep -Eq "^$1\$" "$T/out" || fail "$2: no line matching '$1' in: $OUT"
}
expect_rc() {
	[ "$RC" = "$1" ] || fail "$2: exit status $RC, expected $1 ($ERR)"
}

# Health and version.
drive hello
expect_rc 0 "hello"
expect_out "server wrench-central [0-9.]+ protocol 1" "hello"

# A first push: two locations, an asset, a work order with a provisional
# number and a note.  Each result is read back into the C types.
L1=$(uuid) L2=$(uuid) A1=$(uuid) W1=$(uuid) N1=$(uuid)
cat >"$T/b1.json" <<EOF
{"device":"dev-a","mutations":[
 {"seq":1,"entity":"locations","op":"create","uuid":"$L1","base_version":0,"fields":{"code":{"new":"SITE-1"},"kind":{"new":"site"}}},
 {"seq":2,"entity":"locations","op":"create","uuid":"$L2","base_version":0,"fields":{"code":{"new":"HALL-2"},"parent":{"new":"$L1"}}},
 {"seq":3,"entity":"assets","op":"create","uuid":"$A1","base_version":0,"fields":{"tag":{"new":"P-101"},"location":{"new":"$L2"},"criticality":{"new":4}}},
 {"seq":4,"entity":"workorders","op":"create","uuid":"$W1","base_version":0,"fields":{"number":{"new":"P-dev-a-1"},"title":{"new":"Pump \"seal\" leak"},"asset":{"new":"$A1"},"est_hours":{"new":1.5},"failure":{"new":true}}},
 {"seq":5,"entity":"notes","op":"create","uuid":"$N1","base_version":0,"fields":{"workorder":{"new":"$W1"},"author":{"new":"kw"},"at":{"new":"2025-03-02T06:58:10Z"},"body":{"new":"Seal weeping"}}}
]}
EOF
drive push "$T/b1.json"
expect_rc 0 "the first push"
expect_out "1 applied $L1 v1" "location 1"
expect_out "4 applied $W1 v1 number=WO-000001" "the canonical number"
expect_out "5 applied $N1 v1" "the note"
[ "$(grep -c ' applied ' "$T/out")" = 5 ] || fail "not every mutation applied: $OUT"
# The same batch again (an answer lost on the way): the stored results.
first=$OUT
drive push "$T/b1.json"
expect_rc 0 "the repeated push"
[ "$OUT" = "$first" ] || fail "a repeated push got other results: $OUT"
[ "$(sql "SELECT count(*) FROM record")" = 5 ] || fail "the repeated push applied again"

# Merged, conflict with the server's record, deferred, and rejected.
cat >"$T/b2.json" <<EOF
{"device":"dev-b","mutations":[{"seq":1,"entity":"workorders","op":"update","uuid":"$W1","base_version":1,"fields":{"priority":{"old":"medium","new":"high"}}}]}
EOF
drive push "$T/b2.json"
expect_out "1 applied $W1 v2" "an update"
cat >"$T/b3.json" <<EOF
{"device":"dev-c","mutations":[
 {"seq":1,"entity":"workorders","op":"update","uuid":"$W1","base_version":1,"fields":{"assignee":{"old":null,"new":"kw"}}},
 {"seq":2,"entity":"workorders","op":"update","uuid":"$W1","base_version":1,"fields":{"priority":{"old":"medium","new":"low"}}},
 {"seq":3,"entity":"workorders","op":"update","uuid":"$W1","base_version":1,"fields":{"due":{"old":null,"new":"2025-04-01"}}}
]}
EOF
drive push "$T/b3.json"
expect_rc 0 "a mixed push"
expect_out "1 merged $W1 v3 record=v3/[0-9]+" "a merge of another field"
expect_out "2 conflict $W1 v3 conflict=priority:high:planner record=v3/[0-9]+" "a conflict"
expect_out "3 deferred $W1 v0" "a mutation after a conflict"
cat >"$T/b4.json" <<EOF
{"device":"dev-t","mutations":[{"seq":1,"entity":"locations","op":"create","uuid":"$(uuid)","base_version":0,"fields":{"code":{"new":"TECH-LOC"}}}]}
EOF
drive --token "$TECH" push "$T/b4.json"
expect_rc 0 "a technician's push"
expect_out "1 rejected [0-9a-f-]+ v0 reason=forbidden" "a technician's location"

# A push the server refuses whole names the mutation.
cat >"$T/b5.json" <<EOF
{"device":"dev-d","mutations":[
 {"seq":1,"entity":"workorders","op":"create","uuid":"$(uuid)","base_version":0,"fields":{"title":{"new":"fine"}}},
 {"seq":2,"entity":"workorders","op":"create","uuid":"$(uuid)","base_version":0,"fields":{"title":{"new":"bad"},"priority":{"new":"asap"}}}
]}
EOF
drive push "$T/b5.json"
expect_rc 2 "an invalid mutation"
grep -q "^refused mutation 1$" "$T/err" || fail "the refused mutation is not named: $ERR"
grep -q "invalid-field: mutations\[1\].fields.priority" "$T/err" || fail "the refusal's detail: $ERR"

# Pull page by page until up to date (two rows a page), then nothing new.
drive pullall - 2
expect_rc 0 "pull until up to date"
expect_out "pages 3 changes 5" "the snapshot in pages"
CURSOR=$(sed -n 's/^next //p' "$T/out")
drive pull "$CURSOR" 500 0
expect_rc 0 "a pull when up to date"
expect_out "more 0" "up to date"
[ "$(grep -c '^change ' "$T/out" || true)" = 0 ] || fail "changes after the last page: $OUT"
drive pull - 500 0
expect_out "change workorders $W1 v3 upsert fields=[0-9]+ number=WO-000001" "the work order's row"
expect_out "change notes $N1 v1 upsert fields=4" "the note's row"

# A long poll is woken by a push (and is not taken for a stalled link).
WRENCH_CENTRAL_URL=$A_URL WRENCH_CENTRAL_TOKEN=$PLAN "$SYNC_DRIVE" --stall 2 pull "$CURSOR" 500 30 \
	>"$T/poll" 2>"$T/poll.err" &
poll=$!
ADMIN=$(token admin)
waiting() { [ "$(curl -s -H "Authorization: Bearer $ADMIN" "$A_URL/metrics" |
	sed -n 's/^wrench_longpolls_waiting //p')" = 1 ]; }
eventually waiting
cat >"$T/b6.json" <<EOF
{"device":"dev-b","mutations":[{"seq":2,"entity":"workorders","op":"update","uuid":"$W1","base_version":3,"fields":{"title":{"old":"Pump \"seal\" leak","new":"Pump seal leak"}}}]}
EOF
drive push "$T/b6.json"
expect_out "2 applied $W1 v4" "the push that wakes the poll"
wait "$poll" || fail "the long poll failed: $(cat "$T/poll.err")"
grep -q "^change workorders $W1 v4 upsert" "$T/poll" || fail "the long poll missed the change: $(cat "$T/poll")"

# 401: an unknown token, refused at once and never shown.
BAD=$(printf '%064d' 7)
drive --token "$BAD" pull - 500 0
expect_rc 4 "an unknown token"
grep -q "sync_drive: unauthorized: .*did not accept the token (HTTP 401" "$T/err" || fail "the 401: $ERR"
grep -q "$BAD" "$T/err" && fail "the token is shown: $ERR"
grep -q '^retry:' "$T/err" && fail "a 401 was retried: $ERR"

# 410: the database re-created, the old cursor is void; the empty one works.
server_stop "$A_PID"
db_new synctr
server_start A
PLAN=$(token planner)
drive --url "$A_URL" --token "$PLAN" pull "$CURSOR" 500 0
expect_rc 1 "a cursor of the old database"
grep -q "sync_drive: reset: .*HTTP 410 reset: the cursor belongs to another database" "$T/err" ||
	fail "the reset: $ERR"
drive --url "$A_URL" --token "$PLAN" pullall - 500
expect_rc 0 "a fresh snapshot"
expect_out "pages 1 changes 0" "the new database is empty"
server_stop "$A_PID"

# 429: one request per five seconds; the second pull waits as told.
SERVE_OPTS="--rate 0.2" server_start B
LIMITED=$(token planner)
drive --url "$B_URL" --token "$LIMITED" pull - 500 0 2
expect_rc 0 "pulls over the rate"
[ "$(grep -c '^more 0$' "$T/out")" = 2 ] || fail "not both pulls answered: $OUT"
grep -Eq "^retry: GET /api/v1/changes: HTTP 429 rate-limited: .*; trying again in [1-9][0-9.]* s \(attempt 2 of 6\)$" \
	"$T/err" || fail "no retry after the 429: $ERR"
server_stop "$B_PID"

# TLS: a certificate of an unknown authority is refused; with its CA file
# the same server is trusted.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
	-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$T/tls.key" -out "$T/tls.crt" \
	>/dev/null 2>&1 || fail "openssl could not make a test certificate"
port=$(free_port)
"$WRENCH_CENTRAL" serve --db "$DB" --listen "127.0.0.1:$port" --tls-cert "$T/tls.crt" \
	--tls-key "$T/tls.key" 2>>"$T/tls.log" &
tls_pid=$!
SERVER_PIDS="${SERVER_PIDS:-} $tls_pid"
tls_up() { curl -fs --cacert "$T/tls.crt" "https://127.0.0.1:$port/api/v1/health" >/dev/null; }
eventually tls_up
drive --url "https://127.0.0.1:$port" --token "$PLAN" hello
expect_rc 7 "an untrusted certificate"
grep -q "is not trusted .*--ca-file" "$T/err" || fail "the TLS refusal: $ERR"
drive --url "https://127.0.0.1:$port" --token "$PLAN" --ca-file "$T/tls.crt" hello
expect_rc 0 "a certificate trusted through the CA file"
expect_out "server wrench-central [0-9.]+ protocol 1" "hello over TLS"
server_stop "$tls_pid"
