#!/usr/bin/env bash
# PM: the schedule list with its overdue marker, editing a schedule (a
# planner may, a technician may not; a bad value is refused and nothing is
# saved), the 30/90-day workload forecast, and generating the due work
# orders (asked first, counted, and not twice).
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }

selected() { screen | grep '^>' | grep -qF -- "$1"; }
expect_sel() {
	if retry selected "$1"; then pass "$2"; else fail "$2 (the selected row is not '$1')"; fi
}
pm_every() { w pm list --format csv | awk -F, -v c="$1" '$1 == c { print $4 }'; }
pm_hours() { w pm list --format csv | awk -F, -v c="$1" '$1 == c { print $9 }'; }

# Two schedules on the test pump, overdue and without work orders yet.
cat >"$T_DIR/pms.csv" <<'EOF'
code,title,asset,kind,interval,unit,floating,lead_days,start_date,est_hours,assignee,active
TST-PM-1,Test weekly check,TST-PUMP-1,calendar,1,week,no,0,2026-02-16,1.5,tech,yes
TST-PM-2,Test monthly check,TST-PUMP-1,calendar,1,month,yes,0,2026-02-20,2,tech,yes
EOF
w import pms "$T_DIR/pms.csv" >/dev/null || { echo "cannot import PM"; echo "0 passed, 1 failed"; exit 1; }
total=$(w pm list --format csv | tail -n +2 | wc -l)
overdue=$(w pm due --format csv | awk -F, 'NR > 1 && $6 == "yes"' | wc -l)
to_make=$(w pm due --format csv | awk -F, 'NR > 1 && $7 == ""' | wc -l)
wos_before=$(w wo list --format csv | tail -n +2 | wc -l)

n=0
for size in "80 24" "40 16"; do
	set -- $size
	tag="$1x$2"
	n=$((n + 1))
	start "$1" "$2" WRENCH_USER=rpatel
	wait_for "My open work"
	keys 4
	expect "PM schedules $total, $overdue overdue" "$tag: 4 opens the PM list with its counts"
	expect "PM-AC-1001-1" "$tag: schedules are listed by code"
	keys G
	expect_sel "TST-PM-2" "$tag: G goes to the last schedule"
	expect " !TST-PM-1" "$tag: an overdue schedule is marked !"
	expect ">!TST-PM-2" "$tag: the mark stays on the selected row"
	if [ "$1" -ge 80 ]; then
		expect "Test weekly check" "$tag: the wide list shows titles"
	fi

	# Edit as a planner: a bad interval is refused, then a good one saved.
	prev=$(pm_every TST-PM-2)
	keys e
	expect "Interval" "$tag: e opens the schedule's form"
	expect "Test monthly check" "$tag: with its values"
	keys Enter
	keys C-u
	keys 0
	keys F2
	expect "Not saved:" "$tag: an interval of 0 is refused"
	check "$tag: nothing was saved" [ "$(pm_every TST-PM-2)" = "$prev" ]
	keys C-u
	keys $((n + 1))
	# On through unit, mode and lead days to the hours.
	keys Enter
	keys Enter
	keys Enter
	keys Enter
	keys C-u
	keys "2.$n"
	keys F2
	expect "TST-PM-2 saved." "$tag: F2 saves the schedule"
	check "$tag: the interval is stored" [ "$(pm_every TST-PM-2)" = "$((n + 1)) months" ]
	check "$tag: the hours are stored" [ "$(pm_hours TST-PM-2)" = "2.$n" ]

	# The forecast, 30 then 90 days.
	keys f
	expect "Planned PM hours per week, next 30 days" "$tag: f opens the forecast"
	if [ "$1" -ge 60 ]; then w1=2026-03-02 w5=2026-03-30 w13=2026-05-25; else
		w1=03-02 w5=03-30 w13=05-25; fi
	expect "$w1" "$tag: the first week starts today"
	expect "$w5" "$tag: 30 days are five weeks"
	expect_not "$w13" "$tag: and no more"
	expect "total " "$tag: the totals are shown"
	keys t
	expect "next 90 days" "$tag: t switches to 90 days"
	keys G
	expect "$w13" "$tag: 90 days reach week 13"
	keys t
	expect "next 30 days" "$tag: t switches back"
	keys q
	expect "PM schedules" "$tag: q returns to the list"

	# Generate: asked first; n does nothing; y makes the due work orders.
	keys m
	expect "Generate due PM work orders? y/n" "$tag: m asks first"
	keys n
	expect "Nothing generated." "$tag: n generates nothing"
	check "$tag: no work order was made" \
		[ "$(w wo list --format csv | tail -n +2 | wc -l)" -eq "$wos_before" ]
	keys m
	keys y
	if [ $n -eq 1 ]; then
		expect "Generated $to_make work order" "$tag: y generates the $to_make due work orders"
		check "$tag: they are in the database" \
			[ "$(w wo list --format csv | tail -n +2 | wc -l)" -eq $((wos_before + to_make)) ]
	else
		expect "No new work orders" "$tag: generating again makes nothing new"
	fi
	wos_before=$(w wo list --format csv | tail -n +2 | wc -l)
	check "$tag: the weekly check has exactly one work order" \
		[ "$(w wo list --search "Test weekly check" --format csv | tail -n +2 | wc -l)" -eq 1 ]
	keys k
	expect_sel "TST-PM-1" "$tag: on the weekly check"
	keys Enter
	num=$(w wo list --search "Test weekly check" --format csv | awk -F, 'NR == 2 { print $1 }')
	expect "$num open" "$tag: Enter opens the schedule's due work order"
	keys Q
	expect "EXITED 0" "$tag: Q quits"
done

# A technician may not edit schedules.
start 80 24 WRENCH_USER=jsmith
wait_for "My open work"
keys 4
wait_for "PM schedules"
keys e
expect "Only planners edit PM schedules" "technician: e is refused with a reason"
expect_not "Interval" "technician: no form opens"
keys Q
expect "EXITED 0" "technician: Q quits"
finish
