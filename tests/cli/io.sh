# io.sh - import and export through the CLI, and the asset commands on the
# imported data: bad rows, dry runs, rejects files, idempotent re-imports,
# atomic exports, round trips.
. "$(dirname "$0")/lib.sh"

export WRENCH_TODAY=2024-06-01

cat >"$TMP/locations.csv" <<'EOF'
code,name,kind,parent
S1,Main site,site,
S1-A,Area A,area,S1
EOF
cat >"$TMP/assets.csv" <<'EOF'
tag,name,class,location,parent,criticality,install_date,serial,manufacturer,model
PMP-1,Cooling pump,pump,S1-A,,4,2020-03-01,SN-001,KSB,Etanorm
MTR-1,Cooling pump motor,motor,S1-A,PMP-1,3,2020-03-01,SN-002,ABB,M3BP
FAN-1,Exhaust fan,fan,S1-A,,2,2021-07-15,SN-003,ebm,R3G
EOF
cat >"$TMP/bad_assets.csv" <<'EOF'
tag,name,class,criticality
OK-1,Fine,pump,3
BAD-1,Too critical,pump,9
OK-2,Also fine,fan,2
EOF

# ---- import needs a file that exists
w import assets "$TMP/missing.csv"
check_rc "import of a missing file" 1
assert_contains "missing file named" "$ERR" "missing.csv"

w import locations "$TMP/locations.csv"
check_rc "import locations" 0
assert_contains "summary counts inserted" "$OUT" "2 inserted"
w import assets "$TMP/assets.csv"
check_rc "import assets" 0
assert_contains "assets summary" "$OUT" "3 rows: 3 inserted"
w import assets "$TMP/assets.csv"
check_rc "re-import" 0
assert_contains "re-import changes nothing" "$OUT" "3 unchanged"

# ---- a bad row: FILE:LINE: reason on stderr, exit 1, nothing written
w import assets "$TMP/bad_assets.csv"
check_rc "import with a bad row" 1
assert_contains "bad row reported with file and line" "$ERR" "$TMP/bad_assets.csv:3:"
w asset list --format csv
assert_eq "nothing from the bad file was written" "3" "$(csv_rows "$OUT")"

# ---- dry run: checks and counts, writes nothing
cat >"$TMP/more.csv" <<'EOF'
tag,name,class
NEW-1,New thing,valve
EOF
w import assets "$TMP/more.csv" --dry-run
check_rc "dry run" 0
assert_contains "dry run says so" "$OUT" "dry run"
w asset list --format csv
assert_eq "dry run wrote nothing" "3" "$(csv_rows "$OUT")"

# ---- --skip-bad: the good rows go in, the bad ones to the rejects file
w import assets "$TMP/bad_assets.csv" --skip-bad "$TMP/rejects.csv"
check_rc "skip-bad still exits 1 when rows were rejected" 1
assert_contains "skip-bad names the rejects file" "$ERR" "rejects.csv"
w asset list --format csv
assert_eq "good rows imported" "5" "$(csv_rows "$OUT")"
[ -f "$TMP/rejects.csv" ] && pass || fail "no rejects file"
assert_contains "rejects file has the bad row" "$(cat "$TMP/rejects.csv" 2>/dev/null)" "BAD-1"

# ---- asset list and show
w asset list
check_rc "asset list" 0
assert_contains "asset list table" "$OUT" "Cooling pump motor"
w asset list --search pump --format json
check_rc "asset list json" 0
assert_json "asset list json parses" "$OUT"
assert_eq "search matches name" "3" "$(printf '%s' "$OUT" | jq length)"
assert_eq "criticality is a number" "4" "$(printf '%s' "$OUT" | jq '.[] | select(.tag=="PMP-1") | .criticality')"
assert_eq "parent kept" "PMP-1" "$(printf '%s' "$OUT" | jq -r '.[] | select(.tag=="MTR-1") | .parent')"
w asset show PMP-1
check_rc "asset show" 0
assert_contains "show has the serial" "$OUT" "SN-001"
assert_contains "show lists children" "$OUT" "MTR-1"
assert_contains "show has the install date" "$OUT" "2020-03-01"
w asset show NOPE
check_rc "asset show unknown tag" 1
w asset list --format yaml
check_rc "asset list bad format" 2

# ---- export: stdout, json, and -o written atomically
w export assets
check_rc "export to stdout" 0
assert_contains "export has the header" "$OUT" "tag"
"$WRENCH" --db "$DB" export assets >"$TMP/stdout_export.csv"
w export assets -o "$TMP/out.csv"
check_rc "export -o" 0
assert_eq "export -o writes nothing on stdout" "" "$OUT"
cmp -s "$TMP/out.csv" "$TMP/stdout_export.csv" && pass ||
	fail "export -o differs from export to stdout"
printf 'old content\n' >"$TMP/replace.csv"
w export assets --output "$TMP/replace.csv"
check_rc "export over an existing file" 0
cmp -s "$TMP/replace.csv" "$TMP/stdout_export.csv" && pass || fail "existing file not replaced"
w export assets --format json
check_rc "export json" 0
assert_json "export json parses" "$OUT"
w export assets -o "$TMP/no/such/dir/out.csv"
check_rc "export into a missing folder" 1
[ -z "$(ls "$TMP" | grep 'tmp-')" ] && pass || fail "a temporary file was left behind"
w export assets --format xml
check_rc "export bad format" 2
w export gizmos
check_rc "export unknown entity" 2

# ---- round trip: export -> import into an empty database -> same bytes
run "$WRENCH" --db "$TMP/copy.db" import locations "$TMP/locations.csv"
check_rc "import locations into the copy" 0
run "$WRENCH" --db "$TMP/copy.db" import assets "$TMP/out.csv"
check_rc "import the export" 0
run "$WRENCH" --db "$TMP/copy.db" export assets -o "$TMP/copy.csv"
check_rc "export the copy" 0
cmp -s "$TMP/copy.csv" "$TMP/out.csv" && pass || fail "export -> import -> export changed bytes"

finish
