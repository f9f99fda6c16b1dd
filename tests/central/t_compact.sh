# t_compact.sh - the retention horizon: `wrench-central compact` purges old
# tombstones and the sites records have left; a cursor from before what it
# purged gets a reset, a later one does not; a site-limited token's cursor
# keeps up with the log while its sites are quiet.
db_new compact
server_start A
PLAN=$(token planner)
NORTH=$(token technician NORTH)
batch() { printf '{"device":"%s","mutations":[%s]}' "$1" "$2"; }
loc() {   # loc SEQ UUID CODE KIND [PARENT]
	local parent=""
	[ -z "${5:-}" ] || parent=",\"parent\":{\"new\":\"$5\"}"
	printf '{"seq":%s,"entity":"locations","op":"create","uuid":"%s","base_version":0,"fields":{"code":{"new":"%s"},"kind":{"new":"%s"}%s}}' \
		"$1" "$2" "$3" "$4" "$parent"
}
# pull TOKEN CURSOR: one page; sets STATUS, BODY and NEXT.
pull() {
	api GET "$A_URL/api/v1/changes?cursor=$2" "$1"
	NEXT=$(printf '%s' "$BODY" | jq -r '.next // empty' 2>/dev/null || true)
}
compact() { "$WRENCH_CENTRAL" compact --db "$DB" --older-than "$1"; }

N=$(uuid); S=$(uuid); LN=$(uuid); LS=$(uuid); LM=$(uuid)
api POST "$A_URL/api/v1/push" "$PLAN" "$(batch p1 "$(loc 1 "$N" NORTH site),$(loc 2 "$S" SOUTH site),$(loc 3 "$LN" N-AREA area "$N"),$(loc 4 "$LM" MOVES area "$N"),$(loc 5 "$LS" S-AREA area "$S")")"
expect_jq '[.results[].status] | unique | join(",")' applied "the locations"
pull "$PLAN" ""
expect_jq '.changes | length' 5 "the planner's snapshot"
C0=$NEXT
pull "$NORTH" ""
expect_jq '[.changes[].data.code] | sort | join(",")' "MOVES,N-AREA,NORTH" "NORTH's snapshot"
N0=$NEXT

# MOVES goes to SOUTH and a SOUTH location is deleted: NORTH gets MOVES's
# tombstone, and its cursor passes the SOUTH tombstone it never sees.
# (The tombstone is the log's last row, after the last row NORTH sees.)
api POST "$A_URL/api/v1/push" "$PLAN" "$(batch p2 "{\"seq\":1,\"entity\":\"locations\",\"op\":\"update\",\"uuid\":\"$LM\",\"base_version\":1,\"fields\":{\"parent\":{\"old\":\"$N\",\"new\":\"$S\"}}},{\"seq\":2,\"entity\":\"locations\",\"op\":\"delete\",\"uuid\":\"$LS\",\"base_version\":1,\"fields\":{}}")"
expect_jq '[.results[].status] | join(",")' "applied,applied" "the move and the delete"
pull "$NORTH" "$N0"
expect_jq '[.changes[] | .op + " " + .uuid] | join(",")' "delete $LM" "NORTH after the move"
N1=$NEXT
pull "$PLAN" "$C0"
expect_jq '[.changes[] | .op] | join(",")' "upsert,delete" "the planner after the delete"
C1=$NEXT

# Rows younger than the retention period are kept.
out=$(compact 1)
[ "$out" = "purged 0 tombstones, narrowed 0 rows to their present site; retention horizon (0, 0); purged 0 settled field conflicts; purged 0 push receipts and 0 idempotency keys" ] ||
	fail "compact of young rows: $out"
pull "$PLAN" "$C0"
expect_status 200 "a cursor before young tombstones"

# Ten days later (the rows are made older), a seven-day compaction purges
# the tombstone and narrows MOVES's row to its present site.
sql "UPDATE change_log SET at = at - interval '10 days'" >/dev/null
out=$(compact 7)
case $out in "purged 1 tombstones, narrowed 1 rows to their present site; retention horizon ("*) ;;
	*) fail "compact of old rows: $out" ;; esac
[ "$(sql "SELECT count(*) FROM change_log WHERE op = 'delete'")" = 0 ] || fail "the tombstone is still there"
[ "$(sql "SELECT array_to_string(sites, ',') FROM change_log WHERE uuid = '$LM'")" = SOUTH ] ||
	fail "MOVES's row still carries NORTH"
[ "$(sql "SELECT count(*) FROM change_log")" = 4 ] || fail "compaction removed live records' rows"

# Cursors before the purge get a reset; cursors after it carry on.
pull "$PLAN" "$C0"
expect_problem 410 "the planner's cursor from before the purge"
expect_jq .detail "the cursor is older than the retention horizon" "the reset's reason"
pull "$NORTH" "$N0"
expect_problem 410 "NORTH's cursor from before the purge"
pull "$PLAN" "$C1"
expect_status 200 "the planner's cursor after the purge"
expect_jq '.changes | length' 0 "nothing new for the planner"
pull "$NORTH" "$N1"
expect_status 200 "NORTH's cursor, moved past the SOUTH tombstone"
pull "$PLAN" ""
expect_jq '[.changes[].data.code] | sort | join(",")' "MOVES,N-AREA,NORTH,SOUTH" "a fresh snapshot"

