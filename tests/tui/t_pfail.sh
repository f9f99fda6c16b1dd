#!/usr/bin/env bash
# One p_fail: the asset card (on the asset screen and beside the list at
# desk size) and Home's risk list show the numbers of `wrench rank`, the
# whole plant's model.  The assets checked are those where a ranking of the
# asset's class alone says something else (the card used to fit the class
# alone and disagreed with the ranking), and the riskiest one.
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }

pct() { awk -v p="$1" 'BEGIN { printf "%.1f%%", 100 * p }'; }

w rank --format csv >"$T_DIR/rank.csv" || { echo "wrench rank failed"; echo "0 passed, 1 failed"; exit 1; }
# Columns: rank,asset,class,p_fail,...
for cls in $(tail -n +2 "$T_DIR/rank.csv" | cut -d, -f3 | LC_ALL=C sort -u); do
	w rank --class "$cls" --format csv | tail -n +2
done >"$T_DIR/byclass.csv"
# The three assets whose class-only p_fail, as the card prints it, is
# furthest from the plant's.
picked=$(awk -F, 'NR == FNR { p[$2] = $4; next }
	($2 in p) { a = sprintf("%.1f", 100 * p[$2]); b = sprintf("%.1f", 100 * $4)
	            d = a - b; if (d < 0) d = -d; if (d > 0) print d, $2 }' \
	"$T_DIR/rank.csv" "$T_DIR/byclass.csv" | LC_ALL=C sort -k1,1gr -k2,2 | head -3 | cut -d' ' -f2)
top=$(awk -F, 'NR == 2 { print $2 }' "$T_DIR/rank.csv")
top_home=$(awk -F, 'NR == 2 { printf "%3.0f%% %s", 100 * $4, $2 }' "$T_DIR/rank.csv")
[ "$(printf '%s\n' "$picked" | grep -c .)" -eq 3 ] ||
	{ echo "no asset whose class-only ranking differs"; echo "0 passed, 1 failed"; exit 1; }

start 80 24
wait_for "My open work"
expect "$top_home" "80x24: Home's riskiest asset and its p_fail are rank's ($top_home)"
for t in $(printf '%s\n' $top $picked | awk '!seen[$0]++'); do
	p=$(pct "$(awk -F, -v t="$t" '$2 == t { print $4 }' "$T_DIR/rank.csv")")
	q=$(pct "$(awk -F, -v t="$t" '$2 == t { print $4 }' "$T_DIR/byclass.csv")")
	scan "$t"
	expect "Asset $t" "80x24: scanning $t opens it"
	expect "P(fail within 30d) $p" "80x24: $t's card says $p, as rank (its class alone: $q)"
	keys q
	wait_for "My open work"
done

# The card's ranking is kept while the database stays the same: a failure
# recorded by another program (yesterday: the ranking counts the days
# before today) is on the card the next time it is opened.
p_before=$(pct "$(awk -F, -v t="$top" '$2 == t { print $4 }' "$T_DIR/rank.csv")")
printf 'asset,date,event,code,notes\n%s,%s,failure,,\n' "$top" "$(date -u -d "$WRENCH_TODAY - 1 day" +%F)" >"$T_DIR/fail.csv"
w import history "$T_DIR/fail.csv" >/dev/null 2>&1
# The whole plant's model moved with it: the checks below read the new ranking.
w rank --format csv >"$T_DIR/rank.csv"
p_after=$(pct "$(awk -F, -v t="$top" '$2 == t { print $4 }' "$T_DIR/rank.csv")")
check "a failure today changes $top's p_fail ($p_before -> $p_after)" [ "$p_before" != "$p_after" ]
scan "$top"
expect "Asset $top" "80x24: scanning $top again opens it"
expect "P(fail within 30d) $p_after" "80x24: its card has the failure recorded meanwhile ($p_after)"
keys q
wait_for "My open work"
keys Q
expect "EXITED 0" "80x24: Q quits"

# Desk: the card beside the list, for the asset that differs most.
first=$(printf '%s\n' "$picked" | head -1)
p=$(pct "$(awk -F, -v t="$first" '$2 == t { print $4 }' "$T_DIR/rank.csv")")
start 120 40
wait_for "My open work"
keys 3
keys /
keys "$first"
keys Enter
expect "P(fail within 30d) $p" "120x40: the card beside the list says $p for $first"
keys Q
expect "EXITED 0" "120x40: Q quits"
finish
