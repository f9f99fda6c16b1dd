# wo.sh - work orders through the CLI: create, change, the whole lifecycle,
# notes, labour, parts, listing with filters in every format, and errors.
. "$(dirname "$0")/lib.sh"

export WRENCH_TODAY=2024-05-20
export WRENCH_USER=alice

w init
check_rc "init" 0
cat >"$TMP/assets.csv" <<'EOF'
tag,name,class,criticality
P-1,Feed pump,pump,4
P-2,Spare pump,pump,2
F-1,"Fan, roof",fan,3
EOF
w import assets "$TMP/assets.csv"
check_rc "import assets" 0

# ---- wo new prints the number and nothing else
w wo new --asset P-1 --title "Seal leaking" --priority high --assignee bob --due 2024-05-22 \
	--description "Drips at the gland"
check_rc "wo new" 0
N1=$OUT
case "$N1" in
WO-[0-9]*) pass ;;
*) fail "wo new printed '$N1', not a work-order number" ;;
esac
w wo new --asset F-1 --title "Belt squeal" --type inspection --priority low --due 2024-05-01
check_rc "wo new (overdue inspection)" 0
N2=$OUT
w wo new --asset P-2 --title "Paint" --priority 1
check_rc "wo new priority by number" 0
N3=$OUT
w wo new --asset P-1 --title "Operator request" --type request
check_rc "wo new request" 0
N4=$OUT
[ "$N1" != "$N2" ] && [ "$N2" != "$N3" ] && pass || fail "numbers are not unique"

w wo show "$N1" --format json
check_rc "wo show json" 0
assert_json "wo show json parses" "$OUT"
assert_eq "title kept" "Seal leaking" "$(printf '%s' "$OUT" | jq -r .title)"
assert_eq "priority kept" "high" "$(printf '%s' "$OUT" | jq -r .priority)"
assert_eq "assignee kept" "bob" "$(printf '%s' "$OUT" | jq -r .assignee)"
assert_eq "due kept" "2024-05-22" "$(printf '%s' "$OUT" | jq -r .due)"
assert_eq "status starts open" "open" "$(printf '%s' "$OUT" | jq -r .status)"
assert_eq "description kept" "Drips at the gland" "$(printf '%s' "$OUT" | jq -r .description)"
w wo show "$N4" --format json
assert_eq "a request starts as requested" "requested" "$(printf '%s' "$OUT" | jq -r .status)"

# ---- wo new errors
w wo new --title "No asset"
check_rc "wo new without --asset" 2
w wo new --asset P-1
check_rc "wo new without --title" 2
w wo new --asset NOPE --title x
check_rc "wo new on an unknown asset" 1
assert_contains "unknown asset named" "$ERR" "NOPE"
w wo new --asset P-1 --title x --priority extreme
check_rc "wo new with a bad priority" 1
assert_contains "bad priority lists choices" "$ERR" "urgent"
w wo new --asset P-1 --title x --due 2024-13-45
check_rc "wo new with a bad date" 1
w wo list --format csv
assert_eq "failed wo new wrote nothing" "4" "$(csv_rows "$OUT")"

# ---- wo set: several fields at once, all or nothing
w wo set "$N1" --title "Mechanical seal leaking" --priority urgent --problem LEAK --est-hours 2.5
check_rc "wo set several fields" 0
w wo show "$N1" --format json
assert_eq "set title" "Mechanical seal leaking" "$(printf '%s' "$OUT" | jq -r .title)"
assert_eq "set priority" "urgent" "$(printf '%s' "$OUT" | jq -r .priority)"
assert_eq "set problem" "LEAK" "$(printf '%s' "$OUT" | jq -r .problem)"
assert_eq "set est-hours" "2.5" "$(printf '%s' "$OUT" | jq -r .est_hours)"
w wo set "$N1" --title "Should not stick" --due not-a-date
check_rc "wo set with one bad value" 1
w wo show "$N1" --format json
assert_eq "a failed wo set changes nothing" "Mechanical seal leaking" \
	"$(printf '%s' "$OUT" | jq -r .title)"
w wo set "$N1" --prio high
check_rc "wo set unknown field" 2
assert_contains "unknown field message" "$ERR" "unknown field 'prio'; valid: title, type"
w wo set "$N1"
check_rc "wo set without fields" 2
w wo set WO-999999 --title x
check_rc "wo set on an unknown work order" 1
w wo set "$N1" --downtime-start "2024-05-19 08:00" --downtime-end "2024-05-19 07:00"
check_rc "downtime ending before it starts" 1

