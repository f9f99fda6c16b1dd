#!/usr/bin/env bash
# The ranking's acceptance test on real history: the public Azure
# predictive-maintenance data (a copy under tests/data/azure-pdm), loaded
# with assets/examples/azure-pdm/import.sh, components as units, monthly
# cutoffs 2020-03-01 .. 2020-12-01, 30-day horizon.  The model must beat
# every baseline on mean AUC (target 0.78) and have a Brier score below
# climatology.
. "$(dirname "$0")/lib.sh"

run env WRENCH="$WRENCH" bash "$WRENCH_SRC/assets/examples/azure-pdm/import.sh" \
	"$WRENCH_SRC/tests/data/azure-pdm" "$DB"
check_rc "import.sh loads the Azure data" 0
w asset list --format csv
assert_eq "500 assets: 100 machines and 400 components" 501 "$(printf '%s\n' "$OUT" | wc -l)"

# Components as units; the data's pre-2020 rows only give each component's
# starting state, so history is complete from 2020-01-01.
w backtest --from 2020-03-01 --to 2020-12-01 --every 1mo --horizon 30d \
	--class comp1,comp2,comp3,comp4 --history-from 2020-01-01 --format json
check_rc "backtest runs" 0
assert_json "backtest prints JSON" "$OUT"
assert_eq "ten monthly cutoffs" 10 "$(jq '.cutoffs | length' <<<"$OUT")"
assert_eq "400 components scored at each cutoff" 400 "$(jq '[.cutoffs[].scored] | unique | .[0]' <<<"$OUT")"
for base in age count mtbf; do
	assert_eq "model beats the $base baseline on mean AUC" true \
		"$(jq ".mean.auc.model > .mean.auc.$base" <<<"$OUT")"
done
assert_eq "mean AUC reaches 0.78" true "$(jq '.mean.auc.model >= 0.78' <<<"$OUT")"
assert_eq "Brier score below climatology" true \
	"$(jq '.mean.brier.model < .mean.brier.climatology' <<<"$OUT")"
echo "azure backtest: $(jq -c '.mean' <<<"$OUT")"

# Ranking on the same data: JSON carries the documented keys, sorted by p_fail.
w rank --at 2021-01-01 --class comp1,comp2,comp3,comp4 --history-from 2020-01-01 --top 10 --format json
check_rc "rank runs" 0
assert_eq "ten rows" 10 "$(jq 'length' <<<"$OUT")"
assert_eq "rows have asset, p_fail, beta, eta, age" true \
	"$(jq 'all(.[]; has("asset") and has("p_fail") and has("beta") and has("eta") and has("age"))' <<<"$OUT")"
assert_eq "sorted by p_fail, highest first" true \
	"$(jq '[.[].p_fail] as $p | $p == ($p | sort | reverse)' <<<"$OUT")"
# WeiBayes: a shape fixed by the user for one class is used as given, and
# only that class's method changes.
w rank --at 2021-01-01 --class comp1,comp2 --history-from 2020-01-01 --beta comp1=2.5 --format json
check_rc "rank with a fixed shape runs" 0
assert_eq "comp1 rows use the fixed shape" true \
	"$(jq '[.[] | select(.class == "comp1") | .beta == 2.5] | all' <<<"$OUT")"
assert_eq "comp1 rows say the shape was fixed" true \
	"$(jq '[.[] | select(.class == "comp1") | .method | test("fixed")] | all' <<<"$OUT")"
assert_eq "comp2 rows keep their fitted shape" true \
	"$(jq '[.[] | select(.class == "comp2") | .beta != 2.5 and (.method | test("fixed") | not)] | all' <<<"$OUT")"
w rank --beta comp1=fast
check_rc "a shape that is not a number is a usage error" 2
assert_contains "the message names the class" "$ERR" "--beta comp1"
w rank --beta comp1
check_rc "a class without a shape is a usage error" 2
finish
