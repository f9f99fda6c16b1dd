# reports.sh - reports on a small hand-made plant whose numbers are worked
# out by hand below, and the PM commands (list, due, generate) that feed
# the compliance report.
. "$(dirname "$0")/lib.sh"

export WRENCH_USER=tech

cat >"$TMP/assets.csv" <<'EOF'
tag,name,class,install_date
PUMP-1,Pump 1,pump,2024-01-01
PUMP-2,Pump 2,pump,2024-01-01
FAN-1,Fan 1,fan,2024-01-01
EOF
cat >"$TMP/pms.csv" <<'EOF'
code,title,asset,kind,interval,unit,floating,start_date,lead_days,est_hours,checklist
PM-1,Monthly pump check,PUMP-1,calendar,1,month,no,2024-01-05,0,1.5,"Check seal
Check vibration"
EOF

export WRENCH_TODAY=2024-01-01
w import assets "$TMP/assets.csv"
check_rc "import assets" 0
w import pms "$TMP/pms.csv"
check_rc "import pms" 0

# ---- PM: list, due, generate (twice), complete on time / late / never
w pm list --format json
check_rc "pm list json" 0
assert_json "pm list parses" "$OUT"
assert_eq "pm list next due" "2024-01-05" "$(printf '%s' "$OUT" | jq -r '.[0].next_due')"
assert_eq "pm list every" "1 month" "$(printf '%s' "$OUT" | jq -r '.[0].every')"
assert_eq "pm list est hours" "1.5" "$(printf '%s' "$OUT" | jq '.[0].est_hours')"
w pm due --format csv
check_rc "pm due" 0
assert_eq "nothing due on Jan 1" "0" "$(csv_rows "$OUT")"
w pm due --days 7 --format json
assert_eq "due within a week" "PM-1" "$(printf '%s' "$OUT" | jq -r '.[0].pm')"
assert_eq "not generated yet: null" "null" "$(printf '%s' "$OUT" | jq '.[0].wo')"
w pm due --days x
check_rc "pm due bad --days" 2

export WRENCH_TODAY=2024-01-05
w pm generate
check_rc "pm generate" 0
assert_eq "one created" "1 work order created" "$OUT"
w pm generate
check_rc "pm generate again" 0
assert_eq "second run creates nothing" "0 work orders created" "$OUT"
w wo list --type preventive --format json
PM1=$(printf '%s' "$OUT" | jq -r '.[0].number')
assert_eq "PM work order due on the schedule" "2024-01-05" "$(printf '%s' "$OUT" | jq -r '.[0].due')"
w wo show "$PM1" --format json
assert_eq "checklist copied" "2" "$(printf '%s' "$OUT" | jq '.checklist | length')"
assert_eq "linked to the PM" "PM-1" "$(printf '%s' "$OUT" | jq -r .pm)"
w pm due --format json
assert_eq "pm due shows the generated work order" "$PM1" "$(printf '%s' "$OUT" | jq -r '.[0].wo')"
w wo done "$PM1"
check_rc "PM done on its due day" 0
w pm list --format json
assert_eq "schedule advanced" "2024-02-05" "$(printf '%s' "$OUT" | jq -r '.[0].next_due')"

export WRENCH_TODAY=2024-02-05
w pm generate
assert_eq "February occurrence" "1 work order created" "$OUT"
w wo list --type preventive --status open --format json
PM2=$(printf '%s' "$OUT" | jq -r '.[0].number')
export WRENCH_TODAY=2024-02-07
w wo done "$PM2"
check_rc "PM done two days late" 0

export WRENCH_TODAY=2024-03-05
w pm generate
assert_eq "March occurrence" "1 work order created" "$OUT"

# ---- corrective failures with known downtime
export WRENCH_TODAY=2024-03-31
failure() { # asset start end
	w wo new --asset "$1" --title "Breakdown of $1"
	N=$OUT
	w wo set "$N" --failure yes --problem LEAK --downtime-start "$2" --downtime-end "$3"
	check_rc "set downtime on $N" 0
	w wo done "$N"
	check_rc "complete $N" 0
}
failure PUMP-1 "2024-01-10 08:00" "2024-01-10 12:00" # 4 h
failure PUMP-1 "2024-02-10 08:00" "2024-02-10 10:00" # 2 h
failure PUMP-2 "2024-03-01 00:00" "2024-03-01 06:00" # 6 h

# Open work for the backlog: two high (3 h and 2 h, one overdue), one request.
w wo new --asset FAN-1 --title "Guard loose" --priority high --est-hours 3 --due 2024-03-01
w wo new --asset FAN-1 --title "Noise" --priority high --est-hours 2 --due 2024-04-15
w wo new --asset PUMP-2 --title "Please check" --type request

# The period Jan 1 - Mar 31 2024 is 91 days = 2184 hours (a leap year).
P="--from 2024-01-01 --to 2024-03-31"

