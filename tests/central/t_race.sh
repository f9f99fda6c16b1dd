# t_race.sh - a delete racing a write that refers to the deleted record, in
# two sessions on two instances: whichever commits first, no live record is
# ever left referring to a deleted one.  Instance A holds its push's
# transaction open before its commit (pause-before-commit) while B's push
# runs; then A commits.
db_new race
PLAN=$(token planner)
server_start A WRENCH_CENTRAL_FAILPOINT=pause-before-commit WRENCH_CENTRAL_PAUSE_FILE="$T/pause"
server_start B
batch() { printf '{"device":"%s","mutations":[%s]}' "$1" "$2"; }
asset() {   # asset SEQ UUID TAG
	printf '{"seq":%s,"entity":"assets","op":"create","uuid":"%s","base_version":0,"fields":{"tag":{"new":"%s"}}}' "$1" "$2" "$3"
}
wo() {      # wo SEQ UUID ASSET
	printf '{"seq":%s,"entity":"workorders","op":"create","uuid":"%s","base_version":0,"fields":{"title":{"new":"Race"},"asset":{"new":"%s"}}}' "$1" "$2" "$3"
}
reading() { # reading SEQ UUID ASSET METER
	printf '{"seq":%s,"entity":"readings","op":"create","uuid":"%s","base_version":0,"fields":{"asset":{"new":"%s"},"meter":{"new":"%s"},"at":{"new":"2025-03-02T06:00:00Z"},"value":{"new":12}}}' "$1" "$2" "$3" "$4"
}
delete() {  # delete SEQ ENTITY UUID
	printf '{"seq":%s,"entity":"%s","op":"delete","uuid":"%s","base_version":1,"fields":{}}' "$1" "$2" "$3"
}
# post NAME URL TOKEN BODY: a push in the background, its answer in $T/NAME.json.
post() {
	curl -s -o "$T/$1.json" -X POST -H "Authorization: Bearer $3" --data-binary "$4" "$2/api/v1/push" &
}
held() { [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' AND backend_xid IS NOT NULL")" -ge 1 ]; }
# The second session is done, or waits for a row lock of the first.
blocked_or_done() {
	! kill -0 "$1" 2>/dev/null ||
		[ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")" -ge 1 ]
}
result() { jq -r ".results[0].$2" "$T/$1.json"; }
dangling() {
	sql "SELECT count(*) FROM record r JOIN record t ON t.uuid = ANY(r.refs) WHERE NOT r.deleted AND t.deleted"
}
# race NAME FIRST SECOND: FIRST's push on A held open, SECOND's on B, then A
# commits; both answers in $T/NAME-1.json and $T/NAME-2.json.
race() {
	local first second
	touch "$T/pause"
	post "$1-1" "$A_URL" "$PLAN" "$2"
	first=$!
	eventually held
	post "$1-2" "$B_URL" "$PLAN" "$3"
	second=$!
	eventually blocked_or_done "$second"
	rm "$T/pause"
	wait "$first" || fail "$1: the first push failed"
	wait "$second" || fail "$1: the second push failed"
}

X=$(uuid); Y=$(uuid); Z=$(uuid); M=$(uuid)
api POST "$B_URL/api/v1/push" "$PLAN" "$(batch setup "$(asset 1 "$X" RX),$(asset 2 "$Y" RY),$(asset 3 "$Z" RZ)")"
expect_jq '[.results[].status] | unique | join(",")' applied "the assets"
api POST "$B_URL/api/v1/push" "$PLAN" "$(batch setup "{\"seq\":4,\"entity\":\"meters\",\"op\":\"create\",\"uuid\":\"$M\",\"base_version\":0,\"fields\":{\"asset\":{\"new\":\"$Z\"},\"name\":{\"new\":\"hours\"}}}")"
expect_jq '.results[0].status' applied "the meter"

# The delete first: a work order created for an asset being deleted waits
# for the delete, then finds the asset gone.
W1=$(uuid)
race del-first "$(batch d1 "$(delete 1 assets "$X")")" "$(batch t1 "$(wo 1 "$W1" "$X")")"
[ "$(result del-first-1 status)" = applied ] || fail "the delete: $(cat "$T/del-first-1.json")"
[ "$(result del-first-2 status) $(result del-first-2 reason.code)" = "rejected not_found" ] ||
	fail "a work order for a deleted asset: $(cat "$T/del-first-2.json")"
[ "$(dangling)" = 0 ] || fail "a live record refers to a deleted one (delete first)"

# The reference first: a delete of an asset that a work order being
# created refers to waits for it, then finds the asset used.
W2=$(uuid)
race ref-first "$(batch p2 "$(wo 1 "$W2" "$Y")")" "$(batch d2 "$(delete 1 assets "$Y")")"
[ "$(result ref-first-1 status)" = applied ] || fail "the work order: $(cat "$T/ref-first-1.json")"
[ "$(result ref-first-2 status) $(result ref-first-2 reason.code)" = "rejected invalid" ] ||
	fail "the delete of a used asset: $(cat "$T/ref-first-2.json")"
[ "$(dangling)" = 0 ] || fail "a live record refers to a deleted one (reference first)"

# An append-only record (a meter reading) against the delete of its meter.
R=$(uuid)
race reading "$(batch p3 "$(delete 1 meters "$M")")" "$(batch t3 "$(reading 1 "$R" "$Z" "$M")")"
[ "$(result reading-1 status)" = applied ] || fail "the meter's delete: $(cat "$T/reading-1.json")"
[ "$(result reading-2 status) $(result reading-2 reason.code)" = "rejected not_found" ] ||
	fail "a reading of a deleted meter: $(cat "$T/reading-2.json")"
[ "$(dangling)" = 0 ] || fail "a live record refers to a deleted one (reading)"
