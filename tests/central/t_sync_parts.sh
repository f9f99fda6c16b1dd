# t_sync_parts.sh - the parts inventory through wrench-central: a part a
# planner creates (and counts) reaches a technician; the technician may not
# change the register (rejected, with its reason), but a part the
# technician uses on a work order lowers the quantity on hand once: on the
# server, which applies the use, and on every device after a sync, however
# often the use is pushed.  A part given back raises it again, and a use of
# a code the inventory does not know stays free text and moves nothing.
. "$(dirname "${BASH_SOURCE[0]}")/sync_lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed"

db_new parts
server_start A
device plan "$(token planner)"
device tech "$(token technician)"
device tech2 "$(token technician)"
printf 'code,name,kind\nSITE,Main site,site\n' >"$T/l.csv"
printf 'tag,name,location\nP-101,Pump 101,SITE\n' >"$T/as.csv"
printf 'code,name,cost,on_hand,min_qty,barcode,area\nSEAL-1,Mechanical seal,42.5,5,2,4006381333931,Bin 7\n' \
	>"$T/parts.csv"
ok plan import locations "$T/l.csv"
ok plan import assets "$T/as.csv"
ok plan import parts "$T/parts.csv"
ok plan wo new --asset P-101 --title "Seal leak" --assignee tech
WO=$OUT
first_sync plan "$A_URL"
expect_rc 0 "the planner's first sync"
[ "$(sql "SELECT data->>'on_hand' FROM record WHERE entity = 'inventory' AND key = 'SEAL-1'")" = 5 ] ||
	fail "the server does not hold the part with its quantity"

# on_hand DEVICE: the quantity on hand of SEAL-1 on that device.
on_hand() { w "$1" part show SEAL-1 --format json; printf '%s' "$OUT" | jq .on_hand; }
server_on_hand() { sql "SELECT data->>'on_hand' FROM record WHERE entity = 'inventory' AND key = 'SEAL-1'"; }

first_sync tech "$A_URL"
expect_rc 0 "the technician's first sync"
w tech part show SEAL-1 --format json
expect_rc 0 "the part reached the technician"
[ "$(printf '%s' "$OUT" | jq -r '[.name, .cost, .on_hand, .min_qty, .barcode, .area] | join("|")')" = \
  "Mechanical seal|42.5|5|2|4006381333931|Bin 7" ] || fail "the part's fields on the technician's device: $OUT"
first_sync tech2 "$A_URL"
expect_rc 0 "the second technician's first sync"

# ---- a technician may not change the register
ok tech part set SEAL-1 --on-hand 50
w tech sync
expect_rc 3 "a technician's change of the inventory is rejected"
ok tech conflicts --format json
printf '%s' "$OUT" | jq -e '[.[] | select(.kind == "rejected")] | length == 1' >/dev/null ||
	fail "the rejected edit is not listed: $OUT"
id=$(printf '%s' "$OUT" | jq -r '[.[] | select(.kind == "rejected")][0].id')
ok tech conflicts drop "$id"
[ "$(on_hand tech)" = 5 ] || fail "dropping the rejected count did not put 5 back"
[ "$(server_on_hand)" = 5 ] || fail "the server's quantity changed: $(server_on_hand)"

# ---- a use lowers it once
ok tech wo part "$WO" --code SEAL-1 --qty 2
[ "$(on_hand tech)" = 3 ] || fail "the use did not lower the technician's own count"
ok tech sync
[ "$(server_on_hand)" = 3 ] || fail "the server did not lower the part to 3: $(server_on_hand)"
[ "$(on_hand tech)" = 3 ] || fail "after the sync the technician holds $(on_hand tech), not 3"
[ "$(sql "SELECT count(*) FROM record WHERE entity = 'parts' AND data->>'part' IS NOT NULL")" = 1 ] ||
	fail "the server's use does not name the part"
# Pushing the same use again (a device reset re-sends it) changes nothing.
use=$(sqlite3 "$T/tech.db" "SELECT uuid FROM wo_part")
wouuid=$(sqlite3 "$T/tech.db" "SELECT uuid FROM wo WHERE number = '$WO'")
partuuid=$(sqlite3 "$T/tech.db" "SELECT uuid FROM part WHERE code = 'SEAL-1'")
at=$(sql "SELECT data->>'at' FROM record WHERE uuid = '$use'")
body=$(jq -nc --arg u "$use" --arg w "$wouuid" --arg p "$partuuid" --arg at "$at" \
	'{device: "replayer", mutations: [{seq: 1, entity: "parts",
	  uuid: $u, op: "create", base_version: 0, fields: {workorder: {new: $w},
	  part_code: {new: "SEAL-1"}, description: {new: "Mechanical seal"}, qty: {new: 2},
	  unit_cost: {new: 42.5}, at: {new: $at}, part: {new: $p}}}]}')
api POST "$A_URL/api/v1/push" "$(token technician)" "$body"
expect_status 200 "the use pushed again"
expect_jq '.results[0].status' applied "the use pushed again"
[ "$(server_on_hand)" = 3 ] || fail "a use pushed twice counted twice: $(server_on_hand)"

for d in plan tech2; do
	ok $d sync
	[ "$(on_hand $d)" = 3 ] || fail "$d holds $(on_hand $d) after the sync, not 3"
done
ok tech2 wo show "$WO" --format json
printf '%s' "$OUT" | jq -e '[.parts[] | select(.part_code == "SEAL-1" and .qty == 2)] | length == 1' \
	>/dev/null || fail "the use did not reach the second technician: $OUT"

# ---- given back, and a free-text part
ok tech2 wo part "$WO" --code SEAL-1 --qty 1 --return
ok tech2 wo part "$WO" --code GASKET-9 --qty 4
ok tech2 sync
[ "$(server_on_hand)" = 4 ] || fail "giving one back did not raise the server's count to 4: $(server_on_hand)"
[ "$(sql "SELECT count(*) FROM record WHERE entity = 'parts' AND data->>'part_code' = 'GASKET-9'
          AND data->>'part' IS NULL")" = 1 ] || fail "the free-text use names a part"
for d in plan tech; do
	ok $d sync
	[ "$(on_hand $d)" = 4 ] || fail "$d holds $(on_hand $d), not 4"
done

# ---- the planner's count is an edit like any other
ok plan part set SEAL-1 --on-hand 10
ok plan sync
ok tech sync
[ "$(on_hand tech)" = 10 ] || fail "the planner's count did not reach the technician"
same plan tech "after the parts syncs"

# ---- a technician limited to the site: the inventory is the plant's, in
# no site, so it reaches the site's device too; the part scanned there by
# its barcode is the inventory's, and its use lowers the count everywhere.
device techs "$(token technician SITE)"
first_sync techs "$A_URL"
expect_rc 0 "the site technician's first sync"
w techs part show 4006381333931 --format json
expect_rc 0 "the site technician looks the part up by its barcode"
[ "$(printf '%s' "$OUT" | jq -r '.code + " " + (.on_hand | tostring)')" = "SEAL-1 10" ] ||
	fail "the part by its barcode on the site technician's device: $OUT"
ok techs wo part "$WO" --code SEAL-1 --qty 3
expect_in "$OUT" "recorded, 7 on hand" "the site technician's use of the inventory's part"
ok techs sync
[ "$(server_on_hand)" = 7 ] || fail "the site technician's use did not lower the server's count to 7: $(server_on_hand)"
ok plan sync
[ "$(on_hand plan)" = 7 ] || fail "the planner holds $(on_hand plan) after the site technician's use, not 7"
