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


# ---- the SMRP-style measures, the scope options and the settings
# Sites: PUMP-1 in AREA-1 below SITE-A, FAN-1 at SITE-A, PUMP-2 at SITE-B.
cat >"$TMP/locations.csv" <<'EOF'
code,name,kind,parent
SITE-A,Site A,site,
AREA-1,Area 1,area,SITE-A
SITE-B,Site B,site,
EOF
cat >"$TMP/assets2.csv" <<'EOF'
tag,name,class,install_date,location
PUMP-1,Pump 1,pump,2024-01-01,AREA-1
PUMP-2,Pump 2,pump,2024-01-01,SITE-B
FAN-1,Fan 1,fan,2024-01-01,SITE-A
EOF
w import locations "$TMP/locations.csv"
check_rc "import locations" 0
w import assets "$TMP/assets2.csv"
check_rc "assets placed at their sites" 0

wo_number() { # title
	w wo list --search "$1" --format csv
	printf '%s\n' "$OUT" | tr -d '\r' | sed -n 2p | cut -d, -f1
}
GUARD=$(wo_number "Guard loose")
ASK=$(wo_number "Please check")
w wo list --type preventive --status open --format csv
PM3=$(printf '%s\n' "$OUT" | tr -d '\r' | sed -n 2p | cut -d, -f1)

# Labour today (March 31): tech 2 h on the March PM and 1 h on "Guard
# loose" (estimated: planned), other 1.5 h on the request (unplanned).
w wo labor "$PM3" --minutes 120
check_rc "labour on the PM" 0
w wo labor "$GUARD" --minutes 60
check_rc "labour on planned corrective work" 0
w --user other wo labor "$ASK" --minutes 90
check_rc "labour on the request" 0
w wo part "$GUARD" --code GUARD --qty 2 --cost 12.5
check_rc "part with a cost" 0

# Settings: none yet; then a default rate, tech's own rate and the crew.
w report settings --format csv
check_rc "report settings, empty" 0
assert_eq "no settings yet" "0" "$(csv_rows "$OUT")"
w report backlog-weeks
check_rc "backlog-weeks without the crew's capacity" 1
assert_contains "says how to set the crew" "$ERR" "--crew-hours"
w report settings --rate 20 --person-rate tech=50 --crew-hours 40 --format csv
check_rc "report settings set" 0
C=$(printf '%s' "$OUT" | tr -d '\r')
assert_contains "crew hours set" "$C" "crew_hours,,40"
assert_contains "default rate set" "$C" "rate,,20"
assert_contains "person rate set" "$C" "person_rate,tech,50"
w report settings --rate 25 --crew-hours abc
check_rc "bad crew hours" 2
w report settings --rate 25 --crew-hours 0
check_rc "crew of zero hours" 1
w report settings --format csv
assert_contains "a refused change writes nothing" "$(printf '%s' "$OUT" | tr -d '\r')" "rate,,20"
w report settings --person-rate tech
check_rc "person rate without a value" 2
w report settings --team-rate mech=30 --format csv
assert_contains "team rate set" "$(printf '%s' "$OUT" | tr -d '\r')" "team_rate,mech,30"
w report settings --team-rate mech=none --format csv
assert_not_contains "none removes a rate" "$OUT" "mech"

# Every report in every format, with every scope option.
for r in mtbf mttr availability backlog pm-compliance planned schedule-compliance \
	backlog-weeks aging cost pareto trend; do
	w report "$r" $P
	check_rc "report $r table" 0
	w report "$r" $P --format csv
	check_rc "report $r csv" 0
	assert_contains "report $r csv has a header" "$(printf '%s' "$OUT" | head -1)" ","
	w report "$r" $P --format json
	check_rc "report $r json" 0
	assert_json "report $r json" "$OUT"
	w report "$r" $P --site SITE-A --class pump --format csv
	check_rc "report $r --site --class" 0
	w report "$r" $P --asset PUMP-1 --format csv
	check_rc "report $r --asset" 0
	w report "$r" $P --site NOWHERE
	check_rc "report $r unknown site" 1
	assert_contains "report $r names the site" "$ERR" "NOWHERE"
	w report "$r" $P --format xml
	check_rc "report $r bad format" 2
done

# planned: 2 h (PM) + 1 h (estimated) planned, 1.5 h not: 66.7 %.
w report planned $P --format csv
C=$(printf '%s' "$OUT" | tr -d '\r')
assert_contains "planned March" "$C" "2024-03,3.00,1.50,4.50,66.7"
assert_contains "planned total" "$C" "TOTAL,3.00,1.50,4.50,66.7"
w report planned $P --site SITE-B --format csv
assert_contains "planned at SITE-B: the request only" "$(printf '%s' "$OUT" | tr -d '\r')" \
	"TOTAL,0.00,1.50,1.50,0.0"

