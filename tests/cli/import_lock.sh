# import_lock.sh - other wrench processes during a large import.  A file of
# 8 MiB or more is bulk-loaded with a rollback journal, which shuts out
# readers as well as writers.  The others wait for it, say so after a
# second, and all succeed once it is done; one that may not wait long fails
# with a message naming the import.
#
# The import is stopped (SIGSTOP) as soon as it holds the database, so the
# others meet a held lock however fast or slow the machine is; it is
# continued once every waiter has said it is waiting.
. "$(dirname "$0")/lib.sh"

export WRENCH_TODAY=2024-09-01
WAITERS=6

w init
check_rc "init" 0
printf 'tag,name\nA-1,First\n' >"$TMP/assets.csv"
w import assets "$TMP/assets.csv"
check_rc "import assets" 0

# About 9 MiB of assets with a long description each.
awk 'BEGIN {
	print "tag,name,description"
	d = sprintf("%0200d", 0)
	for (i = 1; i <= 42000; i++)
		printf "BIG-%06d,Asset %d,%s\n", i, i, d
}' >"$TMP/big.csv"
size=$(wc -c <"$TMP/big.csv" | tr -d ' ')
[ "$size" -ge $((8 << 20)) ] && pass || fail "the CSV is too small for a bulk load: $size bytes"

# poll SECONDS COMMAND...: true as soon as COMMAND is, false after SECONDS.
poll() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.01
	done
}
held() { [ -s "$DB.lock-info" ]; }
journal_mode_byte() { od -An -tu1 -j18 -N1 "$DB" | tr -d ' '; }
# bg NAME CMD...: runs CMD in the background, its output in $TMP/NAME.out
# and .err and its exit status in $TMP/NAME.rc (a status file, not `wait
# PID`: a pid may be reused while the test polls).
bg() {
	local name=$1
	shift
	("$@" >"$TMP/$name.out" 2>"$TMP/$name.err"; echo $? >"$TMP/$name.rc") &
}
# result NAME: RC, OUT and ERR of a finished bg command.
result() {
	RC=$(cat "$TMP/$1.rc" 2>/dev/null || echo "no status")
	OUT=$(cat "$TMP/$1.out")
	ERR=$(cat "$TMP/$1.err")
}

# Start the import and stop it while it holds the database (its note,
# written once it holds the lock, names its pid).  Should it finish before
# it is caught (the note is removed at its end), the next attempt imports a
# fresh set of tags.
IMP=
for attempt in 1 2 3; do
	sed "s/^BIG-/B$attempt-/" "$TMP/big.csv" >"$TMP/big$attempt.csv"
	rm -f "$TMP/imp.rc"
	pid=
	bg imp "$WRENCH" --db "$DB" import assets "$TMP/big$attempt.csv"
	if poll 120 held && pid=$(cut -d' ' -f1 "$DB.lock-info") && kill -STOP "$pid" 2>/dev/null &&
		held; then
		IMP=$pid
		break
	fi
	[ -n "${pid:-}" ] && kill -CONT "$pid" 2>/dev/null
	poll 600 test -s "$TMP/imp.rc"
done
if [ -z "$IMP" ]; then
	fail "could not catch the import while it held the database"
	finish
	exit
fi
pass
assert_eq "the bulk load left WAL for a rollback journal" 1 "$(journal_mode_byte)"
HOLDER="an import in progress (pid $IMP, started at "

# One that may not wait long gives up, naming the import; a reader too.
run "$WRENCH" --db "$DB" --wait 0.3 wo new --asset A-1 --title "impatient"
check_rc "a writer with --wait 0.3" 1
assert_contains "the writer names the import" "$ERR" "locked by $HOLDER"
assert_contains "the writer says how to wait longer" "$ERR" "--wait SECONDS"
WRENCH_BUSY_TIMEOUT=0.3 run "$WRENCH" --db "$DB" wo list
check_rc "a reader with WRENCH_BUSY_TIMEOUT=0.3" 1
assert_contains "the reader names the import" "$ERR" "locked by $HOLDER"
run "$WRENCH" --db "$DB" --wait soon wo list
check_rc "a malformed --wait" 2

# The patient ones: writers, and readers (the rollback journal shuts them
# out too).  A wait generous for any machine.
export WRENCH_BUSY_TIMEOUT=600
for i in $(seq 1 $WAITERS); do
	bg "w$i" "$WRENCH" --db "$DB" wo new --asset A-1 --title "waiter $i"
done
bg r "$WRENCH" --db "$DB" asset show A-1
all_told() {
	local f
	for f in "$TMP"/w*.err "$TMP/r.err"; do
		grep -qF "waiting for $HOLDER" "$f" || return 1
	done
}
if poll 120 all_told; then
	pass
else
	fail "not every waiter said it was waiting" "$(cat "$TMP"/w*.err "$TMP/r.err")"
fi

kill -CONT "$IMP"
wait
result imp
check_rc "the import" 0
assert_contains "the import inserted every row" "$OUT" "42000 inserted"
for i in $(seq 1 $WAITERS); do
	result "w$i"
	check_rc "waiting writer $i" 0
	assert_contains "waiting writer $i printed its number" "$OUT" "WO-"
done
result r
check_rc "the waiting reader" 0
assert_contains "the waiting reader read" "$OUT" "A-1"

w wo list --format json
check_rc "list afterwards" 0
assert_eq "every waiter's work order, once" "$WAITERS" \
	"$(printf '%s' "$OUT" | jq '[.[] | select(.title | startswith("waiter "))] | length')"
assert_eq "the impatient one wrote nothing" 0 \
	"$(printf '%s' "$OUT" | jq '[.[] | select(.title == "impatient")] | length')"
assert_eq "numbers unique" "$WAITERS" "$(printf '%s' "$OUT" | jq '[.[].number] | unique | length')"
assert_eq "back in WAL mode" 2 "$(journal_mode_byte)"
[ ! -e "$DB.lock-info" ] && pass || fail "the import left its note behind"

finish
