# truth.sh - `wrench backtest --truth FILE`: the oracle scored on the same
# assets and cutoffs as the model, on a plant small enough to score by hand,
# with the calibration and the groups' sums; bad truth files are refused
# with the line and the reason.
. "$(dirname "$0")/lib.sh"

# Four assets installed 2023-01-01.  Cutoffs 2024-01-01 and 2024-02-01,
# horizon 30 days: A1 fails in the first window, A3 in the second.
cat >"$TMP/assets.csv" <<'EOF'
tag,name,class,install_date
A1,Unit 1,c,2023-01-01
A2,Unit 2,c,2023-01-01
A3,Unit 3,c,2023-01-01
A4,Unit 4,c,2023-01-01
EOF
cat >"$TMP/history.csv" <<'EOF'
asset,date,event
A1,2023-06-01 08:00:00,failure
A2,2023-09-01 08:00:00,failure
A1,2024-01-10 08:00:00,failure
A3,2024-02-15 08:00:00,failure
EOF
# The truth, with a row for a cutoff the backtest does not use and one for
# an asset the database does not have (both skipped).
cat >"$TMP/truth.csv" <<'EOF'
asset,cutoff,p_fail,group
A1,2024-01-01,0.8,g1
A2,2024-01-01,0.1,g1
A3,2024-01-01,0.3,g2
A4,2024-01-01,0.2,g2
A1,2024-02-01,0.2,g1
A2,2024-02-01,0.1,g1
A3,2024-02-01,0.4,g2
A4,2024-02-01,0.5,g2
A1,2023-12-01,0.9,g1
ZZ,2024-01-01,0.5,g1
EOF
w init
w import assets "$TMP/assets.csv"
check_rc "import assets" 0
w import history "$TMP/history.csv"
check_rc "import history" 0

BT="backtest --from 2024-01-01 --to 2024-02-01 --every 1mo --horizon 30d"
# shellcheck disable=SC2086
w $BT --truth "$TMP/truth.csv" --format json
check_rc "backtest --truth" 0
J=$OUT
assert_eq "positives per cutoff" "[1,1]" "$(jq -c '[.cutoffs[].positives]' <<<"$J")"
# Oracle AUC: cutoff 1, A1 (0.8) above all three: 1; cutoff 2, A3 (0.4)
# above 0.2 and 0.1, below 0.5: 2/3.  Brier: (0.04 + 0.01 + 0.09 + 0.04) / 4
# = 0.045 and (0.04 + 0.01 + 0.36 + 0.25) / 4 = 0.165.
assert_eq "oracle AUC per cutoff" "[1,0.667]" \
	"$(jq -c '[.cutoffs[].auc.oracle * 1000 | round / 1000]' <<<"$J")"
assert_eq "oracle mean AUC" "0.8333" "$(jq '.mean.auc.oracle * 10000 | round / 10000' <<<"$J")"
assert_eq "oracle Brier per cutoff" "[0.045,0.165]" \
	"$(jq -c '[.cutoffs[].brier.oracle * 100000 | round / 100000]' <<<"$J")"
assert_eq "oracle mean Brier" "0.105" "$(jq '.mean.brier.oracle * 100000 | round / 100000' <<<"$J")"
assert_eq "the model is scored beside it" "true" \
	"$(jq '.mean.auc | has("model") and has("age") and has("mtbf") and has("oracle")' <<<"$J")"
# Calibration: the oracle predicts 1.4 + 1.2 = 2.6 failures for 2 observed.
assert_eq "oracle calibration" "[8,2.6,2,1.3]" \
	"$(jq -c '.calibration.oracle | [.n, (.predicted * 1e6 | round / 1e6), .observed,
		(.ratio * 1e6 | round / 1e6)]' <<<"$J")"
assert_eq "the model's deciles carry the truth's sums" "2.6" \
	"$(jq '[.calibration.model.deciles[].truth] | add * 1e6 | round / 1e6' <<<"$J")"
# Groups: g1 = A1, A2 (0.8 + 0.1 + 0.2 + 0.1), g2 = A3, A4 (0.3 + 0.2 + 0.4 + 0.5).
assert_eq "group g1" "[4,1,1.2]" \
	"$(jq -c '.groups.g1 | [.n, .observed, (.predicted.oracle * 1e6 | round / 1e6)]' <<<"$J")"
assert_eq "group g2" "[4,1,1.4]" \
	"$(jq -c '.groups.g2 | [.n, .observed, (.predicted.oracle * 1e6 | round / 1e6)]' <<<"$J")"

# The table says the same.
# shellcheck disable=SC2086
w $BT --truth "$TMP/truth.csv"
check_rc "backtest --truth, table" 0
assert_contains "the oracle row" "$OUT" "oracle         0.833    0.105"
assert_contains "the model's share of the way" "$OUT" "of the way from the best baseline to the oracle"
assert_contains "the groups" "$OUT" "g2            4 predictions: observed 1"
# Without --truth, no oracle anywhere.
# shellcheck disable=SC2086
w $BT --format json
assert_eq "no oracle without the truth" "false" "$(jq '.mean.auc | has("oracle")' <<<"$OUT")"
assert_eq "no groups without the truth" "false" "$(jq 'has("groups")' <<<"$OUT")"

# Bad truth files: the line and the reason, nothing scored.
grep -v '^A4,2024-02-01' "$TMP/truth.csv" >"$TMP/missing.csv"
# shellcheck disable=SC2086
w $BT --truth "$TMP/missing.csv"
check_rc "a scored asset without a truth" 1
assert_contains "names the asset" "$ERR" "no probability for asset A4"
sed 's/^A3,2024-02-01,0.4/A3,2024-02-01,1.5/' "$TMP/truth.csv" >"$TMP/bad.csv"
# shellcheck disable=SC2086
w $BT --truth "$TMP/bad.csv"
check_rc "p_fail out of range" 1
assert_contains "line and reason" "$ERR" "bad.csv:8: p_fail '1.5' is not a probability"
assert_eq "nothing printed" "" "$OUT"
printf 'tag,when,p\nA1,2024-01-01,0.5\n' >"$TMP/header.csv"
# shellcheck disable=SC2086
w $BT --truth "$TMP/header.csv"
check_rc "bad header" 1
assert_contains "says which columns" "$ERR" "asset, cutoff and p_fail"
# shellcheck disable=SC2086
w $BT --truth "$TMP/nothere.csv"
check_rc "no such file" 1
assert_contains "says it cannot open it" "$ERR" "cannot open"

finish
