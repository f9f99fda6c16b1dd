#!/usr/bin/env bash
# The Reports screen (8): at 40x16 one measure a page (l/h turn them), its
# value this month as `wrench report monthly` gives it, a column per month
# and a sparkline in Unicode blocks, then the bad actors as bars; at
# 120x40 every measure at once with the selected one charted and the bad
# actors beside; c keeps one class; with LANG=C the same in ASCII.
source "$(dirname "$0")/lib.sh"
w demo --no-ui >/dev/null 2>"$T_DIR/demo.err" || {
	cat "$T_DIR/demo.err"
	echo "0 passed, 1 failed"
	exit 1
}

# A second site with one asset and one open work order: the site filter
# must narrow the backlog to it.
printf 'code,name,kind,parent\nTST,Test site,site,\n' >"$T_DIR/loc.csv"
printf 'tag,name,class,location\nTST-1,Test asset,pump,TST\n' >"$T_DIR/tst.csv"
{ w import locations "$T_DIR/loc.csv" && w import assets "$T_DIR/tst.csv" &&
	w wo new --asset TST-1 --title "Open job at the test site"; } >/dev/null || {
	echo "cannot add the test site"
	echo "0 passed, 1 failed"
	exit 1
}

# The twelve months the screen shows end with this one (WRENCH_TODAY).
w report monthly --month 2026-03 --format csv | tr -d '\r' >"$T_DIR/monthly.csv"
# col NAME MONTH FILE: a measure's value in a month.
col() {
	awk -F, -v name="$1" -v m="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i }
		$1 == m { print $c }' "$3"
}
# (Availability this month counts an open downtime up to the minute, so
# the figures compared are those that do not move with the clock.)
# The screen shows MTTR with one decimal, PM compliance too.
MTTR=$(printf '%.1f' "$(col mttr_hours 2026-03 "$T_DIR/monthly.csv")")
PM=$(printf '%.1f' "$(col pm_compliance_pct 2026-03 "$T_DIR/monthly.csv")")
PM_RANGE=$(for m in $(tail -n +2 "$T_DIR/monthly.csv" | cut -d, -f1); do col pm_compliance_pct "$m" "$T_DIR/monthly.csv"; done |
	awk '$1 != "" { if (lo == "" || $1 + 0 < lo + 0) lo = $1; if ($1 + 0 > hi + 0) hi = $1 } END { printf "%.1f..%.1f", lo, hi }')
# The worst actor: the first of the failure Pareto by asset, April to today.
w report pareto --by asset --from 2025-04-01 --format csv | tr -d '\r' | sed -n 2p >"$T_DIR/top.csv"
TOP=$(cut -d, -f1 "$T_DIR/top.csv")
TOP_N=$(cut -d, -f2 "$T_DIR/top.csv")
PM_FEB=$(printf '%.1f' "$(col pm_compliance_pct 2026-02 "$T_DIR/monthly.csv")")
w report monthly --month 2026-03 --site TST --format csv | tr -d '\r' >"$T_DIR/site.csv"
SITE_BACKLOG=$(printf '%.0f' "$(col backlog_wos 2026-03 "$T_DIR/site.csv")")
[ "$SITE_BACKLOG" = 1 ] || { echo "the test site's backlog is $SITE_BACKLOG, not 1"; echo "0 passed, 1 failed"; exit 1; }
# The first class by name: item 2 of the class pick list (1 is "all").
CLASS=$(w asset list --format json | jq -r '.[].class // empty' | sed '/^$/d' | LC_ALL=C sort -u | head -1)
w report monthly --month 2026-03 --class "$CLASS" --format csv | tr -d '\r' >"$T_DIR/class.csv"
CLASS_BACKLOG=$(printf '%.0f' "$(col backlog_wos 2026-03 "$T_DIR/class.csv")")
BACKLOG=$(printf '%.0f' "$(col backlog_wos 2026-03 "$T_DIR/monthly.csv")")
[ "$CLASS_BACKLOG" != "$BACKLOG" ] || { echo "the class has the plant's backlog"; echo "0 passed, 1 failed"; exit 1; }

# desk_actor: at desk size, the bad actors beside the measures, worst first.
desk_actor() { screen | grep -m1 -E "│ [^ ]+ +[0-9]+ " | grep -qE "│ $TOP +$TOP_N "; }
# first_actor: the first bar line of the bad actors shows the worst one.
first_actor() { screen | grep -m1 -E "^[^ ].* +[0-9]+ " | grep -qE "^$TOP +$TOP_N "; }

