# t_auth.sh - tokens, roles and sites: 401, 403 and 404 exactly as
# docs/sync-api.md 1.1-1.2 says, on every endpoint.
db_new auth
server_start A
TECH=$(token technician)
PLAN=$(token planner)
ADMIN=$(token admin)
NORTH=$(token planner NORTH)

api GET "$A_URL/api/v1/health" ""
expect_status 200 "health without a token"
expect_jq '.protocols | join(",")' 1 health

api GET "$A_URL/api/v1/health" "" "" -H 'Wrench-Protocol: 3'
expect_problem 400 "a client from the future"
expect_jq .type urn:wrench:problem:unsupported-version

# Every endpoint refuses no token, a malformed one and an unknown one.
for ep in "GET /api/v1/changes" "POST /api/v1/push" "GET /api/v1/assets" "POST /api/v1/assets" \
          "GET /api/v1/workorders" "GET /api/v1/users" "GET /metrics"; do
	set -- $ep
	api "$1" "$A_URL$2" "" '{}'
	expect_problem 401 "$ep without a token"
	grep -qi '^www-authenticate: Bearer' "$T/headers" || fail "$ep: no WWW-Authenticate"
	api "$1" "$A_URL$2" "nonsense" '{}'
	expect_problem 401 "$ep with a malformed token"
	api "$1" "$A_URL$2" "$(printf '%064d' 0)" '{}'
	expect_problem 401 "$ep with an unknown token"
done

# A revoked token stops working at once.
OLD=$(token technician)
api GET "$A_URL/api/v1/assets" "$OLD"
expect_status 200 "a fresh token"
id=$("$WRENCH_CENTRAL" token list --db "$DB" | awk -F'\t' 'END { print $1 }')
"$WRENCH_CENTRAL" token revoke --db "$DB" --id "$id"
api GET "$A_URL/api/v1/assets" "$OLD"
expect_problem 401 "a revoked token"
"$WRENCH_CENTRAL" token list --db "$DB" | grep -q "^$id	technician	technician		.*	20" ||
	fail "token list does not show the revocation"

# Sites: NORTH and SOUTH with an asset each.
N=$(uuid); S=$(uuid); AN=$(uuid); AS=$(uuid)
api POST "$A_URL/api/v1/locations" "$PLAN" "{\"uuid\":\"$N\",\"code\":\"NORTH\",\"kind\":\"site\"}"
expect_status 201 "planner creates a site"
api POST "$A_URL/api/v1/locations" "$PLAN" "{\"uuid\":\"$S\",\"code\":\"SOUTH\",\"kind\":\"site\"}"
expect_status 201 "planner creates a second site"
api POST "$A_URL/api/v1/assets" "$PLAN" "{\"uuid\":\"$AN\",\"tag\":\"P-N1\",\"location\":\"$N\"}"
expect_status 201 "planner creates an asset"
api POST "$A_URL/api/v1/assets" "$PLAN" "{\"uuid\":\"$AS\",\"tag\":\"P-S1\",\"location\":\"$S\"}"
expect_status 201 "planner creates another asset"

# Technicians read the register but may not change it.
api GET "$A_URL/api/v1/assets/$AN" "$TECH"
expect_status 200 "technician reads an asset"
api POST "$A_URL/api/v1/assets" "$TECH" "{\"tag\":\"X-1\"}"
expect_problem 403 "technician creates an asset"
api PATCH "$A_URL/api/v1/assets/$AN" "$TECH" '{"name":"x"}' -H 'If-Match: "1"'
expect_problem 403 "technician changes an asset"
api POST "$A_URL/api/v1/push" "$TECH" "{\"device\":\"d1\",\"mutations\":[{\"seq\":1,\"entity\":\"assets\",\"op\":\"update\",\"uuid\":\"$AN\",\"base_version\":1,\"fields\":{\"name\":{\"old\":null,\"new\":\"x\"}}}]}"
expect_status 200 "technician pushes an asset change"
expect_jq '.results[0].status + " " + .results[0].reason.code' "rejected forbidden" "technician's asset change"
api POST "$A_URL/api/v1/workorders" "$TECH" "{\"title\":\"Fix\",\"asset\":\"$AN\"}"
expect_status 201 "technician creates a work order"

# Users and metrics are the admin's.
api GET "$A_URL/api/v1/users" "$PLAN"
expect_problem 403 "planner lists users"
api GET "$A_URL/api/v1/users" "$ADMIN"
expect_status 200 "admin lists users"
printf '%s' "$BODY" | jq -e '.items[] | select(.user == "planner-NORTH") | .tokens[0].sites == ["NORTH"]' >/dev/null ||
	fail "users: the site-limited token's sites"
api GET "$A_URL/metrics" "$TECH"
expect_problem 403 "technician reads metrics"
api GET "$A_URL/metrics" "$ADMIN"
expect_status 200 "admin reads metrics"
grep -q 'wrench_http_requests_total{endpoint="push",status="200"}' "$T/body" || fail "metrics: push requests"

# A NORTH token: SOUTH's records are absent (404), never forbidden.
api GET "$A_URL/api/v1/assets/$AN" "$NORTH"
expect_status 200 "NORTH token reads a NORTH asset"
api GET "$A_URL/api/v1/assets/$AS" "$NORTH"
expect_problem 404 "NORTH token reads a SOUTH asset"
api PATCH "$A_URL/api/v1/assets/$AS" "$NORTH" '{"name":"x"}' -H 'If-Match: "1"'
expect_problem 404 "NORTH token changes a SOUTH asset"
api GET "$A_URL/api/v1/assets?tag=P-S1" "$NORTH"
expect_jq '.items | length' 0 "NORTH token looks a SOUTH tag up"
api GET "$A_URL/api/v1/assets" "$NORTH"
expect_jq '[.items[].tag] | join(",")' P-N1 "NORTH token lists assets"
api POST "$A_URL/api/v1/workorders" "$NORTH" "{\"title\":\"x\",\"asset\":\"$AS\"}"
expect_problem 400 "NORTH token refers to a SOUTH asset"
api GET "$A_URL/api/v1/changes" "$NORTH"
expect_status 200 "NORTH token pulls"
[ "$(printf '%s' "$BODY" | jq -r '[.changes[] | select(.op == "upsert") | .data.tag // .data.code // empty] | sort | join(",")')" = "NORTH,P-N1" ] ||
	fail "NORTH token's pull shows other sites"
printf '%s' "$BODY" | jq -e --arg s "$S" --arg a "$AS" '[.changes[].uuid] | index($s) == null and index($a) == null' >/dev/null ||
	fail "NORTH token's pull names SOUTH's records"
api POST "$A_URL/api/v1/push" "$NORTH" "{\"device\":\"d2\",\"mutations\":[{\"seq\":1,\"entity\":\"assets\",\"op\":\"update\",\"uuid\":\"$AS\",\"base_version\":1,\"fields\":{\"name\":{\"old\":null,\"new\":\"x\"}}}]}"
expect_jq '.results[0].reason.code' not_found "NORTH token pushes to a SOUTH asset"
[ "$(sql "SELECT data->>'name' FROM record WHERE uuid = '$AS'")" = "" ] || fail "SOUTH asset changed"

# Unknown paths and methods.
api GET "$A_URL/api/v1/nothing" "$PLAN"
expect_problem 404 "an unknown collection"
api DELETE "$A_URL/api/v1/assets/$AN" "$PLAN"
expect_problem 405 "DELETE on a record"
server_stop "$A_PID"