# schedule-compliance: PM Jan 5 done that day; PM Feb 5 (a Monday) done Feb 7,
# in its week; the March PM and "Guard loose" (due Mar 1) not done.
# Hours: 1.5 + 1.5 of 1.5 + 1.5 + 1.5 + 3 = 40 %.
w report schedule-compliance $P --format csv
C=$(printf '%s' "$OUT" | tr -d '\r')
assert_contains "schedule Jan" "$C" "2024-01,1,1,0,0,100.0,1.50,100.0"
assert_contains "schedule Feb" "$C" "2024-02,1,1,0,0,100.0,1.50,100.0"
assert_contains "schedule Mar" "$C" "2024-03,2,0,0,2,0.0,4.50,0.0"
assert_contains "schedule total" "$C" "TOTAL,4,2,0,2,50.0,7.50,40.0"
w report schedule-compliance $P --class fan --format csv
assert_contains "schedule for fans" "$(printf '%s' "$OUT" | tr -d '\r')" "TOTAL,1,0,0,1,0.0,3.00,0.0"

# backlog as of --to: on Feb 6 the February PM (raised Feb 5, done Feb 7)
# was open, and overdue (due Feb 5).
w report backlog --to 2024-02-06 --format csv
C=$(printf '%s' "$OUT" | tr -d '\r')
assert_contains "backlog as of Feb 6" "$C" "open,medium,1,1.50,1"
assert_contains "backlog total as of Feb 6" "$C" "TOTAL,,1,1.50,1"
w report backlog --from 2024-02-06 --to 2024-02-06 --format csv
assert_contains "backlog of work raised since --from" "$(printf '%s' "$OUT" | tr -d '\r')" \
	"TOTAL,,0,0.00,0"
w report backlog --site SITE-B --format csv
assert_contains "backlog at SITE-B: the request" "$(printf '%s' "$OUT" | tr -d '\r')" \
	"TOTAL,,1,0.00,0"

# backlog-weeks: nothing open at the end of February; at the end of March
# the PM (1.5 h), "Guard loose" (3 h), "Noise" (2 h) and the request (no
# estimate): 6.5 h / 40 h a week.
w report backlog-weeks --from 2024-02-01 --to 2024-03-31 --format csv
C=$(printf '%s' "$OUT" | tr -d '\r')
assert_contains "backlog weeks Feb" "$C" "2024-02,2024-02-29,0,0.00,0,40.00,0.00"
assert_contains "backlog weeks Mar" "$C" "2024-03,2024-03-31,4,6.50,1,40.00,0.16"

# aging: the March PM was raised on Mar 5, the other three today.
w report aging --format csv
C=$(printf '%s' "$OUT" | tr -d '\r')
assert_contains "aging 0-7" "$C" "0-7,3,5.00,75.0"
assert_contains "aging 8-30" "$C" "8-30,1,1.50,25.0"
assert_contains "aging total" "$C" "TOTAL,4,6.50,100.0"

# cost: tech 3 h at 50, other 1.5 h at the default 20, two guards at 12.50.
w report cost $P --format csv
C=$(printf '%s' "$OUT" | tr -d '\r')
assert_contains "cost FAN-1" "$C" "FAN-1,1.00,50.00,25.00,75.00"
assert_contains "cost PUMP-1" "$C" "PUMP-1,2.00,100.00,0.00,100.00"
assert_contains "cost PUMP-2" "$C" "PUMP-2,1.50,30.00,0.00,30.00"
assert_contains "cost total" "$C" "TOTAL,4.50,180.00,25.00,205.00"
w report cost $P --by class --format csv
C=$(printf '%s' "$OUT" | tr -d '\r')
assert_contains "cost by class header" "$C" "class,labour_hours"
assert_contains "cost of pumps" "$C" "pump,3.50,130.00,0.00,130.00"
w report cost $P --by month --format csv
assert_contains "cost by month" "$(printf '%s' "$OUT" | tr -d '\r')" "2024-03,4.50,180.00,25.00,205.00"
w report cost $P --site SITE-A --format csv
assert_contains "cost at SITE-A (and AREA-1 below it)" "$(printf '%s' "$OUT" | tr -d '\r')" \
	"TOTAL,3.00,150.00,25.00,175.00"
w report cost --from 2024-01-01 --to 2024-02-29 --format csv
assert_contains "no cost before March" "$(printf '%s' "$OUT" | tr -d '\r')" "TOTAL,0.00,0.00,0.00,0.00"

