# demo.sh - the demo plant: size and shape, idempotence, determinism, and
# the prediction commands (rank, backtest) run on its history.
. "$(dirname "$0")/lib.sh"

export WRENCH_TODAY=2025-03-15

# ---- created at the default demo path, summary when not on a terminal
run "$WRENCH" demo
check_rc "demo" 0
[ -f "$XDG_DATA_HOME/wrench/demo.db" ] && pass || fail "demo.db not under XDG_DATA_HOME"
[ ! -e "$XDG_DATA_HOME/wrench/wrench.db" ] && pass || fail "demo touched the default database"
assert_contains "summary printed" "$OUT" "assets:"
assert_contains "creation reported on stderr" "$ERR" "demo plant created"
FIRST=$OUT
DEMO="$XDG_DATA_HOME/wrench/demo.db"

run "$WRENCH" --db "$DEMO" asset list --format json
check_rc "asset list on the demo" 0
NASSETS=$(printf '%s' "$OUT" | jq length)
[ "$NASSETS" -ge 200 ] && pass || fail "demo has $NASSETS assets, fewer than 200"
NCLASSES=$(printf '%s' "$OUT" | jq '[.[].class] | unique | length')
[ "$NCLASSES" -ge 10 ] && pass || fail "demo has only $NCLASSES classes"
assert_eq "child assets exist" "true" "$(printf '%s' "$OUT" | jq '[.[] | select(.parent != null)] | length > 50')"
RETIRED=$(printf '%s' "$OUT" | jq -r '[.[] | select(.status == "retired")][0].tag')
[ "$RETIRED" != "null" ] && pass || fail "no retired asset in the demo"
assert_eq "an asset down now" "true" "$(printf '%s' "$OUT" | jq 'any(.[]; .status == "down")')"

# ---- idempotent: a second run reuses the database
run "$WRENCH" demo --no-ui
check_rc "demo again" 0
assert_eq "second run changes nothing" "$FIRST" "$OUT"
assert_not_contains "second run does not rebuild" "$ERR" "created"

# ---- history and backlog
run "$WRENCH" --db "$DEMO" wo list --format json
J=$OUT
assert_eq "corrective failures in the history" "true" \
	"$(printf '%s' "$J" | jq '[.[] | select(.type == "corrective" and .status == "closed")] | length > 100')"
assert_eq "PM work in the history" "true" \
	"$(printf '%s' "$J" | jq '[.[] | select(.type == "preventive" and .status == "closed")] | length > 500')"
assert_eq "history spans two years" "true" \
	"$(printf '%s' "$J" | jq '[.[].created] | min < "2023-04-01"')"
for st in requested open in_progress on_hold; do
	assert_eq "backlog has $st work" "true" "$(printf '%s' "$J" | jq "any(.[]; .status == \"$st\")")"
done
run "$WRENCH" --db "$DEMO" wo list --overdue --format csv
[ "$(csv_rows "$OUT")" -ge 1 ] && pass || fail "no overdue work in the demo"
run "$WRENCH" --db "$DEMO" wo list --assignee demo --status active --format csv
[ "$(csv_rows "$OUT")" -ge 3 ] && pass || fail "too little work assigned to the demo user"
run "$WRENCH" --db "$DEMO" pm list --format json
assert_eq "calendar and meter PMs" '["calendar","meter"]' \
	"$(printf '%s' "$OUT" | jq -c '[.[].kind] | unique')"
assert_eq "fixed and floating PMs" '[null,"fixed","floating"]' \
	"$(printf '%s' "$OUT" | jq -c '[.[].mode] | unique')"
run "$WRENCH" --db "$DEMO" pm generate
check_rc "pm generate on the demo" 0
run "$WRENCH" --db "$DEMO" pm generate
assert_eq "pm generate twice creates nothing" "0 work orders created" "$OUT"
run "$WRENCH" --db "$DEMO" report pm-compliance --format json
PCT=$(printf '%s' "$OUT" | jq '.total.compliance_pct')
awk -v p="$PCT" 'BEGIN { exit !(p >= 70 && p <= 95) }' && pass ||
	fail "PM compliance $PCT% is not 'mostly on time'"
N=$(printf '%s' "$J" | jq -r '[.[] | select(.type == "corrective" and .status == "closed")][0].number')
run "$WRENCH" --db "$DEMO" wo show "$N" --format json
assert_eq "closed failures carry codes" "true" \
	"$(printf '%s' "$OUT" | jq '.problem != null and .cause != null and .remedy != null')"
