# t_pull.sh - the change feed: pages, tombstones, sites, a late commit
# never skipped across two instances, long polls woken from another
# instance, SIGTERM with polls waiting, and a reset after the database is
# re-created.
db_new pull
PLAN=$(token planner)
ADMIN=$(token admin)
server_start A WRENCH_CENTRAL_FAILPOINT=pause-before-commit WRENCH_CENTRAL_PAUSE_FILE="$T/pause"
server_start B
batch() { printf '{"device":"%s","mutations":[%s]}' "$1" "$2"; }
loc() {   # loc SEQ UUID CODE [KIND]
	printf '{"seq":%s,"entity":"locations","op":"create","uuid":"%s","base_version":0,"fields":{"code":{"new":"%s"},"kind":{"new":"%s"}}}' \
		"$1" "$2" "$3" "${4:-site}"
}
# pull_all URL CURSOR: pulls until more is false; the changes go to
# $T/pulled (one line each), the last cursor to CURSOR.
pull_all() {
	local url=$1
	CURSOR=$2
	for _ in $(seq 100); do
		api GET "$url/api/v1/changes?cursor=$CURSOR" "$PLAN"
		expect_status 200 "a pull"
		printf '%s' "$BODY" | jq -c '.changes[]' >>"$T/pulled"
		CURSOR=$(printf '%s' "$BODY" | jq -r .next)
		[ "$(printf '%s' "$BODY" | jq -r .more)" = true ] || return 0
	done
	fail "the pull never ended"
}

# Pages of at most 500 rows, each with its cursor; a snapshot from empty.
for b in 1 2; do
	muts=""
	for n in $(seq 300); do muts="$muts${muts:+,}$(loc "$n" "$(uuid)" "L$b-$n")"; done
	api POST "$B_URL/api/v1/push" "$PLAN" "$(batch "bulk$b" "$muts")"
	expect_status 200 "a bulk push"
done
api GET "$B_URL/api/v1/changes" "$PLAN"
expect_jq '(.changes | length | tostring) + " " + (.more | tostring)' "500 true" "the first page"
api GET "$B_URL/api/v1/changes?limit=7" "$PLAN"
expect_jq '.changes | length' 7 "a page of 7"
: >"$T/pulled"
pull_all "$B_URL" ""
[ "$(wc -l <"$T/pulled")" = 600 ] || fail "the snapshot has $(wc -l <"$T/pulled") rows, not 600"
# Each upsert says who made it (by, the token's user).
[ "$(jq -r .by "$T/pulled" | sort -u)" = planner ] ||
	fail "by of the snapshot: $(jq -r .by "$T/pulled" | sort | uniq -c | tr '\n' ' ')"
C0=$CURSOR

# A tombstone: a deleted location comes back as op delete.
D=$(jq -r 'select(.data.code == "L1-1") | .uuid' "$T/pulled")
api POST "$B_URL/api/v1/push" "$PLAN" "$(batch del "{\"seq\":1,\"entity\":\"locations\",\"op\":\"delete\",\"uuid\":\"$D\",\"base_version\":1,\"fields\":{}}")"
expect_jq '.results[0].status' applied "a delete"
: >"$T/pulled"
pull_all "$B_URL" "$C0"
[ "$(jq -r '.op + " " + .uuid' "$T/pulled")" = "delete $D" ] || fail "the tombstone: $(cat "$T/pulled")"
[ "$(jq -r 'has("by")' "$T/pulled")" = false ] || fail "a tombstone says by: $(cat "$T/pulled")"
C0=$CURSOR

# Two instances and a long transaction: A holds a push's transaction open
# (its change-log row written) while B commits a later one.  A pull from B
# in between must not move its cursor past A's row.
X=$(uuid); Y=$(uuid)
touch "$T/pause"
curl -s -o "$T/x.json" -X POST -H "Authorization: Bearer $PLAN" \
	--data-binary "$(batch late "$(loc 1 "$X" LATE)")" "$A_URL/api/v1/push" &
XPID=$!
held() { [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' AND backend_xid IS NOT NULL")" -ge 1 ]; }
eventually held
api POST "$B_URL/api/v1/push" "$PLAN" "$(batch early "$(loc 1 "$Y" EARLY)")"
expect_jq '.results[0].status' applied "the push on B"
: >"$T/pulled"
pull_all "$B_URL" "$C0"
C1=$CURSOR
rm "$T/pause"
wait "$XPID"
jq -e '.results[0].status == "applied"' "$T/x.json" >/dev/null || fail "the late push: $(cat "$T/x.json")"
pull_all "$B_URL" "$C1"
grep -q "\"uuid\":\"$X\"" "$T/pulled" || fail "the late commit was skipped: $(cat "$T/pulled")"
grep -q "\"uuid\":\"$Y\"" "$T/pulled" || fail "the early commit is missing"
C2=$CURSOR

# A long poll on B is woken by a push on A, well before its wait expires.
curl -s -o "$T/poll.json" -H "Authorization: Bearer $PLAN" "$B_URL/api/v1/changes?cursor=$C2&wait=30" &
POLL=$!
waiting() { curl -s -H "Authorization: Bearer $ADMIN" "$1/metrics" | grep -q "^wrench_longpolls_waiting $2\$"; }
eventually waiting "$B_URL" 1
Z=$(uuid)
api POST "$A_URL/api/v1/push" "$PLAN" "$(batch wake "$(loc 1 "$Z" WAKE)")"
expect_jq '.results[0].status' applied "the push that wakes"
wait "$POLL"
jq -e --arg z "$Z" '[.changes[].uuid] == [$z]' "$T/poll.json" >/dev/null ||
	fail "the long poll did not return the change: $(cat "$T/poll.json")"
C3=$(jq -r .next "$T/poll.json")

# SIGTERM with polls waiting: every poll is answered and B exits 0.
for i in 1 2 3; do
	curl -s -o "$T/term$i.json" -w '%{http_code}' -H "Authorization: Bearer $PLAN" \
		"$B_URL/api/v1/changes?cursor=$C3&wait=60" >"$T/term$i.code" &
done
eventually waiting "$B_URL" 3
kill -TERM "$B_PID"
rc=0; wait "$B_PID" || rc=$?
[ "$rc" = 0 ] || fail "the server ended with status $rc after SIGTERM"
for i in 1 2 3; do
	eventually test -s "$T/term$i.code"
	[ "$(cat "$T/term$i.code")" = 200 ] || fail "poll $i after SIGTERM: HTTP $(cat "$T/term$i.code")"
	jq -e '.changes == [] and .more == false' "$T/term$i.json" >/dev/null || fail "poll $i: $(cat "$T/term$i.json")"
done

# A cursor that is not one of ours, and one from a re-created database.
api GET "$A_URL/api/v1/changes?cursor=bm90LWEtY3Vyc29y" "$PLAN"
expect_problem 400 "a forged cursor"
server_stop "$A_PID"
psql "$PGADMIN" -qAtc "DROP DATABASE pull WITH (FORCE)" >/dev/null
db_new pull
PLAN=$(token planner)
server_start A
api GET "$A_URL/api/v1/changes?cursor=$C3" "$PLAN"
expect_problem 410 "a cursor from the database before"
expect_jq .type urn:wrench:problem:reset "the reset"
api GET "$A_URL/api/v1/changes?cursor=$C3&wait=5" "$PLAN"
expect_problem 410 "a long poll with a cursor from before"
api GET "$A_URL/api/v1/changes" "$PLAN"
expect_jq '.changes | length' 0 "the fresh snapshot"
server_stop "$A_PID"
