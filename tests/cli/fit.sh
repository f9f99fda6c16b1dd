# fit.sh - `wrench fit` on life data with known answers, its input checks,
# and the statistical dead ends that are answers, not errors.
. "$(dirname "$0")/lib.sh"

# Six failures and two suspensions.  The maximum-likelihood estimate, worked
# out independently by bisection on the shape equation
#   sum t^b ln t / sum t^b - 1/b - mean(ln t_fail) = 0,
# is beta = 1.379175, eta = 112.7974, log-likelihood -34.11074.
cat >"$TMP/life.csv" <<'EOF'
time,state
16,F
34,F
53,F
75,F
93,F
120,F
150,S
150,S
EOF

near() { # name expected actual tolerance
	if awk -v e="$2" -v a="$3" -v t="$4" 'BEGIN { d = e - a; if (d < 0) d = -d; exit !(a != "" && d <= t) }'; then
		pass
	else
		fail "$1" "expected $2 +- $4" "actual   $3"
	fi
}

run "$WRENCH" fit "$TMP/life.csv" --format json
check_rc "fit json" 0
assert_json "fit json parses" "$OUT"
J=$OUT
near "beta" 1.379175 "$(printf '%s' "$J" | jq .beta)" 0.00001
near "eta" 112.7974 "$(printf '%s' "$J" | jq .eta)" 0.001
near "log-likelihood" -34.11074 "$(printf '%s' "$J" | jq .loglik)" 0.00001
assert_eq "failures" "6" "$(printf '%s' "$J" | jq .failures)"
assert_eq "suspensions" "2" "$(printf '%s' "$J" | jq .suspensions)"
assert_eq "status" "ok" "$(printf '%s' "$J" | jq -r .status)"
assert_eq "bounds bracket beta" "true" "$(printf '%s' "$J" | jq '.beta_lo < .beta and .beta < .beta_hi')"
assert_eq "bounds bracket eta" "true" "$(printf '%s' "$J" | jq '.eta_lo < .eta and .eta < .eta_hi')"
assert_eq "standard errors present" "true" "$(printf '%s' "$J" | jq '.se_log_eta > 0 and .se_log_beta > 0')"
# The mean life is eta * Gamma(1 + 1/beta) = 112.7974 * 0.91363 = 103.055.
near "mean life" 103.055 "$(printf '%s' "$J" | jq .mtbf)" 0.01

# Counts: the same data with the suspensions on one row, a missing count
# meaning one, a ';' delimiter, a BOM and CRLF line ends.
printf '\357\273\277Time;State;Count\r\n16;F;1\r\n34;F\r\n53;F;1\r\n75;F;1\r\n93;F;1\r\n120;failure;1\r\n150;S;2\r\n' >"$TMP/counts.csv"
run "$WRENCH" fit "$TMP/counts.csv" --format json
check_rc "fit with counts" 0
near "same beta with counts" 1.379175 "$(printf '%s' "$OUT" | jq .beta)" 0.00001
assert_eq "counted suspensions" "2" "$(printf '%s' "$OUT" | jq .suspensions)"

# No header: time,state.
printf '16,F\n34,F\n53,F\n75,F\n93,F\n120,F\n150,S\n150,S\n' >"$TMP/bare.csv"
run "$WRENCH" fit "$TMP/bare.csv" --format json
check_rc "fit without a header" 0
near "same beta without a header" 1.379175 "$(printf '%s' "$OUT" | jq .beta)" 0.00001

# Text output names the numbers.
run "$WRENCH" fit "$TMP/life.csv"
check_rc "fit text" 0
assert_contains "text beta" "$OUT" "beta (shape):    1.37918"
assert_contains "text log-likelihood" "$OUT" "log-likelihood:  -34.1107"
assert_contains "text bounds" "$OUT" "90% bounds"
run "$WRENCH" fit "$TMP/life.csv" --conf 0.95
assert_contains "--conf changes the level" "$OUT" "95% bounds"

# Standard input.
run sh -c "\"$WRENCH\" fit - --format json <\"$TMP/life.csv\""
check_rc "fit from standard input" 0
near "stdin beta" 1.379175 "$(printf '%s' "$OUT" | jq .beta)" 0.00001

# Dead ends are answers (exit 0) with a status saying why.
printf 'time,state\n100,S\n200,S\n' >"$TMP/nofail.csv"
run "$WRENCH" fit "$TMP/nofail.csv" --format json
check_rc "no failures is not an error" 0
assert_eq "no failures status" "no_failures" "$(printf '%s' "$OUT" | jq -r .status)"
assert_eq "no estimate" "null" "$(printf '%s' "$OUT" | jq .beta)"
# WeiBayes with beta 2 and no failures (r taken as 1): eta = sqrt(100^2 + 200^2).
run "$WRENCH" fit "$TMP/nofail.csv" --weibayes-beta 2 --format json
check_rc "weibayes" 0
assert_eq "weibayes method" "weibayes" "$(printf '%s' "$OUT" | jq -r .method)"
near "weibayes eta" 223.6068 "$(printf '%s' "$OUT" | jq .eta)" 0.001
printf 'time,state\n100,F\n200,S\n' >"$TMP/onefail.csv"
run "$WRENCH" fit "$TMP/onefail.csv"
check_rc "one failure is not an error" 0
assert_contains "one failure explained" "$OUT" "one failure"

# Bad input: every bad row as FILE:LINE: reason, exit 1, nothing fitted.
printf 'time,state\n10,F\nabc,F\n20,Q\n-5,S\n30,S\n' >"$TMP/bad.csv"
run "$WRENCH" fit "$TMP/bad.csv"
check_rc "bad rows" 1
assert_contains "bad time" "$ERR" "bad.csv:3: time 'abc' is not a number"
assert_contains "bad state" "$ERR" "bad.csv:4: state 'Q'"
assert_contains "non-positive time" "$ERR" "bad.csv:5:"
assert_contains "summary" "$ERR" "3 bad rows; nothing was fitted"
assert_eq "nothing on stdout" "" "$OUT"
printf 'when,what\n1,2\n' >"$TMP/nohead.csv"
run "$WRENCH" fit "$TMP/nohead.csv"
check_rc "unknown header" 1
assert_contains "header explained" "$ERR" "time column"
printf 'time,state\n' >"$TMP/empty.csv"
run "$WRENCH" fit "$TMP/empty.csv"
check_rc "no data rows" 1
run "$WRENCH" fit "$TMP/nope.csv"
check_rc "missing file" 1
run "$WRENCH" fit
check_rc "no file argument" 2
run "$WRENCH" fit "$TMP/life.csv" --conf 2
check_rc "bad --conf" 2
run "$WRENCH" fit "$TMP/life.csv" --format xml
check_rc "bad --format" 2

finish
