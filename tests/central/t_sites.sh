# t_sites.sh - a record's site follows its place: moving a location to
# another site, or an asset to another location, moves every record beneath
# it in the same transaction; a site-limited token's pull sees them leave
# (tombstones) or arrive, and its reads and writes follow.  A record
# written under a location while it moves ends up in the new site too.
db_new sites
server_start A WRENCH_CENTRAL_FAILPOINT=pause-before-commit WRENCH_CENTRAL_PAUSE_FILE="$T/pause"
server_start B
PLAN=$(token planner)
NORTH=$(token technician NORTH)
SOUTH=$(token technician SOUTH)
batch() { printf '{"device":"%s","mutations":[%s]}' "$1" "$2"; }
create() {   # create SEQ ENTITY UUID FIELDS
	printf '{"seq":%s,"entity":"%s","op":"create","uuid":"%s","base_version":0,"fields":{%s}}' "$1" "$2" "$3" "$4"
}
update() {   # update SEQ ENTITY UUID BASE FIELDS
	printf '{"seq":%s,"entity":"%s","op":"update","uuid":"%s","base_version":%s,"fields":{%s}}' "$1" "$2" "$3" "$4" "$5"
}
ref() { printf '"%s":{"new":"%s"}' "$1" "$2"; }
# pull URL TOKEN CURSOR: one page into BODY; NEXT is its cursor.
pull() {
	api GET "$1/api/v1/changes?cursor=$3" "$2"
	expect_status 200 "a pull"
	NEXT=$(printf '%s' "$BODY" | jq -r .next)
}
ops() { printf '%s' "$BODY" | jq -r '[.changes[] | .op + " " + .uuid] | sort | join(",")'; }
expected() {   # expected OP UUID...: the sorted list ops prints
	local op=$1
	shift
	for u in "$@"; do echo "$op $u"; done | sort | paste -sd, -
}

N=$(uuid); S=$(uuid); AREA=$(uuid); NB=$(uuid); P1=$(uuid); P1C=$(uuid); P2=$(uuid)
W=$(uuid); NOTE=$(uuid); M=$(uuid); RD=$(uuid)
api POST "$B_URL/api/v1/push" "$PLAN" "$(batch plan "$(create 1 locations "$N" '"code":{"new":"NORTH"},"kind":{"new":"site"}'),$(create 2 locations "$S" '"code":{"new":"SOUTH"},"kind":{"new":"site"}'),$(create 3 locations "$AREA" "\"code\":{\"new\":\"N-AREA\"},$(ref parent "$N")"),$(create 4 locations "$NB" "\"code\":{\"new\":\"N-B\"},$(ref parent "$N")"),$(create 5 assets "$P1" "\"tag\":{\"new\":\"P1\"},$(ref location "$AREA")"),$(create 6 assets "$P2" "\"tag\":{\"new\":\"P2\"},$(ref location "$AREA")"),$(create 7 assets "$P1C" "\"tag\":{\"new\":\"P2-MOTOR\"},$(ref parent "$P2")"),$(create 8 meters "$M" "\"name\":{\"new\":\"hours\"},$(ref asset "$P1")"),$(create 9 workorders "$W" "\"title\":{\"new\":\"Seal\"},$(ref asset "$P1")"),$(create 10 notes "$NOTE" "$(ref workorder "$W"),\"author\":{\"new\":\"kw\"},\"at\":{\"new\":\"2025-03-02T06:58:10Z\"},\"body\":{\"new\":\"weeping\"}"),$(create 11 readings "$RD" "$(ref asset "$P1"),$(ref meter "$M"),\"at\":{\"new\":\"2025-03-02T07:00:00Z\"},\"value\":{\"new\":1200}")")"
expect_jq '[.results[].status] | unique | join(",")' applied "the plant"
[ "$(sql "SELECT count(*) FROM record WHERE site = 'NORTH'")" = 10 ] || fail "the plant is not all in NORTH"
pull "$B_URL" "$NORTH" ""
expect_jq '.changes | length' 10 "NORTH's snapshot"
N0=$NEXT
pull "$B_URL" "$SOUTH" ""
expect_jq '[.changes[].data.code] | join(",")' SOUTH "SOUTH's snapshot"
S0=$NEXT