# ---- 40x16, UTF-8
start 40 16
wait_for "My open work"
keys 8
expect "Availability (%)  1/14" "40x16: 8 opens the Reports on the first measure"
expect "Mar 2026: " "40x16: this month's availability"
expect "█" "40x16: columns of Unicode blocks"
expect "A M J J A S O N D J F M" "40x16: a column per month, April to March"
expect_not "too small" "40x16: the screen is usable"
keys l
expect "MTBF (h)  2/14" "40x16: l turns to MTBF"
keys l
expect "MTTR (h)  3/14" "40x16: then MTTR"
expect "Mar 2026: $MTTR h" "40x16: with this month's MTTR ($MTTR h)"
keys Right Right Right
expect "PM compliance (%)  6/14" "40x16: Right turns on to PM compliance"
expect "Mar 2026: $PM %" "40x16: this month's PM compliance as report monthly says ($PM %)"
expect "$PM_RANGE" "40x16: the sparkline's range is the months' ($PM_RANGE)"
expect "▁" "40x16: the sparkline's lowest block"
keys Left
expect "Downtime (h)  5/14" "40x16: Left turns back"
keys G
expect "Bad actors  14/14" "40x16: G: the last page is the bad actors"
if retry first_actor; then pass "40x16: the worst actor first ($TOP, $TOP_N failures)"; else fail "40x16: the worst actor first ($TOP, $TOP_N failures)"; fi
expect "█" "40x16: as bars of blocks"
keys g
expect "Availability (%)  1/14" "40x16: g goes back to the first page"
keys l l l l l l l l
expect "Backlog (WOs)  9/14" "40x16: the backlog's page"
expect "Mar 2026: $BACKLOG WOs" "40x16: the backlog this month ($BACKLOG)"
keys c
expect "all classes" "40x16: c offers the classes"
keys 2
expect "Reports: $CLASS" "40x16: 2 keeps the first class ($CLASS)"
expect "Mar 2026: $CLASS_BACKLOG WOs" "40x16: the class's backlog as report monthly --class says ($CLASS_BACKLOG)"
keys c
keys 1
expect "Mar 2026: $BACKLOG WOs" "40x16: c 1: every class again"
keys s
expect "all sites" "40x16: s offers the sites"
keys 3
expect "Reports at TST" "40x16: 3 keeps the test site"
expect "Mar 2026: $SITE_BACKLOG WOs" "40x16: its backlog as report monthly --site says ($SITE_BACKLOG)"
keys s 1
expect "Mar 2026: $BACKLOG WOs" "40x16: s 1: every site again"
keys g l l l l l
expect "PM compliance (%)  6/14" "40x16: back to PM compliance"
keys '['
expect "Reports, to Feb 2026" "40x16: [ ends the months with February"
expect "Feb 2026: $PM_FEB %" "40x16: February's PM compliance as report monthly says ($PM_FEB %)"
expect "M A M J J A S O N D J F" "40x16: March to February"
keys ']'
expect "Mar 2026: $PM %" "40x16: ] comes back to March"
keys ']'
expect "Mar 2026: $PM %" "40x16: and no further"

# ---- 120x40: every measure at once
start 120 40
wait_for "My open work"
keys 8
expect "> Availability" "120x40: the measures as rows, the first selected"
for m in "MTBF" "MTTR" "Failures" "Downtime" "PM compliance" "Schedule compliance" \
	"Planned work" "Backlog hours" "Age of open work" "Maintenance cost" "Bad actors, these 12 months"; do
	expect "$m" "120x40: $m shown at once"
done
expect "Availability (%), 12 months" "120x40: the selected measure charted"
keys j
expect "> MTBF" "120x40: j selects MTBF"
expect "MTBF (h), 12 months" "120x40: and charts it"
if retry desk_actor; then
	pass "120x40: the worst actor leads the bad actors beside the measures"
else
	fail "120x40: the worst actor leads the bad actors beside the measures"
fi
keys '?'
expect "Go to the reports" "help: the Reports key is in the help"

# ---- LANG=C: ASCII only
start 40 16 LANG=C LC_ALL=C
wait_for "My open work"
keys 8
expect "Availability (%)  1/14" "LANG=C: the Reports"
expect "# # #" "LANG=C: columns of #"
keys l l l l l
expect "Mar 2026: $PM %" "LANG=C: the same figures"
expect "$PM_RANGE" "LANG=C: the sparkline's range"
if screen | LC_ALL=C grep -q '[^ -~]'; then
	fail "LANG=C: nothing but ASCII on the screen"
else
	pass "LANG=C: nothing but ASCII on the screen"
fi
keys G
expect "Bad actors  14/14" "LANG=C: the bad actors page"
if retry first_actor; then pass "LANG=C: the worst actor first"; else fail "LANG=C: the worst actor first"; fi
expect "###" "LANG=C: as bars of #"

echo "$T_PASS passed, $T_FAIL failed"
[ "$T_FAIL" -eq 0 ]
