# rank_csv.sh - a long ranking in CSV (4,096 rows or more, not to a
# terminal) is written in two halves, the second formatted on a thread of
# its own: the rows must come out whole and in ranking order all the same,
# as the JSON ranking (written row by row) has them, and a ranking cut by
# --top must be the first rows of the whole one wherever either splits.
. "$(dirname "$0")/lib.sh"

export WRENCH_TODAY=2026-03-02

# 5,000 assets in two classes, each with one to four failures at dates
# that differ from asset to asset, so that p_fail differs too.
awk 'BEGIN {
	print "tag,name,class,install_date"
	for (i = 1; i <= 5000; i++)
		printf "A%04d,Asset %d,%s,2022-01-01\n", i, i, i % 3 ? "pump" : "fan"
}' >"$TMP/assets.csv"
awk 'BEGIN {
	print "asset,date,event,code,notes"
	for (i = 1; i <= 5000; i++)
		for (k = 1; k <= 1 + i % 4; k++)
			printf "A%04d,%04d-%02d-%02d,failure,,Tripped\n", i, 2022 + k, 1 + (i * 7 + k) % 12,
				1 + (i * 13 + k * 5) % 28
}' >"$TMP/history.csv"
w import assets "$TMP/assets.csv"
check_rc "import assets" 0
w import history "$TMP/history.csv"
check_rc "import history" 0

w rank --format csv
check_rc "rank csv" 0
csv=$OUT
assert_eq "a header and 5,000 rows" 5001 "$(printf '%s\n' "$csv" | wc -l)"
assert_eq "every row has its 26 cells" 5001 \
	"$(printf '%s\n' "$csv" | awk -F, 'NF == 26' | wc -l)"

w rank --format json
check_rc "rank json" 0
assert_eq "CSV rows in the JSON ranking's order" \
	"$(printf '%s' "$OUT" | jq -r '.[] | "\(.rank),\(.asset)"' | md5sum)" \
	"$(printf '%s\n' "$csv" | tail -n +2 | cut -d, -f1,2 | md5sum)"

for top in 100 4096 4999; do
	w rank --format csv --top "$top"
	check_rc "rank csv --top $top" 0
	assert_eq "--top $top: the whole ranking's first rows" \
		"$(printf '%s\n' "$csv" | head -n $((top + 1)) | md5sum)" \
		"$(printf '%s\n' "$OUT" | md5sum)"
done

finish
