#!/usr/bin/env bash
# plants.sh WRENCH PLANTSIM DIR: the ranking on simulated plants whose truth
# is known (bench/plantsim.c says how they are drawn).  For each variant
# and seed: simulate, import with wrench, `wrench backtest --truth` over
# twelve monthly cutoffs, and `wrench rank` at the last cutoff for the
# fitted class shapes.  Prints, per plant, the mean AUC and Brier of the
# model, of the best baseline and of the oracle (the true model), how far
# the model's AUC got from the best baseline to the oracle, failures
# predicted over observed (all, and deteriorating assets), each renewal
# class's true -> fitted beta and how many classes each model gave p_fail
# (at the last cutoff); then the means per variant.  Beneath each plant and
# each variant, the Bayes bound: a second backtest whose oracle is
# truth_bayes.csv, the truth averaged over what the history cannot tell (each
# unit's own scale) -- the most a predictor using only the history can get on
# average; its AUC and Brier, and its share of the way from the best
# baseline to the oracle beside the model's.
#
# PLANTS_SEEDS (default "1 2 3") and PLANTS_VARIANTS (default
# "base none strong deteriorating small") choose the plants; small is the
# base variant with 200 assets, the others have 2000.  PLANTS_OPTS are
# model options for backtest and rank (e.g. --renewal-only).
set -euo pipefail
W=$1
SIM=$2
dir=$3
seeds=${PLANTS_SEEDS:-"1 2 3"}
variants=${PLANTS_VARIANTS:-"base none strong deteriorating small"}
opts=${PLANTS_OPTS:-}
mkdir -p "$dir"
summary="$dir/summary.txt"
: >"$summary"

printf '%-13s %4s %5s | %-23s %4s | %-22s | %-9s | %s\n' variant seed n \
	"AUC model/base/oracle" "gap" "Brier model/base/oracle" "pred/obs" \
	"renewal classes: true beta -> fitted"
