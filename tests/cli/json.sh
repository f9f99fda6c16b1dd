# json.sh - the JSON convention and JSON import through the CLI: export ->
# import into an empty database -> export gives the same bytes for every
# entity (JSON and JSON Lines, also in a zone with daylight saving), and a
# JSON import loses nothing a CSV one keeps; bad JSON (truncated, wrong
# types, unknown fields, bad dates and enumerations, bad UTF-8) is refused
# with the record and the field named, and nothing is written.
. "$(dirname "$0")/lib.sh"

D="$WRENCH_SRC/tests/data/csv"
ENTITIES="locations assets meters readings pms workorders history"
# history before workorders, as in csv.sh: the failure events the work
# orders would make are then the exported ones, identities included.
RESTORE="locations assets meters readings pms history workorders"

for e in $ENTITIES; do
	w import "$e" "$D/nasty_$e.csv"
	check_rc "import nasty $e" 0
done
DB1=$DB

# ---- round trips, JSON and JSON Lines, in UTC and in Paris
for zone in UTC Europe/Paris; do
	export TZ=$zone
	for fmt in json jsonl; do
		DB=$DB1
		for e in $ENTITIES; do
			w export "$e" --format "$fmt" -o "$TMP/a_$e.$fmt"
			check_rc "export $e as $fmt ($zone)" 0
			w export "$e" -o "$TMP/a_$e.csv"
		done
		DB="$TMP/copy_${fmt}_${zone%%/*}.db"
		for e in $RESTORE; do
			w import "$e" "$TMP/a_$e.$fmt"
			check_rc "import exported $e.$fmt into an empty database ($zone)" 0
		done
		for e in $ENTITIES; do
			w export "$e" --format "$fmt" -o "$TMP/b_$e.$fmt"
			if cmp -s "$TMP/a_$e.$fmt" "$TMP/b_$e.$fmt"; then pass; else
				fail "$fmt round trip of $e changed bytes ($zone)" \
					"$(diff "$TMP/a_$e.$fmt" "$TMP/b_$e.$fmt" | head -6)"
			fi
			# The JSON held everything: the CSV of the copy is the original's.
			w export "$e" -o "$TMP/b_$e.csv"
			if cmp -s "$TMP/a_$e.csv" "$TMP/b_$e.csv"; then pass; else
				fail "$fmt import of $e lost something ($zone)" \
					"$(diff "$TMP/a_$e.csv" "$TMP/b_$e.csv" | head -6)"
			fi
		done
		# Importing the export into the database it came from changes nothing.
		DB=$DB1
		for e in $RESTORE; do
			w import "$e" "$TMP/a_$e.$fmt"
			assert_contains "re-import of $e.$fmt is a no-op ($zone)" "$OUT" "0 inserted, 0 updated"
		done
	done
done
export TZ=UTC
DB=$DB1

# ---- the convention in the export: null, true/false, numbers, RFC 3339
w export workorders --format json
J=$OUT
assert_eq "one object per record" "$(grep -c '^  {' <<<"$J")" "$(jq length <<<"$J")"
assert_eq "booleans are true/false" "boolean" "$(jq -r '.[0].failure | type' <<<"$J")"
assert_eq "numbers are numbers" "number" "$(jq -r '[.[] | select(.est_hours != null)][0].est_hours | type' <<<"$J")"
assert_eq "no empty strings: missing is null" "0" "$(jq '[.[] | .[] | select(. == "")] | length' <<<"$J")"
assert_eq "instants are RFC 3339 UTC" "true" \
	"$(jq '[.[] | .created | select(. != null) | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$")] | all' <<<"$J")"
assert_eq "dates are YYYY-MM-DD" "true" \
	"$(jq '[.[] | .due | select(. != null) | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")] | all' <<<"$J")"
assert_eq "keys are the CSV headers" "$(w export workorders; head -1 <<<"$OUT")" \
	"$(jq -r '.[0] | keys_unsorted | join(",")' <<<"$J")"
