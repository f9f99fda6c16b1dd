#!/usr/bin/env bash
# Function keys whose escape sequences the terminal description does not
# name (tmux's ESC [ 1 ~ and ESC [ 4 ~ under TERM=xterm-256color, a VT220's
# ESC [ 5 ~): they move as Home, End and PgUp, and never act as the digit
# inside them (1 went Home, 4 opened the PM schedules).  An unknown
# sequence does nothing.
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }
total=$(w wo list --format csv | tail -n +2 | wc -l)

# raw HEX...: the bytes as the terminal sends them, in one write.
raw() { tm send-keys -t main -H "$@"; sleep 0.1; }

for size in "80 24" "40 16"; do
	set -- $size
	start "$1" "$2"
	wait_for "My open work"
	keys 2
	expect "Work orders 1/" "$1x$2: the work-order list"
	raw 1b 5b 34 7e
	expect "Work orders $total/$total" "$1x$2: ESC [ 4 ~ is End: the last row"
	expect_not "PM schedules" "$1x$2: ... and not the 4 that opens PM schedules"
	raw 1b 5b 31 7e
	expect "Work orders 1/" "$1x$2: ESC [ 1 ~ is Home: the first row"
	expect_not "My open work" "$1x$2: ... and not the 1 that goes Home"
	raw 1b 5b 34 3b 32 7e
	expect "Work orders $total/$total" "$1x$2: Shift+End (ESC [ 4 ; 2 ~) is End"
	raw 1b 5b 39 39 7e
	expect "Work orders $total/$total" "$1x$2: an unknown sequence (ESC [ 9 9 ~) does nothing"
	expect_not "PM schedules" "$1x$2: ... none of its bytes acts"
	keys Escape
	expect "My open work" "$1x$2: Esc alone still goes back"
	keys Q
	expect "EXITED 0" "$1x$2: Q quits"
done
finish