printf '%-13s %4s %5s | %-23s %4s | %-22s | %-9s |\n' "" "" "" "" "" "" "all,det"
for variant in $variants; do
	n=2000 kind=$variant
	if [ "$variant" = small ]; then n=200 kind=base; fi
	for seed in $seeds; do
		d="$dir/$variant-$seed"
		rm -rf "$d"
		mkdir -p "$d"
		range=$("$SIM" "$d" "$n" "$seed" "$kind" 2>/dev/null)
		db="$d/plant.db"
		"$W" --db "$db" init >/dev/null
		"$W" --db "$db" import assets "$d/assets.csv" >/dev/null
		"$W" --db "$db" import history "$d/history.csv" >/dev/null
		# shellcheck disable=SC2086 # the range and the options are several words
		"$W" --db "$db" backtest $range $opts --truth "$d/truth.csv" --format json \
			>"$d/backtest.json"
		# The same backtest scored against the Bayes bound (its oracle).
		# shellcheck disable=SC2086
		"$W" --db "$db" backtest $range $opts --truth "$d/truth_bayes.csv" --format json \
			>"$d/backtest_bayes.json"
		# shellcheck disable=SC2086
		"$W" --db "$db" rank --at 2024-12-01 $opts --format json >"$d/rank.json"
		betas=$(jq -r --slurpfile r "$d/rank.json" -R -s '
			($r[0] | group_by(.class) | map({key: .[0].class, value: .[0].beta}) | from_entries)
				as $fit
			| split("\n")[1:] | map(select(length > 0) | split(","))
			| map(select(.[1] == "renewal") | "\(.[2] | tonumber * 100 | round / 100)->\($fit[.[0]] * 100 | round / 100)")
			| join(" ")' "$d/classes.csv")
		worst=$(jq -r --slurpfile r "$d/rank.json" -R -s '
			($r[0] | group_by(.class) | map({key: .[0].class, value: .[0].beta}) | from_entries)
				as $fit
			| split("\n")[1:] | map(select(length > 0) | split(","))
			| map(select(.[1] == "renewal") | {t: (.[2] | tonumber), f: $fit[.[0]]})
			| max_by(.t) | "\(.t) \(.f)"' "$d/classes.csv")
		# The model that gave each class's p_fail, counted (rank's `model`).
		models=$(jq -r 'group_by(.class) | map(.[0].model // "-") | group_by(.)
			| map("\(.[0]) \(length)") | join(", ")' "$d/rank.json")
		betas="$betas; models: $models"
		jq -r --arg v "$variant" --arg s "$seed" --arg n "$n" --arg betas "$betas" \
			--arg worst "$worst" --slurpfile bb "$d/backtest_bayes.json" '
			.mean.auc as $a | .mean.brier as $b
			| ([$a | to_entries[] | select(.key != "model" and .key != "oracle") | .value] | max)
				as $base
			| ([$b | to_entries[] | select(.key != "model" and .key != "oracle") | .value] | min)
				as $bbase
			| ((.groups.deteriorating // {}) as $g
			   | if ($g.observed // 0) > 0 then $g.predicted.model / $g.observed else null end)
				as $det
			| "\($v) \($s) \($n) \($a.model) \($base) \($a.oracle) \($b.model) \($bbase) \($b.oracle) \(.calibration.model.ratio) \(.calibration.oracle.ratio) \($det // "nan") \($worst) \($a.age) \($a.count) \($a.mtbf) \($b.mtbf) \($b.climatology) \($bb[0].mean.auc.oracle) \($bb[0].mean.brier.oracle) | \($betas)"' \
			"$d/backtest.json" >>"$summary"
		tail -1 "$summary" | awk '{
			gap = ($6 - $5) > 0 ? 100 * ($4 - $5) / ($6 - $5) : 0
			rest = $0; sub(/^[^|]*\| /, "", rest)
			printf "%-13s %4s %5s | %.3f/%.3f/%.3f     %3.0f%% | %.4f/%.4f/%.4f | %.2f,%-4s | %s\n",
				$1, $2, $3, $4, $5, $6, gap, $7, $8, $9, $10,
				($12 == "nan" ? "-" : sprintf("%.2f", $12)), rest
			bgap = ($6 - $5) > 0 ? 100 * ($20 - $5) / ($6 - $5) : 0
			printf "%-13s %4s %5s   Bayes bound: AUC %.3f, %3.0f%% of the way (model %.0f%%), Brier %.4f\n",
				"", "", "", $20, bgap, gap, $21 }'
	done
done

echo
echo "means per variant (AUC gap: share of the way from the best baseline to the oracle;"
echo "beta: the steepest renewal class, fitted / true):"
awk '{
	v = $1; n[v]++; gap = ($6 - $5) > 0 ? ($4 - $5) / ($6 - $5) : 0
	am[v] += $4; ab[v] += $5; ao[v] += $6; g[v] += gap; bm[v] += $7; bo[v] += $9
	r[v] += $10; ro[v] += $11; if ($12 != "nan") { d[v] += $12; nd[v]++ }
	bt[v] += $13; bf[v] += $14; if (!(v in order)) { order[v] = ++k; name[k] = v }
	ag[v] += $15; co[v] += $16; mt[v] += $17; bmt[v] += $18; bcl[v] += $19
	ya[v] += $20; yb[v] += $21; yg[v] += ($6 - $5) > 0 ? ($20 - $5) / ($6 - $5) : 0
} END {
	for (i = 1; i <= k; i++) {
		v = name[i]
		printf "  %-13s AUC %.3f / base %.3f / oracle %.3f (%.0f%% of the way), Brier %.4f / oracle %.4f, pred/obs %.2f (oracle %.2f), deteriorating %s, beta %.2f of %.2f (%.0f%%)\n",
			v, am[v] / n[v], ab[v] / n[v], ao[v] / n[v], 100 * g[v] / n[v], bm[v] / n[v],
			bo[v] / n[v], r[v] / n[v], ro[v] / n[v], nd[v] ? sprintf("%.2f", d[v] / nd[v]) : "-",
			bf[v] / n[v], bt[v] / n[v], 100 * bf[v] / bt[v]
		printf "  %-13s baselines: AUC age %.3f, failure count %.3f, naive MTBF %.3f, climatology 0.5; Brier naive MTBF %.4f, climatology %.4f\n",
			"", ag[v] / n[v], co[v] / n[v], mt[v] / n[v], bmt[v] / n[v], bcl[v] / n[v]
		printf "  %-13s Bayes bound (the most from the history alone): AUC %.3f (%.0f%% of the way; model %.0f%%), Brier %.4f (model %.4f, oracle %.4f)\n",
			"", ya[v] / n[v], 100 * yg[v] / n[v], 100 * g[v] / n[v], yb[v] / n[v], bm[v] / n[v], bo[v] / n[v]
	}
}' "$summary"