# mtbf: PUMP-1 (2184 - 6) / 2 = 1089 h; PUMP-2 (2184 - 6) / 1 = 2178 h;
# pooled 4356 / 3 = 1452 h.
w report mtbf $P --format json
check_rc "report mtbf" 0
assert_json "mtbf json" "$OUT"
J=$OUT
assert_eq "mtbf PUMP-1 failures" "2" "$(printf '%s' "$J" | jq '.rows[] | select(.asset=="PUMP-1") | .failures')"
assert_eq "mtbf PUMP-1" "1089" "$(printf '%s' "$J" | jq '.rows[] | select(.asset=="PUMP-1") | .mtbf_hours')"
assert_eq "mtbf PUMP-2" "2178" "$(printf '%s' "$J" | jq '.rows[] | select(.asset=="PUMP-2") | .mtbf_hours')"
assert_eq "mtbf pooled" "1452" "$(printf '%s' "$J" | jq '.total.mtbf_hours')"
# The total is beside the rows, not a row: no asset named TOTAL.
assert_eq "mtbf total not among the rows" "0" \
	"$(printf '%s' "$J" | jq '[.rows[] | select(.asset=="TOTAL")] | length')"
assert_eq "mtbf leaves out assets that never failed" "" \
	"$(printf '%s' "$J" | jq -r '.rows[] | select(.asset=="FAN-1") | .asset')"

# mttr: PUMP-1 (4 + 2) / 2 = 3 h; PUMP-2 6 h; pooled 12 / 3 = 4 h.
w report mttr $P --format json
check_rc "report mttr" 0
J=$OUT
assert_eq "mttr PUMP-1" "3" "$(printf '%s' "$J" | jq '.rows[] | select(.asset=="PUMP-1") | .mttr_hours')"
assert_eq "mttr PUMP-2" "6" "$(printf '%s' "$J" | jq '.rows[] | select(.asset=="PUMP-2") | .mttr_hours')"
assert_eq "mttr pooled" "4" "$(printf '%s' "$J" | jq '.total.mttr_hours')"

# availability: each pump 6 h down of 2184: 99.725 %, shown 99.73; over all
# three assets 1 - 12 / 6552 = 99.817 %, shown 99.82.
w report availability $P --format json
check_rc "report availability" 0
J=$OUT
assert_eq "availability PUMP-1" "99.73" \
	"$(printf '%s' "$J" | jq '.rows[] | select(.asset=="PUMP-1") | .availability_pct')"
assert_eq "availability downtime PUMP-2" "6" \
	"$(printf '%s' "$J" | jq '.rows[] | select(.asset=="PUMP-2") | .downtime_hours')"
assert_eq "availability total" "99.82" \
	"$(printf '%s' "$J" | jq '.total.availability_pct')"

# backlog: open/high 2 orders, 5 h, 1 overdue; requested 1; plus the March PM.
w report backlog --format json
check_rc "report backlog" 0
J=$OUT
assert_eq "backlog open high count" "2" \
	"$(printf '%s' "$J" | jq '.rows[] | select(.status=="open" and .priority=="high") | .count')"
assert_eq "backlog open high hours" "5" \
	"$(printf '%s' "$J" | jq '.rows[] | select(.status=="open" and .priority=="high") | .est_hours')"
assert_eq "backlog open high overdue" "1" \
	"$(printf '%s' "$J" | jq '.rows[] | select(.status=="open" and .priority=="high") | .overdue')"
assert_eq "backlog requested" "1" \
	"$(printf '%s' "$J" | jq '[.rows[] | select(.status=="requested") | .count] | add')"

# pm-compliance: January on time, February late, March not done: 1 of 3.
w report pm-compliance $P --format csv
check_rc "report pm-compliance csv" 0
C=$(printf '%s' "$OUT" | tr -d '\r')
assert_contains "January on time" "$C" "2024-01,1,1,0,0,100.0"
assert_contains "February late" "$C" "2024-02,1,0,1,0,0.0"
assert_contains "March not done" "$C" "2024-03,1,0,0,1,0.0"
assert_contains "total" "$C" "TOTAL,3,1,1,1,33.3"

# class and asset filters
w report mtbf $P --class fan --format json
assert_eq "class filter leaves no fan failures" "0" \
	"$(printf '%s' "$OUT" | jq '.rows | length')"
w report mttr $P --asset PUMP-2 --format json
assert_eq "asset filter" "PUMP-2" "$(printf '%s' "$OUT" | jq -r '.rows[0].asset')"

# table output and errors
w report mtbf $P
check_rc "report table" 0
assert_contains "table header" "$OUT" "mtbf_hours"
w report mtbf --from 2024-03-01 --to 2024-01-01
check_rc "--to before --from" 2
w report mtbf --from yesterday-ish
check_rc "bad date" 2
w report
check_rc "report without a name" 2

finish