assert_eq "closed failures carry a note" "true" "$(printf '%s' "$OUT" | jq '.notes | length >= 1')"
assert_eq "closed failures carry labour" "true" "$(printf '%s' "$OUT" | jq '.labor | length >= 1')"

# ---- deterministic: a fresh build on the same day has the same plant
run "$WRENCH" --db "$TMP/again.db" demo --no-ui
check_rc "second fresh demo" 0
"$WRENCH" --db "$DEMO" asset list --format csv >"$TMP/a1.csv"
"$WRENCH" --db "$TMP/again.db" asset list --format csv >"$TMP/a2.csv"
cmp -s "$TMP/a1.csv" "$TMP/a2.csv" && pass || fail "two builds gave different assets"
"$WRENCH" --db "$DEMO" report mttr --format csv >"$TMP/r1.csv"
"$WRENCH" --db "$TMP/again.db" report mttr --format csv >"$TMP/r2.csv"
cmp -s "$TMP/r1.csv" "$TMP/r2.csv" && pass || fail "two builds gave different repair history"

# ---- rank
run "$WRENCH" --db "$DEMO" rank --format json
check_rc "rank json" 0
assert_json "rank json parses" "$OUT"
R=$OUT
assert_eq "rank has the required keys" "true" \
	"$(printf '%s' "$R" | jq '.[0] | has("asset") and has("p_fail") and has("beta") and has("eta") and has("age")')"
assert_eq "ranked by falling p_fail" "true" \
	"$(printf '%s' "$R" | jq '[.[].p_fail] as $p | $p == ($p | sort | reverse)')"
assert_eq "probabilities in [0, 1]" "true" "$(printf '%s' "$R" | jq 'all(.[]; .p_fail >= 0 and .p_fail <= 1)')"
assert_eq "retired assets are not ranked" "0" \
	"$(printf '%s' "$R" | jq --arg t "$RETIRED" '[.[] | select(.asset == $t)] | length')"
TOP=$(printf '%s' "$R" | jq -r '.[0].asset')
P30=$(printf '%s' "$R" | jq '.[0].p_fail')
run "$WRENCH" --db "$DEMO" rank --top 5 --format json
assert_eq "--top" "5" "$(printf '%s' "$OUT" | jq length)"
run "$WRENCH" --db "$DEMO" rank --horizon 90d --format json
P90=$(printf '%s' "$OUT" | jq --arg t "$TOP" '.[] | select(.asset == $t) | .p_fail')
awk -v a="$P30" -v b="$P90" 'BEGIN { exit !(b > a) }' && pass ||
	fail "a longer horizon did not raise p_fail ($P30 -> $P90)"
run "$WRENCH" --db "$DEMO" rank --class gearbox --format json
check_rc "rank --class" 0
assert_eq "--class keeps one class" '["gearbox"]' "$(printf '%s' "$OUT" | jq -c '[.[].class] | unique')"
run "$WRENCH" --db "$DEMO" rank --class gearbox --at 2024-06-01 --format csv
check_rc "rank --at" 0
run "$WRENCH" --db "$DEMO" rank --codes LEAK,VIB --top 3 --format csv
check_rc "rank --codes" 0
assert_eq "rank csv rows" "3" "$(csv_rows "$OUT")"
run "$WRENCH" --db "$DEMO" rank --cost-planned 500 --cost-failure 5000 --class gearbox --format json
check_rc "rank with costs" 0
assert_eq "age-replacement advice for wear-out gearboxes" "true" \
	"$(printf '%s' "$OUT" | jq 'any(.[]; .replace_at != null)')"
run "$WRENCH" --db "$DEMO" rank --top 5
check_rc "rank table" 0
assert_contains "table lists classes" "$OUT" "classes (horizon 30 days)"
run "$WRENCH" --db "$DEMO" rank --horizon soon
check_rc "bad horizon" 2
run "$WRENCH" --db "$DEMO" rank --cost-planned 5
check_rc "one cost without the other" 2

# ---- backtest
run "$WRENCH" --db "$DEMO" backtest --from 2024-03-01 --to 2025-02-01 --every 1mo --horizon 30d --format json
check_rc "backtest json" 0
assert_json "backtest json parses" "$OUT"
B=$OUT
assert_eq "monthly cutoffs" "12" "$(printf '%s' "$B" | jq '.cutoffs | length')"
assert_eq "first cutoff" "2024-03-01" "$(printf '%s' "$B" | jq -r '.cutoffs[0].at')"
assert_eq "mean auc keys" '["age","climatology","count","model","mtbf"]' \
	"$(printf '%s' "$B" | jq -c '.mean.auc | keys')"