w export workorders --format jsonl
assert_eq "JSON Lines: one record a line" "$(jq length <<<"$J")" "$(wc -l <<<"$OUT" | tr -d ' ')"
# WO-1 was created at 05:00 on the plant's clock: in winter Paris is UTC+1.
assert_eq "UTC: the wall clock is UTC" "2020-01-15T05:00:00Z" \
	"$(jq -r '.[] | select(.number == "WO-1") | .created' <<<"$J")"
TZ=Europe/Paris run "$WRENCH" --db "$DB" export workorders --format json
assert_eq "Paris: the wall clock in UTC" "2020-01-15T04:00:00Z" \
	"$(jq -r '.[] | select(.number == "WO-1") | .created' <<<"$OUT")"

# ---- every command's JSON by the same convention
w wo show WO-1 --format json
J=$OUT
assert_eq "wo show: instants RFC 3339" "2020-01-15T05:00:00Z" "$(jq -r .created <<<"$J")"
assert_eq "wo show: a date is a date" "2020-02-01" "$(jq -r .due <<<"$J")"
assert_eq "wo show: the same values as the export" \
	"$(w export workorders --format json; jq -c '.[] | select(.number == "WO-1") | [.title, .failure, .est_hours, .downtime_end, .pm]' <<<"$OUT")" \
	"$(jq -c '[.title, .failure, .est_hours, .downtime_end, .pm]' <<<"$J")"
assert_eq "wo show: no empty strings" "0" "$(jq '[.. | select(. == "")] | length' <<<"$J")"
w wo list --format json
assert_eq "wo list: created is the instant" "2020-01-15T05:00:00Z" \
	"$(jq -r '.[] | select(.number == "WO-1") | .created' <<<"$OUT")"
assert_eq "wo list: no empty strings" "0" "$(jq '[.. | select(. == "")] | length' <<<"$OUT")"
w asset list --format json
assert_eq "asset list: keys are the CSV headers" "true" "$(jq '.[0] | has("install_date")' <<<"$OUT")"
w asset show A-CHILD --format json
assert_eq "asset show: install_date" "2019-03-04 14:30:00" "$(jq -r .install_date <<<"$OUT")"
assert_eq "asset show: history by the history file's names" "true" \
	"$(jq '.history | all(has("date") and has("event"))' <<<"$OUT")"
assert_eq "asset show: no empty strings" "0" "$(jq '[.. | select(. == "")] | length' <<<"$OUT")"
assert_eq "asset show: booleans and numbers in its sections" "boolean number number" \
	"$(jq -r '[(.reliability.ranked | type), (.history_more | type), (.criticality | type)] | join(" ")' <<<"$OUT")"
w pm list --format json
assert_eq "pm list: active is a boolean" "boolean" "$(jq -r '.[0].active | type' <<<"$OUT")"
w pm due --days 3660 --format json
assert_eq "pm due: overdue is a boolean" "boolean" "$(jq -r '.[0].overdue | type' <<<"$OUT")"

w sync --status --format json
assert_eq "sync --status: null before any sync, counts as numbers" "null null number" \
	"$(jq -r '[.server, .last_sync, (.pending | type)] | map(tostring) | join(" ")' <<<"$OUT")"

# ---- an offset is converted to the plant's clock (TZ=UTC here)
DB="$TMP/offset.db"
w import locations "$D/nasty_locations.csv"
w import assets "$D/nasty_assets.csv"
printf '[{"asset": "A-CHILD", "date": "2025-07-07T08:00:00+02:00", "event": "install"}]\n' \
	>"$TMP/ev.json"
w import history "$TMP/ev.json"
check_rc "import an event with an offset" 0
w export history
assert_contains "+02:00 read as UTC wall clock" "$OUT" "A-CHILD,2025-07-07 06:00:00,install"