# Compacting again changes nothing and never moves the horizon back.
h=$(sql "SELECT horizon_xid || '/' || horizon_seq FROM central_meta")
out=$(compact 0)
case $out in "purged 0 tombstones, narrowed 0 rows"*) ;; *) fail "a second compaction: $out" ;; esac
[ "$(sql "SELECT horizon_xid || '/' || horizon_seq FROM central_meta")" = "$h" ] || fail "the horizon moved"
rc=0; "$WRENCH_CENTRAL" compact --db "$DB" 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "compact without --older-than: exit $rc"

# Push receipts are purged after their own retention period (by default
# that of --older-than).  A retry of a purged push is applied afresh, with
# no second effect: its create is recognised by its UUID and fields, its
# update finds its value there already; a retry of a push whose receipts
# are kept gets them back.
O=$(uuid); Y=$(uuid)
OLD_PUSH=$(batch aged "$(loc 1 "$O" AGED area),{\"seq\":2,\"entity\":\"locations\",\"op\":\"update\",\"uuid\":\"$O\",\"base_version\":1,\"fields\":{\"name\":{\"old\":null,\"new\":\"Aged\"}}}")
api POST "$A_URL/api/v1/push" "$PLAN" "$OLD_PUSH"
expect_jq '[.results[].status] | join(",")' "applied,applied" "the push whose receipts age"
YOUNG_PUSH=$(batch young "$(loc 1 "$Y" YOUNG area)")
api POST "$A_URL/api/v1/push" "$PLAN" "$YOUNG_PUSH"
expect_jq '.results[0].status' applied "the push whose receipts stay"
sql "UPDATE push_receipt SET at = at - interval '40 days' WHERE device = 'aged'" >/dev/null
kept=$(sql "SELECT count(*) FROM push_receipt WHERE device <> 'aged'")
out=$("$WRENCH_CENTRAL" compact --db "$DB" --older-than 7 --receipts-older-than 41)
case $out in *"; purged 0 push receipts and 0 idempotency keys") ;; *) fail "compact of receipts younger than 41 days: $out" ;; esac
out=$("$WRENCH_CENTRAL" compact --db "$DB" --older-than 7 --receipts-older-than 30)
case $out in *"; purged 2 push receipts and 0 idempotency keys") ;; *) fail "compact of receipts older than 30 days: $out" ;; esac
[ "$(sql "SELECT count(*) FROM push_receipt WHERE device = 'aged'")" = 0 ] || fail "aged receipts kept"
[ "$(sql "SELECT count(*) FROM push_receipt")" = "$kept" ] || fail "young receipts purged"
api POST "$A_URL/api/v1/push" "$PLAN" "$OLD_PUSH"
expect_jq '[.results[] | .status + ":" + (.version | tostring)] | join(",")' "applied:2,merged:2" \
	"a retry after the receipts' retention"
[ "$(sql "SELECT version FROM record WHERE uuid = '$O'")" = 2 ] || fail "the retry changed the record"
api POST "$A_URL/api/v1/push" "$PLAN" "$YOUNG_PUSH"
expect_jq '.results[0].status + " " + (.results[0].version | tostring)' "applied 1" "a retry within it"
sql "UPDATE push_receipt SET at = at - interval '40 days'" >/dev/null
out=$(compact 30)
case $out in *"; purged $(( kept + 2 )) push receipts and 0 idempotency keys") ;; *) fail "compact's default receipt retention: $out" ;; esac
rc=0; "$WRENCH_CENTRAL" compact --db "$DB" --older-than 7 --receipts-older-than x 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "compact with a bad --receipts-older-than: exit $rc"

# Settled field conflicts older than the retention period go, but each
# record keeps its latest row, so the pull still says it has none open.
fc() { # fc UUID RESOLVED-DAYS-AGO (empty: open)
	local res=NULL
	[ -z "$2" ] || res="now() - interval '$2 days'"
	sql "INSERT INTO field_conflict(uuid, field, base, lost, kept, lost_by, lost_device, kept_by,
		kept_at, resolved_at, resolved_by) VALUES ('$1', 'name', '\"a\"', '\"b\"', '\"c\"', 'u',
		'd', 'u', now(), $res, CASE WHEN $res IS NULL THEN NULL ELSE 'u' END)" >/dev/null
}
fc "$N" 40; fc "$N" 40; fc "$N" 40; fc "$LN" 40; fc "$LN" ""; fc "$LM" 2; fc "$LM" ""
out=$(compact 30)
case $out in *"; purged 3 settled field conflicts;"*) ;; *) fail "compact of settled conflicts: $out" ;; esac
[ "$(sql "SELECT string_agg(uuid::text || ':' || (resolved_at IS NULL)::text, ',' ORDER BY id)
	FROM field_conflict")" = "$N:false,$LN:true,$LM:false,$LM:true" ] || fail "the wrong conflicts purged"
pull "$PLAN" ""
expect_jq "[.changes[] | select(.uuid == \"$N\") | .conflicts | length] | join(\",\")" 0 \
	"a record whose conflicts were all settled still says none is open"
out=$(compact 30)
case $out in *"; purged 0 settled field conflicts;"*) ;; *) fail "a second compact of conflicts: $out" ;; esac
server_stop "$A_PID"
