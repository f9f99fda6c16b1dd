#!/usr/bin/env bash
# The failure-risk ranking: the same assets and order as `wrench rank`,
# re-sorted by other columns (s) and reversed (r), columns fitted to the
# width, and Enter opening the asset with the row's numbers on its card.
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }

selected() { screen | grep '^>' | grep -qF -- "$1"; }
expect_sel() {
	if retry selected "$1"; then pass "$2"; else fail "$2 (the selected row is not '$1')"; fi
}

w rank --format csv >"$T_DIR/rank.csv" || { echo "wrench rank failed"; echo "0 passed, 1 failed"; exit 1; }
ranked=$(tail -n +2 "$T_DIR/rank.csv" | wc -l)
# Columns: rank,asset,class,p_fail,expected_failures,age,beta,...
top=$(awk -F, 'NR == 2 { print $2 }' "$T_DIR/rank.csv")
top_p=$(awk -F, 'NR == 2 { printf "%.1f", 100 * $4 }' "$T_DIR/rank.csv")
second=$(awk -F, 'NR == 3 { print $2 }' "$T_DIR/rank.csv")
first_tag=$(tail -n +2 "$T_DIR/rank.csv" | cut -d, -f2 | LC_ALL=C sort | head -1)
last_tag=$(tail -n +2 "$T_DIR/rank.csv" | cut -d, -f2 | LC_ALL=C sort | tail -1)
oldest=$(tail -n +2 "$T_DIR/rank.csv" | LC_ALL=C sort -t, -k6,6gr -k2,2 | head -1 | cut -d, -f2)
oldest_p=$(awk -F, -v t="$oldest" '$2 == t { printf "%.1f%%", 100 * $4 }' "$T_DIR/rank.csv")

for size in "80 24" "40 16"; do
	set -- $size
	tag="$1x$2"
	start "$1" "$2"
	wait_for "My open work"
	keys 5
	expect "Failure risk, $ranked assets" "$tag: 5 ranks every asset wrench rank ranks ($ranked)"
	expect_sel "$top" "$tag: the riskiest ($top) comes first"
	expect_sel "$top_p" "$tag: with its probability ($top_p%)"
	keys j
	expect_sel "$second" "$tag: then $second, as in wrench rank"
	if [ "$1" -ge 60 ]; then
		expect "MTBF" "$tag: the wide table has the MTBF column"
		expect "class" "$tag: and the class column"
	else
		expect "p%" "$tag: the narrow table has p%"
		expect_not "MTBF" "$tag: but no MTBF column"
		expect_not "class" "$tag: and no class column"
	fi

	# s: the next column (asset), r: reversed.
	keys s
	expect "asset A-Z" "$tag: s sorts by asset"
	expect_sel "$first_tag" "$tag: the first tag comes first ($first_tag)"
	keys r
	expect "asset Z-A" "$tag: r reverses"
	expect_sel "$last_tag" "$tag: the last tag comes first ($last_tag)"
	# Two more columns: class, then age (the oldest first).
	keys s
	expect "class A-Z" "$tag: s again sorts by class"
	keys s
	expect "age high-low" "$tag: then by age"
	expect_sel "$oldest" "$tag: the oldest asset comes first ($oldest)"

	# Enter: the asset, its card showing this ranking's numbers.
	keys Enter
	expect "Asset $oldest" "$tag: Enter opens the asset"
	expect "$oldest_p" "$tag: the card repeats the row's P(fail) ($oldest_p)"
	keys q
	expect "age high-low" "$tag: q returns to the ranking, still sorted"
	expect_sel "$oldest" "$tag: on the same row"
	keys Q
	expect "EXITED 0" "$tag: Q quits"
done
finish