# ---- lifecycle: requested -> open -> in_progress -> on_hold -> in_progress -> done -> closed
w wo start "$N4"
check_rc "a request cannot start before approval" 1
assert_contains "refusal says what is allowed" "$ERR" "requested"
w wo open "$N4"
check_rc "wo open approves a request" 0
assert_eq "wo open output" "$N4: requested -> open" "$OUT"
w wo start "$N1"
check_rc "wo start" 0
assert_eq "wo start output" "$N1: open -> in_progress" "$OUT"
w wo hold "$N1"
check_rc "wo hold" 0
w wo start "$N1"
check_rc "wo start again from hold" 0
w wo note "$N1" Replaced the seal, "no leak" at full pressure
check_rc "wo note" 0
w wo labor "$N1" --minutes 90 --note "seal change"
check_rc "wo labor" 0
w wo part "$N1" --code MS-35 --qty 1 --cost 310.50 --description "Mechanical seal"
check_rc "wo part" 0
w wo done "$N1" --cause SEAL --remedy REPL --failure yes \
	--downtime-start "2024-05-19 08:00" --downtime-end "2024-05-19 12:30" --note "Tested OK"
check_rc "wo done with codes" 0
assert_eq "wo done output" "$N1: in_progress -> done" "$OUT"
w wo show "$N1" --format json
J=$OUT
assert_eq "done status" "done" "$(printf '%s' "$J" | jq -r .status)"
assert_eq "done cause" "SEAL" "$(printf '%s' "$J" | jq -r .cause)"
assert_eq "done failure flag" "true" "$(printf '%s' "$J" | jq -r .failure)"
assert_eq "completed by the acting user" "alice" "$(printf '%s' "$J" | jq -r .completed_by)"
assert_eq "two notes" "2" "$(printf '%s' "$J" | jq '.notes | length')"
assert_eq "note words joined" "Replaced the seal, no leak at full pressure" \
	"$(printf '%s' "$J" | jq -r '.notes[0].body')"
assert_eq "labour minutes" "90" "$(printf '%s' "$J" | jq '.labor[0].minutes')"
assert_eq "labour user" "alice" "$(printf '%s' "$J" | jq -r '.labor[0].user')"
assert_eq "part qty" "1" "$(printf '%s' "$J" | jq '.parts[0].qty')"
assert_eq "part cost" "310.5" "$(printf '%s' "$J" | jq '.parts[0].unit_cost')"
w asset show P-1
assert_contains "the failure reached the asset history" "$OUT" "failure"
assert_contains "history names the work order" "$OUT" "$N1"
w wo show "$N1"
check_rc "wo show text" 0
assert_contains "text show has labour" "$OUT" "Labour:"
assert_contains "text show has parts" "$OUT" "MS-35"
assert_contains "text show has notes" "$OUT" "Tested OK"
w wo reopen "$N1"
check_rc "wo reopen" 0
assert_eq "reopen output" "$N1: done -> in_progress" "$OUT"
w wo done "$N1"
check_rc "done again" 0
w wo close "$N1"
check_rc "wo close" 0
w wo start "$N1"
check_rc "closed is final" 1
w wo reopen "$N3"
check_rc "reopen needs done work" 1
assert_contains "reopen refusal explained" "$ERR" "only done work orders"

# ---- several numbers: all or none
w wo cancel "$N3" WO-999999
check_rc "cancel with one unknown number" 1
w wo show "$N3" --format json
assert_eq "nothing cancelled when one number fails" "open" "$(printf '%s' "$OUT" | jq -r .status)"
w wo cancel "$N3"
check_rc "wo cancel" 0

# ---- labour, parts and notes errors
w wo labor "$N2"
check_rc "wo labor without a mode" 2
w wo labor "$N2" --minutes -5
check_rc "negative minutes" 1
w wo labor "$N2" --minutes abc
check_rc "non-numeric minutes" 1
w wo labor "$N2" --start
check_rc "start a timer" 0
w wo labor "$N2" --stop
check_rc "stop the timer" 0
assert_contains "timer stop reports minutes" "$OUT" "min recorded"
w wo part "$N2" --qty 1
check_rc "wo part without --code" 2
w wo part "$N2" --code X --qty 0
check_rc "wo part with zero qty" 1
w wo part "$N2" --code X --qty lots
check_rc "wo part with non-numeric qty" 1
w wo note "$N2" "   "
check_rc "empty note" 2
w wo note WO-999999 hello
check_rc "note on an unknown work order" 1

# ---- list filters
w wo list --format csv
check_rc "wo list csv" 0
assert_eq "all four listed" "4" "$(csv_rows "$OUT")"
assert_contains "csv header" "$OUT" "number,type,status,priority,asset,assignee,due,created,title"
# One line end for every CSV wrench writes (include/writers.h): LF.
assert_eq "csv rows end with LF, no CR" "0" "$(printf '%s' "$OUT" | tr -cd '\r' | wc -c | tr -d ' ')"
w wo list --status closed --format csv
assert_eq "status filter" "1" "$(csv_rows "$OUT")"
w wo list --status open,cancelled --format csv
assert_eq "status list filter" "3" "$(csv_rows "$OUT")"
w wo list --status active --format csv
assert_eq "active filter" "2" "$(csv_rows "$OUT")"
w wo list --asset P-1 --format csv
assert_eq "asset filter" "2" "$(csv_rows "$OUT")"
w wo list --assignee bob --format csv
assert_eq "assignee filter" "1" "$(csv_rows "$OUT")"
w wo list --priority low --format csv
assert_eq "priority filter" "2" "$(csv_rows "$OUT")"
w wo list --type inspection --format csv
assert_eq "type filter" "1" "$(csv_rows "$OUT")"
w wo list --overdue --format json
assert_json "overdue json" "$OUT"
assert_eq "overdue filter" "$N2" "$(printf '%s' "$OUT" | jq -r '.[].number')"
w wo list --search belt --format csv
assert_eq "search filter" "1" "$(csv_rows "$OUT")"
w wo list --limit 2 --format json
assert_eq "limit" "2" "$(printf '%s' "$OUT" | jq length)"
w wo list --format json
assert_json "wo list json" "$OUT"
assert_eq "json newest first" "$N4" "$(printf '%s' "$OUT" | jq -r '.[0].number')"
assert_eq "json keys" '["asset","assignee","created","due","number","priority","status","title","type"]' \
	"$(printf '%s' "$OUT" | jq -c '.[0] | keys')"
