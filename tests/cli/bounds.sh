# bounds.sh - numbers and dates outside what wrench accepts: refused on the
# command line and in CSV files with a message naming the field and the
# range, and, in a database another program filled with extreme dates,
# read so that every command finishes with sane output.
. "$(dirname "$0")/lib.sh"

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "bounds.sh: this test tampers with a database through the sqlite3 shell (Debian package sqlite3)" >&2
	exit 2
fi

export WRENCH_TODAY=2024-06-01

# ---- numbers on the command line
w init
printf 'tag,name\nP-1,Pump\n' >"$TMP/assets.csv"
w import assets "$TMP/assets.csv"
check_rc "import assets" 0
w wo new --asset P-1 --title "Seal" --est-hours 4
check_rc "wo new" 0
w wo new --asset P-1 --title "Huge" --est-hours 1e300
check_rc "wo new --est-hours 1e300" 1
assert_contains "est-hours bound" "$ERR" "--est-hours: 1e300 is out of range (0 to 10000 hours)"
w wo set WO-000001 --est-hours -2
check_rc "wo set --est-hours -2" 1
assert_contains "wo set names the field" "$ERR" "est-hours: -2 is out of range (0 to 10000 hours)"
w wo labor WO-000001 --minutes 20000
check_rc "wo labor --minutes 20000" 1
assert_contains "minutes bound" "$ERR" "--minutes: 20000 is out of range (1 to 14400 minutes)"
w wo labor WO-000001 --minutes 90
check_rc "wo labor --minutes 90" 0
w wo part WO-000001 --code BRG --qty 0
check_rc "wo part --qty 0" 1
assert_contains "qty bound" "$ERR" "--qty: 0 is out of range (more than 0, up to 1000000)"
w wo part WO-000001 --code BRG --qty 2 --cost 1e12
check_rc "wo part --cost 1e12" 1
assert_contains "cost bound" "$ERR" "--cost: 1e12 is out of range (0 to 1000000000)"
w rank --cost-planned 1e300 --cost-failure 5
check_rc "rank --cost-planned 1e300" 2
assert_contains "rank cost bound" "$ERR" "--cost-planned: 1e300 is out of range (0 to 1000000000)"
w wo show WO-000001 --format json
assert_eq "nothing half-written" "0" "$(printf '%s' "$OUT" | jq '.parts | length')"
assert_eq "the good labour is there" "90" "$(printf '%s' "$OUT" | jq '[.labor[].minutes] | add')"

# ---- numbers in CSV files
cat >"$TMP/wos.csv" <<'EOF'
number,title,asset,est_hours
W-1,Fine,P-1,3
W-2,Too long,P-1,1e300
EOF
w import workorders "$TMP/wos.csv"
check_rc "import 1e300 hours" 1
assert_contains "CSV est_hours bound with the line" "$ERR" \
	"wos.csv:3: est_hours: 1e+300 is out of range (0 to 10000 hours)"
w wo show W-1
check_rc "the good row was not imported either" 1

# ---- messages: a parent loop in one file, CR line ends, a long --search
printf 'tag,parent\nA,B\nB,A\nC,\n' >"$TMP/loop.csv"
w import assets "$TMP/loop.csv"
check_rc "import a parent loop" 1
assert_contains "loop named with its lines" "$ERR" "loop.csv:2: parent loop: A -> B -> A (lines 2, 3)"
assert_not_contains "not an unknown tag" "$ERR" "no asset with tag"
printf 'tag,criticality\rM-1,3\rM-2,9\rM-3,4\r' >"$TMP/mac.csv"
w import assets "$TMP/mac.csv"
check_rc "import a CR-only file with a bad row" 1
assert_contains "CR-only line number" "$ERR" "mac.csv:3: criticality"
printf 'tag,criticality\rM-1,3\rM-3,4\r' >"$TMP/mac.csv"
w import assets "$TMP/mac.csv"
check_rc "import a CR-only file" 0
LONG=$(head -c 60000 /dev/zero | tr '\0' x)
for cmd in "wo list" "asset list"; do
	for fmt in table csv json; do
		# shellcheck disable=SC2086
		w $cmd --search "$LONG" --format "$fmt"
		check_rc "$cmd --search 60000 bytes ($fmt)" 2
		assert_eq "$cmd ($fmt) prints nothing" "" "$OUT"
		assert_contains "$cmd ($fmt) names the limit" "$ERR" "longer than the 200 a search may have"
	done
done
w wo list --search "$(head -c 200 /dev/zero | tr '\0' x)"
check_rc "a 200-byte search" 0

# ---- dates in CSV files and on the command line
cat >"$TMP/history.csv" <<'EOF'
asset,date,event
P-1,2020-01-01,install
P-1,9999-12-31,failure
P-1,0001-01-01,failure
P-1,-2020-01-01,failure
P-1,1/1/1899,failure
P-1,2999-12-31,failure
EOF
w import history "$TMP/history.csv"
check_rc "import extreme dates" 1
assert_contains "year 9999 refused" "$ERR" \
	"history.csv:3: date: '9999-12-31' is outside the dates wrench accepts, 1900-01-01 to 2999-12-31"
