# t_sync_settings.sh - the reports' settings (crew capacity, labour rates)
# through wrench-central: a rate a planner sets at one desk prices the
# labour in `report cost` at another desk after both sync, a change and a
# removal travel the same way, and a technician may not change them (the
# change is rejected with its reason and dropping it puts the plant's
# value back).
. "$(dirname "${BASH_SOURCE[0]}")/sync_lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed"

pump_plant settings "tech" "P-101"
device desk2 "$(token planner)"
first_sync desk2 "$A_URL"
expect_rc 0 "the second planner's first sync"

# Two hours of the technician's labour on the work order, on every device.
ok tech --user tech wo labor "$WO" --minutes 120
ok tech sync
ok plan sync
ok desk2 sync

# labour_cost DEVICE: the labour cost of report cost's total on DEVICE.
labour_cost() {
	ok "$1" report cost --to 2099-12-31 --format csv
	printf '%s\n' "$OUT" | tr -d '\r' | awk -F, '$1 == "TOTAL" { print $3 }'
}
# server_value KEY: the server's value of the setting kind/name.
server_value() { sql "SELECT data->>'value' FROM record WHERE entity = 'settings' AND key = '$1'"; }

[ "$(labour_cost desk2)" = 0.00 ] || fail "labour is priced before any rate: $(labour_cost desk2)"

# ---- a planner's rates reach the other desk
ok plan report settings --rate 40 --person-rate tech=55
ok plan sync
[ "$(server_value rate/)" = 40 ] || fail "the server does not hold the default rate: $(server_value rate/)"
[ "$(server_value person_rate/tech)" = 55 ] ||
	fail "the server does not hold the technician's rate: $(server_value person_rate/tech)"
ok desk2 sync
[ "$(labour_cost desk2)" = 110.00 ] ||
	fail "the other desk does not price two hours at the technician's 55: $(labour_cost desk2)"

# ---- a change and a removal at the other desk come back
ok desk2 report settings --person-rate tech=none --rate 45
ok desk2 sync
ok plan sync
[ "$(labour_cost plan)" = 90.00 ] ||
	fail "the first desk does not price two hours at the new default 45: $(labour_cost plan)"
[ "$(sql "SELECT count(*) FROM record WHERE entity = 'settings' AND key = 'person_rate/tech'
          AND NOT deleted")" = 0 ] || fail "the removed rate is still on the server"

# ---- a technician may not change them
ok tech sync
ok tech report settings --format json
[ "$(printf '%s' "$OUT" | jq -r '[.[] | select(.setting == "rate")][0].value')" = 45 ] ||
	fail "the rate did not reach the technician: $OUT"
ok tech report settings --rate 99
w tech sync
expect_rc 3 "a technician's change of a rate is rejected"
ok tech conflicts --format json
printf '%s' "$OUT" | jq -e '[.[] | select(.kind == "rejected")] | length == 1' >/dev/null ||
	fail "the rejected edit is not listed: $OUT"
[ "$(printf '%s' "$OUT" | jq -r '[.[] | select(.kind == "rejected")][0] | "\(.record) \(.reason)"')" = \
  "rate forbidden: this role may not change this entity" ] ||
	fail "the rejected edit does not name the setting and the reason: $OUT"
id=$(printf '%s' "$OUT" | jq -r '[.[] | select(.kind == "rejected")][0].id')
ok tech conflicts drop "$id"
[ "$(labour_cost tech)" = 90.00 ] || fail "dropping the rejected rate did not put 45 back: $(labour_cost tech)"
[ "$(server_value rate/)" = 45 ] || fail "the server's rate changed: $(server_value rate/)"

# Also a setting the technician makes anew.
ok tech report settings --crew-hours 80
w tech sync
expect_rc 3 "a technician's new setting is rejected"
[ -z "$(server_value crew_hours/)" ] || fail "the technician's crew hours reached the server"

# ---- two desks make the same setting before they sync: the first to push
# has it; the other's is rejected as a duplicate, and dropping it takes the
# plant's.
ok plan report settings --crew-hours 120
ok desk2 report settings --crew-hours 100
ok plan sync
w desk2 sync
expect_rc 3 "the second desk's crew hours are a duplicate"
ok desk2 conflicts --format json
id=$(printf '%s' "$OUT" | jq -r '[.[] | select(.kind == "rejected")][0].id')
[ -n "$id" ] && [ "$id" != null ] || fail "the duplicate is not listed: $OUT"
ok desk2 conflicts drop "$id"
ok desk2 sync
ok desk2 report settings --format json
[ "$(printf '%s' "$OUT" | jq -r '[.[] | select(.setting == "crew_hours")][0].value')" = 120 ] ||
	fail "the second desk does not hold the plant's crew hours after dropping its own: $OUT"

same plan desk2 "after the settings syncs"

# ---- a planner limited to the site: the settings are the plant's, in no
# site, so the site's desk prices labour at the plant's rates, and the rate
# it sets reaches the plant.
device sitedesk "$(token planner SITE)"
first_sync sitedesk "$A_URL"
expect_rc 0 "the site planner's first sync"
[ "$(labour_cost sitedesk)" = 90.00 ] ||
	fail "the site planner's desk does not price two hours at the plant's 45: $(labour_cost sitedesk)"
ok sitedesk report settings --rate 50
ok sitedesk sync
[ "$(server_value rate/)" = 50 ] || fail "the site planner's rate did not reach the server: $(server_value rate/)"
echo "ok"
