#!/usr/bin/env bash
# A repaired asset's card: the demo plant plus 80 presses whose failures
# come faster and faster (a power law of shape 2.5, minimal repair, drawn
# with a fixed seed).  The ranking finds them repaired; the card then says
# so with the power law's beta and the failures expected in the horizon
# (the numbers `wrench rank` gives) instead of a renewal MTBF, and its
# plot is N(t), the failures counted against the fitted mean count, at
# 40x16 and beside the card at desk size.  A renewed asset keeps R(t).
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }

# Installed 1,500-2,000 days before WRENCH_TODAY (2026-03-02, day 20514),
# failures at install + 900 L^(1/2.5) for the unit-rate Poisson arrivals L.
# Dates from day numbers by the civil calendar's arithmetic (any awk).
awk -v out="$T_DIR" 'function ymd(z,  era, doe, yoe, doy, mp, d, m, y) {
		z += 719468; era = int(z / 146097); doe = z - era * 146097
		yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
		doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100)); mp = int((5 * doy + 2) / 153)
		d = doy - int((153 * mp + 2) / 5) + 1; m = mp < 10 ? mp + 3 : mp - 9
		y = yoe + era * 400 + (m <= 2)
		return sprintf("%04d-%02d-%02d", y, m, d)
	}
	BEGIN {
	srand(11); today = 20514
	print "tag,name,class,install_date" > (out "/press.csv")
	print "asset,date,event,code,notes" > (out "/press_hist.csv")
	for (i = 0; i < 80; i++) {
		tag = sprintf("PRS-%02d", i); inst = today - 1500 - int(500 * rand())
		print tag ",Press " i ",press," ymd(inst) >> (out "/press.csv")
		L = 0
		for (;;) {
			L -= log(1 - rand()); t = inst + 900 * L ^ 0.4
			if (t >= today - 1) break
			print tag "," ymd(int(t)) ",failure,," >> (out "/press_hist.csv")
		}
	}
}' || { echo "awk cannot draw the presses"; echo "0 passed, 1 failed"; exit 1; }
w import assets "$T_DIR/press.csv" >/dev/null &&
	w import history "$T_DIR/press_hist.csv" >/dev/null ||
	{ echo "cannot import the presses"; echo "0 passed, 1 failed"; exit 1; }

w rank --format csv >"$T_DIR/rank.csv" || { echo "wrench rank failed"; echo "0 passed, 1 failed"; exit 1; }
col() { awk -F, -v t="$1" -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) k[$i] = i }
	NR > 1 && $2 == t { print $k[c] }' "$T_DIR/rank.csv"; }
# The press with the most failures; a renewed asset of the demo.
press=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) k[$i] = i }
	NR > 1 && $3 == "press" { print $k["failures"], $2 }' "$T_DIR/rank.csv" |
	LC_ALL=C sort -k1,1nr -k2,2 | head -1 | cut -d' ' -f2)
[ -n "$press" ] || { echo "no press ranked"; echo "0 passed, 1 failed"; exit 1; }
check "the presses are found repaired (process of $press: $(col "$press" process))" \
	[ "$(col "$press" process)" = "minimal repair" ]
beta=$(awk -v b="$(col "$press" repair_beta)" 'BEGIN { printf "%.2f", b }')
nfail=$(col "$press" failures)
efail=$(awk -v e="$(col "$press" expected_failures)" 'BEGIN { printf "%.2f", e }')

start 40 16
wait_for "My open work"
scan "$press"
expect "Asset $press" "40x16: scanning $press opens it"
expect "repaired: power law β $beta" "40x16: the card gives the power law's β, as rank ($beta)"
expect "expected failures $efail in 30d" "40x16: and the failures it expects, as rank ($efail)"
expect_not "MTBF" "40x16: no renewal MTBF for a repaired press"
keys v
expect "N(t), power law β $beta" "40x16: v plots N(t) of the repaired press"
expect "• failures  · fitted mean" "40x16: the plot's legend names the count and the fitted mean"
# The count's step reaches the failures so far: its highest bullet is at
# or below the top label, which is the round number past them.
top=$(screen | awk '/┤/ { sub(/┤.*/, ""); gsub(/ /, ""); print; exit }')
check "40x16: the y axis ends at $top, past the $nfail failures" [ "${top:-0}" -ge "$nfail" ]
keys q
keys q
wait_for "My open work"
scan AC-1001
expect "Asset AC-1001" "40x16: a renewed asset opens"
keys v
expect "R(t), β" "40x16: a renewed asset keeps R(t)"
keys q q
wait_for "My open work"
keys Q
expect "EXITED 0" "40x16: Q quits"

start 110 30
wait_for "My open work"
scan "$press"
expect "N(t), power law β $beta" "110x30: N(t) stands beside the repaired press's card"
expect "repaired: power law β $beta" "110x30: and the card gives its β"
keys Q
expect "EXITED 0" "110x30: Q quits"
finish