assert_contains "year 1 refused" "$ERR" "history.csv:4: date: '0001-01-01' is outside the dates"
assert_contains "negative year refused" "$ERR" "history.csv:5: date: '-2020-01-01' is not a date"
assert_contains "US form refused" "$ERR" "history.csv:6: date: '1/1/1899' is outside the dates"
assert_not_contains "2999-12-31 accepted" "$ERR" "history.csv:7"
for args in "wo new --asset P-1 --title x --due 9999-01-01" "rank --at 0001-01-01" \
	"report mtbf --from 1899-12-31" "report mtbf --to 3000-01-01" \
	"backtest --from 9999-01-01 --to 9999-12-31" "backtest --from 2020-01-01 --to -1-01-01" \
	"rank --history-from 0001-01-01"; do
	# shellcheck disable=SC2086
	w $args
	[ "$RC" -ne 0 ] && pass || fail "$args: accepted"
	case "$ERR" in
	*"outside the dates wrench accepts"* | *"is not a date"*) pass ;;
	*) fail "$args: no date message" "$ERR" ;;
	esac
done
w backtest --from 2020-01-01 --to 2024-01-01 --every 1e300d
check_rc "backtest --every 1e300d" 2
assert_contains "every bound" "$ERR" "--every must be from one day to 100 years"

# ---- a database another program filled with extreme dates
DEMO="$TMP/demo.db"
run "$WRENCH" --db "$DEMO" demo --no-ui
check_rc "demo" 0
sqlite3 "$DEMO" "
UPDATE event SET at = 9223372036854775807 WHERE id = (SELECT min(id) FROM event WHERE kind = 1);
UPDATE event SET at = -9223372036854775808 WHERE id = (SELECT max(id) FROM event WHERE kind = 1);
UPDATE event SET at = 253402214400 WHERE id = (SELECT min(id) + 7 FROM event);
UPDATE asset SET install_date = -9223372036854775807 WHERE id IN (1, 2, 3);
UPDATE asset SET install_date = 9223372036854775807 WHERE id = 4;
UPDATE pm SET next_due = 9223372036854775807 WHERE id = 1;
UPDATE pm SET next_due = -9223372036854775808, start_date = -9223372036854775807 WHERE id = 2;
UPDATE pm SET start_date = 9223372036854775807, next_due = NULL WHERE id = 3;
UPDATE pm SET last_done = -9223372036854775807, next_due = NULL, floating = 1 WHERE id = 4;
UPDATE wo SET due_at = -9223372036854775808 WHERE id = 5;
UPDATE wo SET due_at = 9223372036854775807, created_at = -9223372036854775808 WHERE id = 6;
UPDATE wo SET downtime_start = -9223372036854775808, downtime_end = 9223372036854775807 WHERE id = 7;
UPDATE wo SET completed_at = 9223372036854775807, started_at = -9223372036854775808 WHERE id = 8;
UPDATE wo SET est_hours = 1e300 WHERE id = (SELECT max(id) FROM wo WHERE status = 1);
UPDATE reading SET at = -9223372036854775808 WHERE id = 1;
UPDATE reading SET at = 9223372036854775807 WHERE id = 2;
" && pass || fail "tampering the demo database"

# A hang would be killed by timeout (status 124); no duration is asserted.
tampered() {
	run timeout 120 "$WRENCH" --db "$DEMO" "$@"
	[ "$RC" -ne 124 ] && pass || fail "$*: did not finish"
	check_rc "$*" 0
}
tampered backtest --from 2023-06-01 --to 2024-06-01 --format json
assert_json "backtest json" "$OUT"
assert_eq "backtest has its cutoffs" "13" "$(printf '%s' "$OUT" | jq '.cutoffs | length')"
tampered backtest --from 2024-01-01 --to 2024-03-01 --horizon 1d
tampered rank --format json
assert_json "rank json" "$OUT"
tampered pm due --format json
assert_json "pm due json" "$OUT"
assert_eq "pm due dates are dates wrench accepts" "true" \
	"$(printf '%s' "$OUT" | jq 'all(.[]; .due == null or .due == "" or (.due >= "1900-01-01" and .due <= "2999-12-31 23:59:59"))')"
tampered pm generate
tampered pm list
tampered report settings --crew-hours 40 --rate 1e9
for r in mtbf mttr availability backlog pm-compliance planned schedule-compliance \
	backlog-weeks aging cost pareto trend; do
	tampered report "$r" --format json
	assert_json "report $r json" "$OUT"
done
tampered report backlog --format json
assert_eq "backlog total holds the 1e300 hours" "true" \
	"$(printf '%s' "$OUT" | jq '[.[] | select(.status == "TOTAL")][0].est_hours > 1e299')"
tampered wo show WO-000006 --format json
assert_eq "a due date past 2999 reads as the last accepted one" "2999-12-31 23:59:59" \
	"$(printf '%s' "$OUT" | jq -r .due)"
tampered wo list --limit 5
tampered asset list
tampered export history
tampered export workorders

finish