# pareto: three LEAK failures, PUMP-1 twice (4 + 2 h), PUMP-2 once (6 h).
w report pareto $P --format csv
C=$(printf '%s' "$OUT" | tr -d '\r')
assert_contains "pareto by problem" "$C" "LEAK,3,12.00,0.00,100.0,100.0"
w report pareto $P --by asset --format csv
C=$(printf '%s' "$OUT" | tr -d '\r')
assert_contains "pareto bad actor" "$(printf '%s' "$C" | sed -n 2p)" "PUMP-1,2,6.00,0.00,66.7,66.7"
assert_contains "pareto second" "$(printf '%s' "$C" | sed -n 3p)" "PUMP-2,1,6.00,0.00,33.3,100.0"
w report pareto $P --by asset --rank downtime --top 1 --format csv
assert_eq "pareto --top 1: one group and the total" "2" "$(csv_rows "$OUT")"
w report pareto $P --by month --format csv
C=$(printf '%s' "$OUT" | tr -d '\r')
assert_contains "pareto by month" "$C" "2024-03,1,6.00,0.00,33.3,100.0"
w report pareto --from 2024-02-01 --to 2024-03-31 --format csv
assert_contains "pareto over Feb-Mar" "$(printf '%s' "$OUT" | tr -d '\r')" "TOTAL,2,8.00"

# trend: one row a month; failures and cost by month.
w report trend $P --format csv
C=$(printf '%s' "$OUT" | tr -d '\r')
assert_eq "trend has three months" "3" "$(csv_rows "$OUT")"
assert_contains "trend header" "$(printf '%s' "$C" | head -1)" "month,mtbf_hours,mttr_hours"
FCOL=$(printf '%s' "$C" | head -1 | tr ',' '\n' | grep -n '^failures$' | cut -d: -f1)
CCOL=$(printf '%s' "$C" | head -1 | tr ',' '\n' | grep -n '^cost$' | cut -d: -f1)
assert_eq "trend failures by month" "1.00 1.00 1.00" \
	"$(printf '%s' "$C" | tail -n +2 | cut -d, -f"$FCOL" | tr '\n' ' ' | sed 's/ $//')"
assert_eq "trend cost in March" "205.00" "$(printf '%s' "$C" | sed -n 4p | cut -d, -f"$CCOL")"
BCOL=$(printf '%s' "$C" | head -1 | tr ',' '\n' | grep -n '^backlog_wos$' | cut -d: -f1)
assert_eq "trend backlog at each month's end" "0.00 0.00 4.00" \
	"$(printf '%s' "$C" | tail -n +2 | cut -d, -f"$BCOL" | tr '\n' ' ' | sed 's/ $//')"
w report trend --from 2010-01-01 --to 2024-03-31
check_rc "trend over too many months" 2

# bad arguments
w report mtbf --by asset
check_rc "--by on mtbf" 2
assert_contains "--by names where it applies" "$ERR" "cost and pareto"
w report cost --by problem
check_rc "cost --by problem" 2
w report pareto --by weekday
check_rc "pareto --by weekday" 2
assert_contains "--by says what to choose" "$ERR" "problem, asset, class or month"
w report pareto --rank often
check_rc "pareto bad --rank" 2
w report pareto --top 0
check_rc "pareto --top 0" 2
w report cost --rank cost
check_rc "--rank on cost" 2
w report no-such-report
check_rc "unknown report" 2
assert_contains "unknown report lists the new ones" "$ERR" "schedule-compliance"

# ---- one list of reports: every NAME that --help lists runs, the message
# for an unknown one lists the same names, and a report with options of its
# own, named after options, is told to come first
w report --help
names=$(printf '%s\n' "$OUT" | sed -n '/NAME is one of:$/,/^$/p' |
	awk 'NR > 1 && /^  [a-z]/ { print $1 }')
assert_eq "--help lists fourteen reports" "14" "$(printf '%s\n' "$names" | wc -l | tr -d ' ')"
for name in $names; do
	w report "$name"
	check_rc "report $name (listed by --help) runs" 0
done
w report no-such-report
assert_eq "an unknown report's message lists --help's names" "$(printf '%s\n' "$names" |
	paste -sd, - | sed 's/,/, /g')" "$(printf '%s' "$ERR" | sed -n 's/.*valid: \(.*\) (see.*/\1/p')"
w report --from 2024-01-01 trend
check_rc "trend named after an option" 2
assert_contains "trend after an option: put the name first" "$ERR" "wrench report trend [options]"
w report Trend --format csv
check_rc "a report's name in any case" 0

finish