# ---- detection by name and content, and --format
cp "$TMP/ev.json" "$TMP/ev.data"
w import history "$TMP/ev.data" --dry-run
check_rc "a JSON file by its content" 0
printf '{"asset": "A-CHILD", "date": "2025-07-08", "event": "install"}\n' >"$TMP/ev.ndjson"
w import history "$TMP/ev.ndjson"
check_rc "JSON Lines by the .ndjson name" 0
assert_contains "JSON Lines imported" "$OUT" "1 inserted"
w import history "$TMP/ev.ndjson" --format csv
check_rc "--format csv reads it as CSV (and refuses it)" 1
w import history "$TMP/ev.ndjson" --format xml
check_rc "--format xml is a usage error" 2
w import history "$TMP/ev.ndjson" --encoding latin1
check_rc "--encoding is for CSV" 2
assert_contains "--encoding: says why" "$ERR" "a JSON file is UTF-8"

# ---- bad JSON: refused, named, nothing written
DB="$TMP/bad.db"
w import locations "$D/nasty_locations.csv"
w import assets "$D/nasty_assets.csv"
w export workorders
BEFORE=$OUT
bad() { # NAME FILE-CONTENT EXPECTED-IN-STDERR [FORMAT]
	printf '%s' "$2" >"$TMP/bad.${4:-json}"
	w import workorders "$TMP/bad.${4:-json}"
	check_rc "$1: refused" 1
	assert_contains "$1: says why" "$ERR" "$3"
	w export workorders
	assert_eq "$1: nothing written" "$BEFORE" "$OUT"
}
bad "truncated" '[{"number": "WO-1", "title": "a"},
{"number": "WO-2", "ti' "bad.json:2: not valid JSON (the file ends too soon"
bad "not an array" '{"number": "WO-1"}' "an array of records"
bad "not an object" '[{"number": "WO-1"}, 7]' "bad.json:1: record 2 is a number, not an object"
bad "a number for text" '[{"number": "WO-1", "title": 5}]' \
	"bad.json:1: record 1: title: wants a string or null, not a number"
bad "a string for a number" '[{"number": "WO-1", "est_hours": "two"}]' \
	"record 1: est_hours: wants a number or null, not a string"
bad "a string for a boolean" '[{"number": "WO-1", "failure": "yes"}]' \
	"record 1: failure: wants true or false or null, not a string"
bad "an object for a field" '[{"number": "WO-1", "asset": {"tag": "A-1"}}]' \
	"record 1: asset: wants a string or null, not an object"
bad "unknown field" '[
  {"number": "WO-1"},
  {"number": "WO-2", "colour": "red"}
]' 'bad.json:3: record 2: unknown field "colour" in workorders'
bad "a field twice" '[{"number": "WO-1", "title": "a", "title": "b"}]' "title is given twice"
bad "bad date" '[{"number": "WO-1", "due": "2025-13-45"}]' "bad.json:1: due: '2025-13-45' is not a date"
bad "bad enumeration" '[{"number": "WO-1", "status": "sleeping"}]' "bad.json:1: status"
bad "bad UTF-8" "$(printf '[{"number": "WO-1",\n "title": "caf\351"}]')" \
	"bad.json:2: not UTF-8 text"
bad "JSON Lines: a broken line" '{"number": "WO-1"}
{"number": "WO-2"' "bad.jsonl:2: not valid JSON" jsonl
bad "JSON Lines: a bad value" '{"number": "WO-1"}

{"number": "WO-2", "priority": 9}' "bad.jsonl:3: record 2: priority: wants a string or null, not a number" jsonl
# Every bad record is reported, not only the first.
bad "two bad records" '[{"number": "WO-1", "title": 1},
{"number": "WO-2", "title": 2}]' "bad.json:2: record 2: title"

# A good file after all that goes in whole.
printf '[{"number": "WO-9", "title": "ok", "est_hours": 1.5, "failure": true, "due": null}]' \
	>"$TMP/good.json"
w import workorders "$TMP/good.json"
check_rc "a good JSON file" 0
w wo show WO-9 --format json
assert_eq "its values" '["ok",1.5,true]' "$(jq -c '[.title, .est_hours, .failure]' <<<"$OUT")"

finish