# The area moves to SOUTH: everything beneath it goes with it, at the
# version it had (nothing in those records changed but their site).
api GET "$B_URL/api/v1/locations/$AREA" "$PLAN"
api PATCH "$B_URL/api/v1/locations/$AREA" "$PLAN" "{\"parent\":\"$S\"}" -H 'If-Match: "1"'
expect_status 200 "the move"
BENEATH=("$P1" "$P1C" "$P2" "$M" "$W" "$NOTE" "$RD")
pull "$B_URL" "$NORTH" "$N0"
[ "$(ops)" = "$(expected delete "$AREA" "${BENEATH[@]}")" ] || fail "NORTH after the move: $(ops)"
N1=$NEXT
pull "$B_URL" "$SOUTH" "$S0"
[ "$(ops)" = "$(expected upsert "$AREA" "${BENEATH[@]}")" ] || fail "SOUTH after the move: $(ops)"
expect_jq "[.changes[] | select(.uuid == \"$W\") | .data.title + \" \" + (.version | tostring)] | join(\"\")" \
	"Seal 1" "the work order as SOUTH receives it"
S1=$NEXT
[ "$(sql "SELECT count(*) FROM record WHERE site = 'SOUTH'")" = 9 ] || fail "the records did not move"
[ "$(sql "SELECT version FROM record WHERE uuid = '$W'")" = 1 ] || fail "the work order's version changed"

# Reads and writes follow the site.
api GET "$B_URL/api/v1/workorders/$W" "$NORTH"
expect_problem 404 "NORTH reads the moved work order"
api GET "$B_URL/api/v1/workorders/$W" "$SOUTH"
expect_status 200 "SOUTH reads the moved work order"
api POST "$B_URL/api/v1/push" "$NORTH" "$(batch north "$(update 1 workorders "$W" 1 '"priority":{"old":"medium","new":"high"}')")"
expect_jq '.results[0].reason.code' not_found "NORTH changes the moved work order"
api POST "$B_URL/api/v1/push" "$SOUTH" "$(batch south "$(update 1 workorders "$W" 1 '"priority":{"old":"medium","new":"high"}')")"
expect_jq '.results[0].status' applied "SOUTH changes the moved work order"

# An asset moved to a NORTH location takes its motor with it; the rest
# stays in SOUTH.
api POST "$B_URL/api/v1/push" "$PLAN" "$(batch plan "$(update 12 assets "$P2" 1 "\"location\":{\"old\":\"$AREA\",\"new\":\"$NB\"}")")"
expect_jq '.results[0].status' applied "the asset move"
# (NORTH also hears again that the work order SOUTH changed is gone.)
pull "$B_URL" "$NORTH" "$N1"
[ "$(ops)" = "$(printf '%s\n' "upsert $P2" "upsert $P1C" "delete $W" | sort | paste -sd, -)" ] ||
	fail "NORTH after the asset move: $(ops)"
pull "$B_URL" "$SOUTH" "$S1"
[ "$(printf '%s' "$BODY" | jq -r '[.changes[] | select(.op == "delete") | .uuid] | sort | join(",")')" = \
  "$(printf '%s\n' "$P2" "$P1C" | sort | paste -sd, -)" ] || fail "SOUTH after the asset move: $(ops)"
S2=$NEXT

# A work order created (through instance A, its commit held) under P1
# while the area moves back to NORTH (through B) ends up in NORTH.
X=$(uuid)
touch "$T/pause"
curl -s -o "$T/x.json" -X POST -H "Authorization: Bearer $SOUTH" \
	--data-binary "$(batch late "$(create 1 workorders "$X" "\"title\":{\"new\":\"Late\"},$(ref asset "$P1")")")" \
	"$A_URL/api/v1/push" &
