# csv.sh - CSV import and export through the CLI: round trips of every
# entity with awkward data (CSV and JSON), bad-row reports, rejects files,
# dry runs, Atlas CMMS files, ';' files, and the Azure example import script.
. "$(dirname "$0")/lib.sh"

D="$WRENCH_SRC/tests/data/csv"
ENTITIES="locations assets meters readings pms workorders history"
# history before workorders: the failure events the work orders would make
# are then the exported ones, identities included.
RESTORE="locations assets meters readings pms history workorders"

# ---- load the awkward fixtures
for e in $ENTITIES; do
	w import "$e" "$D/nasty_$e.csv"
	check_rc "import nasty $e" 0
	assert_contains "nasty $e: nothing rejected" "$OUT" "0 rejected"
done

# ---- export -> import into an empty database -> export: the same bytes
DB1=$DB
for e in $ENTITIES; do
	w export "$e" -o "$TMP/a_$e.csv"
	check_rc "export $e to a file" 0
	w export "$e"
	assert_eq "export $e: -o writes what stdout shows" "$(cat "$TMP/a_$e.csv")" "$OUT"
	w export "$e" --format json -o "$TMP/a_$e.json"
	check_rc "export $e as JSON" 0
	assert_json "export $e: JSON parses" "$(cat "$TMP/a_$e.json")"
done
DB="$TMP/copy.db"
for e in $RESTORE; do
	w import "$e" "$TMP/a_$e.csv"
	check_rc "re-import exported $e into an empty database" 0
done
for e in $ENTITIES; do
	w export "$e" -o "$TMP/b_$e.csv"
	if cmp -s "$TMP/a_$e.csv" "$TMP/b_$e.csv"; then pass; else
		fail "round trip of $e changed the CSV" "$(diff "$TMP/a_$e.csv" "$TMP/b_$e.csv" | head -6)"
	fi
	w export "$e" --format json -o "$TMP/b_$e.json"
	if cmp -s "$TMP/a_$e.json" "$TMP/b_$e.json"; then pass; else
		fail "round trip of $e changed the JSON" "$(diff "$TMP/a_$e.json" "$TMP/b_$e.json" | head -6)"
	fi
done
# Importing the export into the database it came from changes nothing.
DB=$DB1
for e in $RESTORE; do
	w import "$e" "$TMP/a_$e.csv"
	assert_contains "re-import of exported $e is a no-op" "$OUT" "0 inserted, 0 updated"
done

# ---- what the export looks like
A=$(cat "$TMP/a_assets.csv")
assert_contains "formula cells neutralised" "$A" "'-DASH,'@at name,'=quoted formula,'=cls"
assert_contains "quotes doubled, quoted newlines" "$A" '"Pump, ""big"" one","Line one'
assert_contains "unicode kept" "$A" "漢字 mötor 🚀"
assert_contains "numbers not neutralised" "$(cat "$TMP/a_readings.csv")" ",-5.25,"
J=$(cat "$TMP/a_assets.json")
assert_eq "JSON keys are the CSV columns" \
	"tag,name,description,class,parent,location,criticality,status,install_date,serial,manufacturer,model,uuid" \
	"$(printf '%s' "$J" | jq -r '.[0] | keys_unsorted | join(",")')"
assert_eq "JSON numbers are numbers" "number" "$(printf '%s' "$J" | jq -r '.[0].criticality | type')"
assert_eq "JSON empty cells are null" "null" "$(printf '%s' "$J" | jq -r '.[0].parent')"
assert_eq "JSON text decodes to the stored text" 'Line one
Line two, with comma
  indented "quote"' "$(printf '%s' "$J" | jq -r '.[] | select(.tag == "A-CHILD") | .description')"
assert_eq "JSON yes/no are booleans" "boolean" \
	"$(jq -r '.[0].floating | type' "$TMP/a_pms.json")"

# ---- bad rows: FILE:LINE: reason, exit 1, nothing written
DB="$TMP/bad.db"
printf 'tag\nP-1\n' >"$TMP/p1.csv"
w import assets "$TMP/p1.csv"
check_rc "import P-1" 0
w import workorders "$D/bad_workorders.csv"
check_rc "import with bad rows" 1
assert_contains "bad asset on line 5" "$ERR" "bad_workorders.csv:5: no asset with tag 'NOPE'"
assert_contains "bad date on line 6" "$ERR" "bad_workorders.csv:6: due: '2021-13-45' is not a date"
assert_contains "bad status on line 7" "$ERR" "bad_workorders.csv:7: status: 'broken' is not one of"
assert_contains "summary says nothing was imported" "$ERR" "3 bad rows; nothing imported"
w export workorders --format json
assert_eq "no work order was written" "0" "$(printf '%s' "$OUT" | jq length)"

# ---- --dry-run writes nothing
w import workorders "$D/bad_workorders.csv" --dry-run
check_rc "dry run with bad rows" 1
printf 'number,title,asset\nWO-7,Fine,P-1\n' >"$TMP/good_wo.csv"
w import workorders "$TMP/good_wo.csv" --dry-run
check_rc "dry run" 0
assert_contains "dry run counts" "$OUT" "1 inserted"
assert_contains "dry run says so" "$OUT" "dry run"
w export workorders --format json
assert_eq "dry run wrote nothing" "0" "$(printf '%s' "$OUT" | jq length)"

