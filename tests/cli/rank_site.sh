# rank_site.sh - `wrench rank --site` and `backtest --site` on a plant of
# two sites: the ranking holds the assets of the sites named (and of the
# locations below them) and no other, and an unknown site is refused with
# its code named, not answered with an empty ranking.
. "$(dirname "$0")/lib.sh"

export WRENCH_TODAY=2026-03-02

# North has its pumps in a hall below the site; South has pumps and a fan
# at the site itself.
cat >"$TMP/locations.csv" <<'EOF'
code,name,kind,parent
NORTH,North works,site,
N-HALL,North hall,area,NORTH
SOUTH,South works,site,
EOF
cat >"$TMP/assets.csv" <<'EOF'
tag,name,class,install_date,location
P-N1,Pump N1,pump,2023-01-01,N-HALL
P-N2,Pump N2,pump,2023-01-01,N-HALL
P-N3,Pump N3,pump,2023-01-01,N-HALL
P-S1,Pump S1,pump,2023-01-01,SOUTH
P-S2,Pump S2,pump,2023-01-01,SOUTH
P-S3,Pump S3,pump,2023-01-01,SOUTH
F-S1,Fan S1,fan,2023-01-01,SOUTH
EOF
{
	echo "asset,date,event,code,notes"
	for a in P-N1 P-N2 P-N3 P-S1 P-S2 P-S3 F-S1; do
		for d in 2023-06-11 2024-02-17 2024-09-03 2025-04-22 2025-11-30; do
			echo "$a,$d,failure,,Tripped"
		done
	done
	echo "P-N2,2025-12-20,failure,,Tripped"
	echo "P-S3,2026-01-14,failure,,Tripped"
} >"$TMP/history.csv"
w import locations "$TMP/locations.csv"
check_rc "import locations" 0
w import assets "$TMP/assets.csv"
check_rc "import assets" 0
w import history "$TMP/history.csv"
check_rc "import history" 0

# tags ARGS...: the tags `rank ARGS` ranks, sorted, on one line.
tags() {
	w rank "$@" --format json
	check_rc "rank $*" 0
	printf '%s' "$OUT" | jq -r '[.[].asset] | sort | join(" ")'
}

assert_eq "the whole plant" "F-S1 P-N1 P-N2 P-N3 P-S1 P-S2 P-S3" "$(tags)"
assert_eq "North: its hall's pumps, below the site" "P-N1 P-N2 P-N3" "$(tags --site NORTH)"
assert_eq "South: the assets at the site" "F-S1 P-S1 P-S2 P-S3" "$(tags --site SOUTH)"
assert_eq "a location below a site" "P-N1 P-N2 P-N3" "$(tags --site N-HALL)"
assert_eq "two sites" "F-S1 P-N1 P-N2 P-N3 P-S1 P-S2 P-S3" "$(tags --site NORTH,SOUTH)"
assert_eq "a site and a class" "P-S1 P-S2 P-S3" "$(tags --site SOUTH --class pump)"

# The table and CSV hold the same rows.
w rank --site NORTH --format csv
check_rc "rank --site csv" 0
assert_eq "csv: three rows" 3 "$(csv_rows "$OUT")"
assert_not_contains "csv: no South asset" "$OUT" "P-S"

# An unknown site, alone or in a list, is an error that names it.
for s in NOPE NORTH,NOPE; do
	w rank --site "$s"
	check_rc "rank --site $s is refused" 1
	assert_contains "rank --site $s names the code" "$ERR" "no site or location with code NOPE"
	assert_eq "rank --site $s prints no ranking" "" "$OUT"
done
w rank --site NORTH,,SOUTH
check_rc "an empty code in the list is refused" 1
assert_contains "it says how to write the list" "$ERR" "separate location codes by single commas"

# backtest reads the same history: North's three pumps are all it scores.
w backtest --from 2025-01-01 --to 2025-12-31 --site NORTH
check_rc "backtest --site" 0
SCORED=$(printf '%s\n' "$OUT" | awk '$1 ~ /^20[0-9][0-9]-/ { print $2 }' | sort -u | tr '\n' ' ')
assert_eq "backtest --site: every cutoff scores North's three pumps" "3 " "$SCORED"
w backtest --from 2025-01-01 --to 2025-12-31 --site NOPE
check_rc "backtest --site NOPE is refused" 1
assert_contains "backtest names the code" "$ERR" "no site or location with code NOPE"

finish
