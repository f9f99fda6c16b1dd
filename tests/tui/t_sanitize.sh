#!/usr/bin/env bash
# Control characters and escape sequences stored in data are shown as '?'
# and never reach the terminal raw.
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }

for size in "80 24" "40 16"; do
	set -- $size
	start_args "$1" "$2" "ui $EVIL"
	expect "Evil ?[31mred?[0m" "$1x$2: the escape sequence shows as text with '?'"
	expect "title? bell" "$1x$2: the bell character shows as '?'"
	# Had the escape reached the terminal, "red" would be coloured and the
	# "[31m" text gone.  capture-pane -e shows what tmux received.
	check "$1x$2: no raw escape reached the terminal" \
		bash -c "tmux -L $T_SOCK capture-pane -p -e -t main | grep -F 'Evil' | grep -qF '?[31mred'"
	keys q
	expect "My open work" "$1x$2: home"
	expect "Evil ?[31mred" "$1x$2: the title is sanitized on Home too"
	keys Q
	expect "EXITED 0" "$1x$2: Q quits"
done

# NO_COLOR: the same screens work without colour (attributes only).
start 80 24 NO_COLOR=1
expect "My open work" "NO_COLOR: home draws"
keys 2
expect "> " "NO_COLOR: the selected row is marked '>' as well"
keys f
wait_for "Overdue only"
keys 7
expect "overdue" "NO_COLOR: the overdue filter is on"
expect "!WO-" "NO_COLOR: overdue rows carry '!'"
keys Q
expect "EXITED 0" "NO_COLOR: Q quits"

# A locale without UTF-8: lines are drawn in ASCII and non-ASCII text is '?'.
w wo new --asset TST-FAN-1 --title "$(printf 'Caf\303\251 fan check')" >/dev/null
start 120 40 LANG=C LC_ALL=C
wait_for "My open work"
keys 2
expect "|" "C locale: the desk separator is an ASCII '|'"
expect "Caf? fan check" "C locale: a non-ASCII letter shows as '?'"
keys Q
expect "EXITED 0" "C locale: Q quits"
start 120 40
wait_for "My open work"
keys 2
expect "Café fan check" "UTF-8 locale: the same title shows as stored"
keys Q
finish
