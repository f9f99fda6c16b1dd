#!/usr/bin/env bash
# PM, the planner's desk: creating a schedule in the form (it is in the
# list and in the database; a taken code is refused and nothing is saved),
# and the schedule's detail: its next occurrences as the engine counts
# them, and the work orders it generated, newest first (Enter opens one).
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }

selected() { screen | grep '^>' | grep -qF -- "$1"; }
expect_sel() {
	if retry selected "$1"; then pass "$2"; else fail "$2 (the selected row is not '$1')"; fi
}
pm_field() { w pm list --format csv | tr -d '\r' | awk -F, -v c="$1" -v k="$2" '$1 == c { print $k }'; }
pm_count() { w pm list --format csv | tail -n +2 | wc -l; }
# day N: the test's today plus N days.
day() { date -u -d "$WRENCH_TODAY + $1 days" +%F; }

n=0
for size in "40 16" "120 40"; do
	set -- $size
	tag="$1x$2"
	n=$((n + 1))
	code="TST-NEW-$n"
	before=$(pm_count)
	start "$1" "$2" WRENCH_USER=rpatel
	wait_for "My open work"
	keys 4
	wait_for "PM schedules"

	# c: the form; code, title, asset, every 2 weeks (month, Left: week).
	keys c
	expect "New PM schedule" "$tag: c opens the new-schedule form"
	keys "$code"; keys Enter
	keys "Test lube round $n"; keys Enter
	keys TST-PUMP-1; keys Enter
	keys 2; keys Enter
	keys Left
	expect "week" "$tag: the unit is chosen in the form"
	keys F2
	expect "$code created." "$tag: F2 creates the schedule"
	expect_sel "$code" "$tag: the list shows it, selected"
	check "$tag: it is in the database" [ "$(pm_count)" -eq $((before + 1)) ]
	check "$tag: every 2 weeks" [ "$(pm_field "$code" 4)" = "2 weeks" ]
	check "$tag: on the test pump" [ "$(pm_field "$code" 2)" = "TST-PUMP-1" ]
	check "$tag: in the export too" grep -q "^$code," <(w export pms)

	# The same code again is refused, and nothing is saved.
	keys c
	wait_for "New PM schedule"
	keys "$code"; keys Enter
	keys "Duplicate"; keys Enter
	keys ""; keys Enter
	keys 1; keys Enter
	keys F2
	expect "already exists" "$tag: a taken code is refused"
	check "$tag: nothing more was saved" [ "$(pm_count)" -eq $((before + 1)) ]
	check "$tag: the schedule kept its title" [ "$(pm_field "$code" 11)" = "Test lube round $n" ]
	keys Escape
	keys q
	keys y
	wait_for "PM schedules"

	# Its work: generate the first occurrence, finish it, generate the next.
	first=$(w pm due --format csv | awk -F, -v c="$code" '$1 == c { print $3 }')
	check "$tag: the engine has it due today" [ "$first" = "$(day 0)" ]
	w pm generate >/dev/null
	wo1=$(w pm due --format csv | awk -F, -v c="$code" '$1 == c { print $7 }')
	w wo start "$wo1" >/dev/null && w wo done "$wo1" >/dev/null
	second=$(w pm due --days 30 --format csv | awk -F, -v c="$code" '$1 == c { print $3 }')
	w pm generate --days 30 >/dev/null
	wo2=$(w pm due --days 30 --format csv | awk -F, -v c="$code" '$1 == c { print $7 }')
	check "$tag: two work orders were generated" [ -n "$wo1" ] && [ -n "$wo2" ]

	keys d
	expect "PM $code" "$tag: d opens the schedule's detail"
	expect "Next occurrences" "$tag: with its next occurrences"
	expect "$second $wo2" "$tag: the first is the engine's next due ($second), with its work order"
	expect "$(day 28)" "$tag: then every 2 weeks ($(day 28))"
	if [ "$2" -ge 30 ]; then
		expect "$(day 42)" "$tag: and on ($(day 42))"
	fi
	expect "Work orders 2" "$tag: the work orders it generated are counted"
	expect_sel "$wo2" "$tag: the newest ($wo2) comes first"
	keys j
	expect_sel "$wo1" "$tag: then $wo1"
	keys Enter
	expect "$wo1 done" "$tag: Enter opens the work order"
	keys q
	expect "PM $code" "$tag: q returns to the detail"
	keys Q
	expect "EXITED 0" "$tag: Q quits"
done
finish