assert_eq "mean brier has model and climatology" "true" \
	"$(printf '%s' "$B" | jq '.mean.brier | has("model") and has("climatology")')"
assert_eq "precision at k reported" "true" "$(printf '%s' "$B" | jq '.mean.precision_at_k | has("model")')"
assert_eq "model AUC is a probability" "true" "$(printf '%s' "$B" | jq '.mean.auc.model >= 0 and .mean.auc.model <= 1')"
assert_eq "the model beats ranking by age" "true" "$(printf '%s' "$B" | jq '.mean.auc.model > .mean.auc.age')"
# Calibration: every asset at every cutoff, in ten deciles of p_fail.
assert_eq "calibration of the probability scorers" '["climatology","model","mtbf"]' \
	"$(printf '%s' "$B" | jq -c '.calibration | keys')"
assert_eq "ten deciles" "10" "$(printf '%s' "$B" | jq '.calibration.model.deciles | length')"
assert_eq "deciles hold every scored asset" "true" \
	"$(printf '%s' "$B" | jq '([.calibration.model.deciles[].n] | add) == ([.cutoffs[].scored] | add)')"
assert_eq "observed failures are the cutoffs' positives" "true" \
	"$(printf '%s' "$B" | jq '.calibration.model.observed == ([.cutoffs[].positives] | add)')"
assert_eq "predicted failures are the sums of p_fail" "true" \
	"$(printf '%s' "$B" | jq '(.calibration.model.predicted - ([.cutoffs[].predicted] | add)) | fabs < 1e-6')"
assert_eq "deciles by rising p_fail" "true" \
	"$(printf '%s' "$B" | jq '[.calibration.model.deciles[].p_lo] as $p | $p == ($p | sort)')"
assert_eq "the model is calibrated on the demo plant (0.8 to 1.25)" "true" \
	"$(printf '%s' "$B" | jq '.calibration.model.ratio >= 0.8 and .calibration.model.ratio <= 1.25')"
# CSV: the cutoffs' scores (the table's columns) and their mean, as the
# JSON form has them.
run "$WRENCH" --db "$DEMO" backtest --from 2024-03-01 --to 2025-02-01 --every 1mo --horizon 30d --format csv
check_rc "backtest csv" 0
assert_eq "csv header: the table's columns" \
	"cutoff,scored,failed,predicted,auc_model,auc_age,auc_count,auc_mtbf,p@k_model,p@k_age,brier_model,brier_climate" \
	"$(printf '%s\n' "$OUT" | head -1)"
assert_eq "csv: a row per cutoff and the mean" "13" "$(csv_rows "$OUT")"
assert_eq "csv: the first cutoff as in JSON" \
	"$(printf '%s' "$B" | jq -r '.cutoffs[0] | [.at, .scored, .positives, .predicted, .auc.model, .brier.climatology] | join(",")')" \
	"$(printf '%s\n' "$OUT" | awk -F, 'NR == 2 { print $1","$2","$3","$4","$5","$12 }')"
assert_eq "csv: the mean as in JSON" \
	"$(printf '%s' "$B" | jq -r '.mean | ["mean", .auc.model, .auc.age, .precision_at_k.model, .brier.model] | join(",")')" \
	"$(printf '%s\n' "$OUT" | awk -F, 'END { print $1","$5","$6","$9","$11 }')"
run "$WRENCH" --db "$DEMO" backtest --from 2024-03-01 --to 2024-06-01 --every 2w
check_rc "backtest table" 0
assert_contains "table has a mean row" "$OUT" "mean"
assert_contains "table has the calibration by decile" "$OUT" "calibration of the model"
assert_contains "and the totals" "$OUT" "failures predicted / observed in all: model"
run "$WRENCH" --db "$DEMO" backtest --from 2024-03-01
check_rc "backtest without --to" 2
run "$WRENCH" --db "$DEMO" backtest --from 2024-03-01 --to 2024-01-01
check_rc "backtest backwards" 2
run "$WRENCH" --db "$DEMO" backtest --from 2024-03-01 --to 2024-06-01 --every never
check_rc "backtest bad --every" 2

finish