# ---- --skip-bad: good rows in, bad rows to a rejects file with a reason
w import workorders "$D/bad_workorders.csv" --skip-bad "$TMP/rejects.csv"
check_rc "skip-bad exits 1 when rows were rejected" 1
assert_contains "skip-bad counts" "$OUT" "2 inserted"
R=$(cat "$TMP/rejects.csv")
assert_eq "rejects header" "number,title,type,status,priority,asset,due,description,reason" \
	"$(head -1 "$TMP/rejects.csv")"
assert_contains "rejected row kept as written" "$R" "WO-2,Bad asset,corrective,open,high,NOPE,2021-01-01,,no asset with tag 'NOPE'"
assert_contains "rejected multi-line row kept" "$R" 'WO-4,"Bad
enum",corrective,broken'
assert_not_contains "good rows not in rejects" "$R" "WO-5"
w export workorders --format json
assert_eq "good rows imported" "WO-1 WO-5" "$(printf '%s' "$OUT" | jq -r '[.[].number] | join(" ")')"

# ---- Atlas CMMS templates and ';' files
DB="$TMP/atlas.db"
for e in locations assets pms workorders; do
	w import "$e" "$D/atlas_$e.csv"
	check_rc "import Atlas $e" 0
done
w export assets
assert_contains "Atlas: Barcode is the tag, names resolve" "$OUT" "BLR-001,Boiler 1,Main boiler,Boilers,,2,"
assert_contains "Atlas: parent by name, MODERNIZATION is down" "$OUT" "11,Burner,Burner unit,Burners,BLR-001,2,3,down"
assert_contains "Atlas: archived is retired" "$OUT" "12,Old pump,,Pumps,,,3,retired"
w export pms
assert_contains "Atlas: YEARLY is 12 months" "$OUT" "7,Boiler inspection,BLR-001,calendar,12,month,no"
printf 'tag\nP-1\n' >"$TMP/p1.csv"
w import assets "$TMP/p1.csv"
printf 'asset,name,kind\nP-1,hours,runhours\n' >"$TMP/m.csv"
w import meters "$TMP/m.csv"
w import readings "$D/semicolon_readings.csv"
check_rc "01/02/2021: day and month unknown" 1
assert_contains "the hint names --date-order" "$ERR" "pass --date-order dmy (day first"
w import --date-order mdy readings "$D/semicolon_readings.csv"
check_rc "import a ';' file with decimal commas" 0
w export readings
assert_contains "decimal comma read" "$OUT" "P-1,hours,2021-01-03 10:00:00,12.25,"
assert_contains "month first as asked" "$OUT" "P-1,hours,2021-01-02,1.5,"

# ---- the Azure example script
AZ="$WRENCH_SRC/tests/data/azure-pdm"
if [ -r "$AZ/PdM_maint.csv" ]; then
	run env WRENCH="$WRENCH" bash "$WRENCH_SRC/assets/examples/azure-pdm/import.sh" "$AZ" "$TMP/azure.db"
	check_rc "azure import" 0
	assert_contains "azure assets" "$OUT" "500 rows: 500 inserted"
	DB="$TMP/azure.db"
	w export history
	assert_eq "azure failures" "761" "$(printf '%s\n' "$OUT" | grep -c ',failure,')"
	assert_eq "azure replacements" "2543" "$(printf '%s\n' "$OUT" | grep -c ',replacement,')"
	assert_contains "a failure is coded with its component" "$OUT" "M001-comp4,2020-01-05 06:00:00,failure,comp4,"
	w export assets
	assert_contains "machine install date from its age" "$OUT" "M001,Machine 1,,model3,,,3,operational,2002-01-01,"
	assert_contains "component under its machine" "$OUT" "M001-comp1,Machine 1 component 1,,comp1,M001,"
	run env WRENCH="$WRENCH" bash "$WRENCH_SRC/assets/examples/azure-pdm/import.sh" "$AZ" "$TMP/azure.db"
	assert_contains "azure re-import changes nothing" "$OUT" "3304 rows: 0 inserted, 0 updated, 3304 unchanged"
fi
run env WRENCH="$WRENCH" bash "$WRENCH_SRC/assets/examples/azure-pdm/import.sh" "$TMP/nowhere" "$TMP/az2.db"
check_rc "azure script: missing data folder" 1
assert_contains "azure script names the folder" "$ERR" "$TMP/nowhere"
run env WRENCH="$WRENCH" bash "$WRENCH_SRC/assets/examples/azure-pdm/import.sh"
check_rc "azure script: usage" 2

# ---- the example files import in order
DB="$TMP/examples.db"
for e in locations assets meters readings pms history workorders; do
	w import "$e" "$WRENCH_SRC/assets/examples/$e.csv"
	check_rc "example $e.csv imports" 0
done

finish
