#!/usr/bin/env bash
# While an import holds the database, saving a work order waits for it and
# the message line says what it is waiting for (the screen does not freeze
# without a word); once the import ends, the save goes through.  And the
# interface does not create a database that is not there.
source "$(dirname "$0")/lib.sh"

w init >/dev/null || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }
printf 'tag,name\nA-1,First pump\n' >"$T_DIR/assets.csv"
w import assets "$T_DIR/assets.csv" >/dev/null || { echo "0 passed, 1 failed"; exit 1; }

# An import from a named pipe takes the write lock, then waits for the pipe
# to be written: it holds the database for as long as the test wants.
mkfifo "$T_DIR/hold.csv"
"$WRENCH" --db "$DB" import assets "$T_DIR/hold.csv" >"$T_DIR/imp.out" 2>&1 &
IMP=$!
check "the import holds the database" retry test -s "$DB.lock-info"

start 80 24
expect "My open work" "home opens beside the import"
keys c
expect "New work order" "c opens the quick-create form"
keys "Pump rattles"
keys Enter
keys A-1
keys Enter
keys Enter
keys Enter
# The message line is the screen's next to last row; nothing of the wait
# may reach the screen any other way (as text written to stderr would).
msg_says_waiting() {
	screen | sed -n 23p | grep -qF "waiting for an import in progress (pid $IMP"
}
if retry msg_says_waiting; then
	pass "the message line says the save waits for the import"
else
	fail "no word of the wait in the message line"
fi
expect_not "wrench: ui:" "the wait is not written over the screen"

printf 'tag,name\nB-1,Second pump\n' >"$T_DIR/hold.csv"
check "the import finishes" wait "$IMP"
if wait_for "Created WO-" 60; then
	pass "the save goes through once the import is done"
else
	fail "the save did not go through"
fi
check "the database has it" bash -c "\"$WRENCH\" --db \"$DB\" wo list --search 'Pump rattles' --format csv | grep -q 'Pump rattles'"
keys q
keys q

# No database: the interface says how to make one and creates nothing.
new_session 80 24 "env TERM=xterm-256color \"$WRENCH\" --db \"$T_DIR/none.db\" ui"
expect "no database at $T_DIR/none.db" "ui without a database says so"
expect "EXITED 1" "ui without a database exits with status 1"
check "ui created no database" test ! -e "$T_DIR/none.db"

finish