w wo list --status bogus
check_rc "unknown status filter" 2
w wo list --priority extreme
check_rc "unknown priority filter" 2
w wo list
check_rc "wo list table" 0
assert_contains "table header" "$OUT" "number"
assert_contains "table row" "$OUT" "Belt squeal"

# ---- timer rules: one timer per person, none on finished work, booked on completion
w wo new --asset P-1 --title "Timer one"
T1=$OUT
w wo new --asset P-1 --title "Timer two"
T2=$OUT
w wo labor "$T1" --start
check_rc "start a timer on open work" 0
w wo labor "$T2" --start
check_rc "a second timer for the same user is refused" 1
assert_contains "the refusal names the running timer" "$ERR" "running on $T1"
assert_contains "the refusal says how to switch" "$ERR" "--switch"
w wo labor "$T2" --start --switch
check_rc "--switch stops the first timer and starts the second" 0
assert_contains "--switch says the first was recorded" "$OUT" "$T1: timer stopped, 1 min recorded for alice"
assert_contains "--switch says the second started" "$OUT" "$T2: timer started for alice"
w wo labor "$T1" --stop
check_rc "the first timer no longer runs" 1
w wo labor "$T1" --switch --minutes 5
check_rc "--switch without --start" 2
w wo done "$T2"
check_rc "wo done with a running timer" 0
assert_contains "wo done says it stopped and recorded the timer" "$OUT" \
	"$T2: running timer of alice stopped, 1 min recorded"
w wo show "$T2" --format json
assert_eq "the timer's minutes are booked" "1" "$(printf '%s' "$OUT" | jq '[.labor[] | select(.minutes > 0)] | length')"
w wo show "$T2"
assert_not_contains "no timer runs on done work" "$OUT" "timer running"
w wo labor "$T2" --start
check_rc "no timer on done work" 1
assert_contains "done work: reopen it first" "$ERR" "reopen"
w wo close "$T2"
w wo labor "$T2" --start
check_rc "no timer on closed work" 1
assert_contains "closed work is named" "$ERR" "$T2 is closed"
w wo labor "$T1" --start
w wo cancel "$T1"
assert_contains "wo cancel stops and records the timer" "$OUT" "$T1: running timer of alice stopped"
w wo labor "$T1" --start
check_rc "no timer on cancelled work" 1
assert_contains "cancelled work is named" "$ERR" "$T1 is cancelled"

# ---- WRENCH_REQUIRE_CODES=1: corrective work is completed only with its codes
w wo new --asset P-1 --title "Needs codes"
T3=$OUT
WRENCH_REQUIRE_CODES=1 w wo done "$T3" --problem LEAK
check_rc "codes required: done without cause and remedy is refused" 1
assert_contains "the refusal names the missing codes" "$ERR" "cause, remedy codes"
w wo show "$T3" --format json
assert_eq "nothing was written" "open" "$(printf '%s' "$OUT" | jq -r .status)"
WRENCH_REQUIRE_CODES=1 w wo done "$T3" --problem LEAK --cause WEAR --remedy REPLACE
check_rc "codes required: done with all three codes" 0

# ---- hostile text: quotes and commas in CSV, escapes in JSON; into a pipe
# the stored bytes are kept (on a terminal they are not: termsafe.sh)
w wo new --asset P-2 --title "$(printf 'Say "hi", then\033[2J=cmd')"
check_rc "wo new with awkward title" 0
N5=$OUT
w wo list --search Say --format csv
assert_contains "csv quotes and doubles quotes" "$OUT" '"Say ""hi"", then'
w wo list --search Say --format json
assert_json "json with control characters" "$OUT"
assert_eq "json round-trips the title" "$(printf 'Say "hi", then\033[2J=cmd')" \
	"$(printf '%s' "$OUT" | jq -r '.[0].title')"
w wo list --search Say
assert_contains "table output into a pipe keeps the escape" "$OUT" "$(printf 'then\033[2J=cmd')"
w wo show "$N5"
assert_contains "show output into a pipe keeps the escape" "$OUT" "$(printf 'then\033[2J=cmd')"
w wo new --asset P-2 --title "=SUM(A1)"
w wo list --search SUM --format csv
assert_contains "formula neutralised in csv" "$OUT" "'=SUM(A1)"

finish