XPID=$!
held() { [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' AND backend_xid IS NOT NULL")" -ge 1 ]; }
eventually held
curl -s -o "$T/move.json" -X PATCH -H "Authorization: Bearer $PLAN" -H 'If-Match: "2"' \
	--data-binary "{\"parent\":\"$N\"}" "$B_URL/api/v1/locations/$AREA" &
MPID=$!
moving() {
	! kill -0 "$MPID" 2>/dev/null ||
	[ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")" -ge 1 ]
}
eventually moving
rm "$T/pause"
wait "$XPID"
wait "$MPID"
jq -e '.results[0].status == "applied"' "$T/x.json" >/dev/null || fail "the late work order: $(cat "$T/x.json")"
jq -e '.parent' "$T/move.json" >/dev/null || fail "the move back: $(cat "$T/move.json")"
[ "$(sql "SELECT site FROM record WHERE uuid = '$X'")" = NORTH ] ||
	fail "the work order written during the move stayed in $(sql "SELECT site FROM record WHERE uuid = '$X'")"
pull "$B_URL" "$SOUTH" "$S2"
printf '%s' "$BODY" | jq -e --arg x "$X" '[.changes[] | select(.uuid == $x) | .op] | . == ["delete"]' >/dev/null ||
	fail "SOUTH still has the late work order: $(ops)"

# Parents never go round in a circle: not the record itself, not one of
# the records beneath it, for locations and assets alike.
L1=$(uuid); L2=$(uuid); L3=$(uuid)
api POST "$B_URL/api/v1/push" "$PLAN" "$(batch tree "$(create 1 locations "$L1" '"code":{"new":"L1"}'),$(create 2 locations "$L2" "\"code\":{\"new\":\"L2\"},$(ref parent "$L1")"),$(create 3 locations "$L3" "\"code\":{\"new\":\"L3\"},$(ref parent "$L2")")")"
expect_jq '[.results[].status] | unique | join(",")' applied "a chain of locations"
cycle() {   # cycle SEQ ENTITY UUID BASE NEW WHAT
	api POST "$B_URL/api/v1/push" "$PLAN" "$(batch tree "$(update "$1" "$2" "$3" "$4" "\"parent\":{\"old\":null,\"new\":\"$5\"}")")"
	expect_jq '.results[0].status + " " + .results[0].reason.code' "rejected invalid" "$6"
	expect_jq '.results[0].reason.detail | test("beneath it")' true "$6: the reason"
}
cycle 4 locations "$L1" 1 "$L3" "a location under its grandchild"
cycle 5 locations "$L1" 1 "$L2" "a location under its child"
cycle 6 locations "$L1" 1 "$L1" "a location under itself"
cycle 7 assets "$P2" 2 "$P1C" "an asset under its motor"
[ "$(sql "SELECT count(*) FROM record WHERE uuid IN ('$L1', '$P2') AND data->>'parent' IS NOT NULL")" = 0 ] ||
	fail "a refused parent was written"
api POST "$B_URL/api/v1/push" "$PLAN" "$(batch tree "$(update 8 locations "$L3" 1 "\"parent\":{\"old\":\"$L2\",\"new\":\"$L1\"}")")"
expect_jq '.results[0].status' applied "a location moved up, under its grandparent"

# Two moves that would close a circle together (within one site, so that
# no site changes), through two instances, the first one's commit held:
# the second waits for it, sees it, and is refused.
C1=$(uuid); C2=$(uuid)
api POST "$B_URL/api/v1/push" "$PLAN" "$(batch tree "$(create 9 locations "$C1" "\"code\":{\"new\":\"C1\"},$(ref parent "$N")"),$(create 10 locations "$C2" "\"code\":{\"new\":\"C2\"},$(ref parent "$N")")")"
expect_jq '[.results[].status] | unique | join(",")' applied "two locations"
touch "$T/pause"
curl -s -o "$T/c1.json" -X POST -H "Authorization: Bearer $PLAN" \
	--data-binary "$(batch c1 "$(update 1 locations "$C1" 1 "\"parent\":{\"old\":\"$N\",\"new\":\"$C2\"}")")" \
	"$A_URL/api/v1/push" &
C1PID=$!
eventually held
curl -s -o "$T/c2.json" -X POST -H "Authorization: Bearer $PLAN" \
	--data-binary "$(batch c2 "$(update 1 locations "$C2" 1 "\"parent\":{\"old\":\"$N\",\"new\":\"$C1\"}")")" \
	"$B_URL/api/v1/push" &
MPID=$!
eventually moving
rm "$T/pause"
wait "$C1PID"
wait "$MPID"
[ "$(jq -r '.results[0].status' "$T/c1.json") $(jq -r '.results[0].status + " " + .results[0].reason.code' "$T/c2.json")" = \
  "applied rejected invalid" ] || fail "two moves closing a circle: $(cat "$T/c1.json" "$T/c2.json")"
[ "$(sql "SELECT count(*) FROM record WHERE uuid IN ('$C1', '$C2') AND data->>'parent' = ANY(ARRAY['$C1', '$C2'])")" = 1 ] ||
	fail "the two locations are each other's parents"

# The plant's records (the parts inventory, the reports' settings) belong
# to no site and are every token's: a site-limited token pulls them, but its
# role alone decides whether it may change them.  A record without a site
# for want of a place (an asset with no location) stays absent for it.
INV=$(uuid); SET=$(uuid); ORPHAN=$(uuid); SET2=$(uuid)
api POST "$B_URL/api/v1/push" "$PLAN" "$(batch plantwide "$(create 1 inventory "$INV" '"code":{"new":"SEAL-1"},"barcode":{"new":"4006381333931"},"on_hand":{"new":5}'),$(create 2 settings "$SET" '"kind":{"new":"rate"},"value":{"new":50}'),$(create 3 assets "$ORPHAN" '"tag":{"new":"ORPHAN"}')")"
expect_jq '[.results[].status] | unique | join(",")' applied "the plant's records"
plant() {   # plant UUID...: the ops of this page for those records, sorted
	printf '%s' "$BODY" | jq -r --args '[.changes[] | select(.uuid as $u | $ARGS.positional | index($u)) | .op + " " + .uuid] | sort | join(",")' "$@"
}
pull "$B_URL" "$NORTH" ""
[ "$(plant "$INV" "$SET")" = "$(expected upsert "$INV" "$SET")" ] || fail "NORTH's snapshot lacks the plant's records: $(plant "$INV" "$SET")"
expect_jq "[.changes[] | select(.uuid == \"$INV\") | .data.barcode] | join(\"\")" 4006381333931 "the part as NORTH receives it"
[ -z "$(plant "$ORPHAN" "$S")" ] || fail "NORTH's snapshot has a site-less asset or SOUTH: $(plant "$ORPHAN" "$S")"
while [ "$(printf '%s' "$BODY" | jq -r .more)" = true ]; do pull "$B_URL" "$NORTH" "$NEXT"; done
N2=$NEXT
api POST "$B_URL/api/v1/push" "$PLAN" "$(batch plantwide "$(update 4 inventory "$INV" 1 '"on_hand":{"old":5,"new":7}')")"
expect_jq '.results[0].status' applied "the planner counts the part"
pull "$B_URL" "$NORTH" "$N2"
[ "$(ops)" = "upsert $INV" ] || fail "NORTH after the count: $(ops)"
expect_jq '.changes[0].data.on_hand' 7 "the count as NORTH receives it"
N2=$NEXT
api GET "$B_URL/api/v1/assets/$ORPHAN" "$NORTH"
expect_problem 404 "NORTH reads the site-less asset"

# A technician of a site may not change them, whatever its sites; a
# planner of a site may.
api POST "$B_URL/api/v1/push" "$NORTH" "$(batch north "$(update 2 inventory "$INV" 2 '"on_hand":{"old":7,"new":70}'),$(update 3 settings "$SET" 1 '"value":{"old":50,"new":500}'),$(create 4 inventory "$(uuid)" '"code":{"new":"SEAL-2"}')")"
expect_jq '[.results[] | .status + " " + .reason.code] | join(",")' \
	"rejected forbidden,rejected forbidden,rejected forbidden" "NORTH's technician changes the plant's records"
[ "$(sql "SELECT version || ' ' || (data->>'on_hand') FROM record WHERE uuid = '$INV'")" = "2 7" ] ||
	fail "a technician's change of the inventory was written"
NPLAN=$(token planner NORTH)
api POST "$B_URL/api/v1/push" "$NPLAN" "$(batch nplan "$(update 1 inventory "$INV" 2 '"on_hand":{"old":7,"new":8}'),$(create 2 settings "$SET2" '"kind":{"new":"crew_hours"},"value":{"new":120}')")"
expect_jq '[.results[].status] | join(",")' "applied,applied" "NORTH's planner changes the plant's records"

# A device of a site that synced before the plant's records were every
# token's is past their rows: the migration writes them again after every
# cursor.  (Here the migration runs a second time, on a pull up to date.)
pull "$B_URL" "$NORTH" "$N2"
while [ "$(printf '%s' "$BODY" | jq -r .more)" = true ]; do pull "$B_URL" "$NORTH" "$NEXT"; done
N3=$NEXT
pull "$B_URL" "$NORTH" "$N3"
expect_jq '.changes | length' 0 "NORTH up to date"
sql "UPDATE central_schema SET version = version - 1" >/dev/null
"$WRENCH_CENTRAL" migrate --db "$DB" 2>"$T/migrate.err" || fail "the migration again: $(cat "$T/migrate.err")"
pull "$B_URL" "$NORTH" "$N3"
[ "$(ops)" = "$(expected upsert "$INV" "$SET" "$SET2")" ] || fail "NORTH after the migration: $(ops)"
server_stop "$A_PID"
server_stop "$B_PID"
