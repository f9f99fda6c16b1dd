# t_input.sh - bad bodies get 400 or 413 with problem+json, and nothing is
# written: malformed, truncated, oversized, deeply nested, wrongly typed,
# not UTF-8, bad dates and bad enums.
db_new input
server_start A
PLAN=$(token planner)
W=$(uuid)
api POST "$A_URL/api/v1/workorders" "$PLAN" "{\"uuid\":\"$W\",\"title\":\"Base\"}"
expect_status 201 "a work order to change"
written() { sql "SELECT (SELECT count(*) FROM record) || '/' || (SELECT count(*) FROM change_log) || '/' || (SELECT count(*) FROM push_receipt) || '/' || (SELECT max(version) FROM record)"; }
before=$(written)

push() { printf '{"device":"dev1","mutations":[%s]}' "$1"; }
wo_update() {
	printf '{"seq":1,"entity":"workorders","op":"update","uuid":"%s","base_version":1,"fields":{%s}}' "$W" "$1"
}
create() { printf '{"seq":2,"entity":"workorders","op":"create","uuid":"%s","base_version":0,"fields":{%s}}' "$(uuid)" "$1"; }

check() {   # check STATUS WHAT BODY
	api POST "$A_URL/api/v1/push" "$PLAN" "$3"
	expect_problem "$1" "$2"
	[ "$(written)" = "$before" ] || fail "$2: something was written"
}

check 400 "malformed JSON" '{"device": "dev1", "mutations": [,]}'
full=$(push "$(wo_update '"title":{"old":"Base","new":"Changed"}'),$(create '"title":{"new":"New"}')")
check 400 "truncated JSON" "${full:0:$(( ${#full} - 7 ))}"
check 400 "trailing bytes" "$full}"
check 400 "empty body" ""
check 400 "a JSON array" '[1,2]'
deep=$(printf '%.0s[' $(seq 40))1$(printf '%.0s]' $(seq 40))
check 400 "deeply nested JSON" "{\"device\":\"dev1\",\"mutations\":$deep}"
expect_jq .type urn:wrench:problem:malformed-json "deep nesting"
check 400 "not UTF-8" "$(printf '{"device":"dev1","mutations":[%s]}' "$(wo_update "$(printf '"title":{"old":"Base","new":"\xff\xfe"}')")")"
expect_jq .type urn:wrench:problem:malformed-json "bad UTF-8"
check 400 "seq as a string" "$(push "$(wo_update '"title":{"old":"Base","new":"x"}' | sed 's/"seq":1/"seq":"1"/')")"
check 400 "device missing" '{"mutations":[]}'
check 400 "unknown member" '{"device":"dev1","mutations":[],"extra":1}'
check 400 "unknown field" "$(push "$(wo_update '"colour":{"old":null,"new":"red"}')")"
check 400 "title as a number" "$(push "$(wo_update '"title":{"old":"Base","new":5}')")"
check 400 "priority not an enum" "$(push "$(wo_update '"priority":{"old":"medium","new":"asap"}')")"
expect_jq '.detail | test("low, medium, high, urgent")' true "the enum's message names the values"
check 400 "a bad date" "$(push "$(wo_update '"due":{"old":null,"new":"2025-02-30"}')")"
expect_jq '.detail | test("YYYY-MM-DD")' true "the date's message says the form"
check 400 "a bad instant" "$(push "$(wo_update '"downtime_start":{"old":null,"new":"yesterday"}')")"
check 400 "an update without old" "$(push "$(wo_update '"title":{"new":"x"}')")"
check 400 "a create without its required title" "$(push "$(create '"priority":{"new":"high"}')")"
check 400 "a bad UUID" "$(push "$(wo_update '"title":{"old":"Base","new":"x"}' | sed 's/"uuid":"[^"]*"/"uuid":"nope"/')")"
# One bad mutation among good ones: the whole batch is refused unwritten.
check 400 "a bad mutation after a good one" "$(push "$(create '"title":{"new":"Good"}'),$(wo_update '"priority":{"old":"medium","new":"asap"}' | sed 's/"seq":1/"seq":3/')")"
expect_jq '.detail | startswith("mutations[1].")' true "the detail names the mutation"

# Too large: refused from Content-Length without being read, and a chunked
# or gzip body cut off at the cap (the test server's cap is 64 KiB).
big=$(head -c 70000 /dev/zero | tr '\0' 'a')
check 413 "an oversized body" "$(push "$(create "\"title\":{\"new\":\"$big\"}")")"
printf '%s' "$(push "$(create "\"title\":{\"new\":\"$big\"}")")" >"$T/big.json"
api POST "$A_URL/api/v1/push" "$PLAN" "@$T/big.json" -H 'Transfer-Encoding: chunked'
expect_problem 413 "an oversized chunked body"
head -c 2000000 /dev/zero | gzip >"$T/bomb.gz"
api POST "$A_URL/api/v1/push" "$PLAN" "@$T/bomb.gz" -H 'Content-Encoding: gzip'
expect_problem 413 "a gzip body that inflates over the cap"
printf '%s' "$full" | gzip | head -c 60 >"$T/cut.gz"
api POST "$A_URL/api/v1/push" "$PLAN" "@$T/cut.gz" -H 'Content-Encoding: gzip'
expect_problem 400 "a truncated gzip body"
[ "$(written)" = "$before" ] || fail "the oversized bodies wrote something"

# The resources validate the same way.
api POST "$A_URL/api/v1/assets" "$PLAN" '{"tag":"A-1","criticality":9}'
expect_problem 400 "criticality out of range"
api POST "$A_URL/api/v1/assets" "$PLAN" '{"tag":"A-1","install_date":"12/31/2024"}'
expect_problem 400 "a date in the wrong form"
api POST "$A_URL/api/v1/assets" "$PLAN" '{"tag":"A-1","status":"broken"}'
expect_problem 400 "an asset status not an enum"
api PATCH "$A_URL/api/v1/workorders/$W" "$PLAN" '{"title":' -H 'If-Match: "1"'
expect_problem 400 "a truncated PATCH"
[ "$(written)" = "$before" ] || fail "the bad resource writes wrote something"

# A gzip body that is good is read, and a large answer comes back gzipped.
printf '%s' "$(push "$(wo_update '"title":{"old":"Base","new":"Zipped"}')")" | gzip >"$T/ok.gz"
api POST "$A_URL/api/v1/push" "$PLAN" "@$T/ok.gz" -H 'Content-Encoding: gzip'
expect_status 200 "a gzip push"
expect_jq '.results[0].status' applied "the gzip push"
api GET "$A_URL/api/v1/changes" "$PLAN" "" -H 'Accept-Encoding: gzip' --compressed
expect_status 200 "a gzip pull"
server_stop "$A_PID"
