# termsafe.sh - nothing raw from the data reaches a terminal.  Every text
# field holds an escape sequence (ESC [ 31 m), the one-byte CSI U+009B (as
# UTF-8, C2 9B), an OSC 52 clipboard write ended by BEL, and a lone BEL.
# Each command that prints stored text runs on a pseudo-terminal (script(1)
# from util-linux): the bytes the terminal receives hold no ESC, BEL or 0x9B,
# and the fields show with '?' in their place.  The same command into a pipe
# writes the stored bytes unchanged.  JSON escapes them everywhere.
. "$(dirname "$0")/lib.sh"

export WRENCH_TODAY=2024-06-01

if ! command -v script >/dev/null 2>&1; then
	echo "termsafe.sh: needs script(1) from util-linux (bsdutils)" >&2
	exit 2
fi

# The payload, and what a terminal must show instead (LC_ALL=C: one '?' per
# control character).  Labels are short: codes hold 31 bytes.
PAYLOAD=$(printf '\033[31m\302\2332J\033]52;c;aGk=\a\a')
SHOWN='?[31m?2J?]52;c;aGk=??'
ev() { printf '%s%s' "$1" "$PAYLOAD"; }
sv() { printf '%s%s' "$1" "$SHOWN"; }
# A meter unit holds 15 bytes: the same three kinds in fewer.
UNIT=$(printf 'u\033[1m\302\233\033]52;c;\a')
UNIT_SHOWN='u?[1m??]52;c;?'

# tty_run out|err CMD ARGS... runs CMD with its stdout (out) or its stderr
# (err) on a pseudo-terminal and the other stream in $TMP/.other; the raw
# bytes the terminal received go to $TMP/.tty.  Sets RC.
tty_run() {
	local which=$1 cmd
	shift
	cmd=$(printf '%q ' "$@")
	if [ "$which" = out ]; then
		cmd="$cmd 2>$(printf '%q' "$TMP/.other")"
	else
		cmd="$cmd >$(printf '%q' "$TMP/.other")"
	fi
	# script(1) runs the command with $SHELL, and printf %q quotes for bash:
	# under CI's shell (dash) the $'...' quoting of a control byte is a
	# syntax error and the terminal receives nothing.  A table on a
	# terminal fits its width (width.sh); these checks want whole cells, so
	# COLUMNS makes the terminal wide.
	COLUMNS=4000 SHELL=$BASH script -qec "$cmd" /dev/null </dev/null >"$TMP/.tty" \
		2>"$TMP/.script-err"
	RC=$?
}

# assert_clean NAME: the terminal received no ESC, BEL or 0x9B byte, and
# (under LC_ALL=C) nothing but printable ASCII, CR and LF.  The one escape
# wrench writes itself, the import progress line's erase (CR ESC [ K), is
# taken out first.
assert_clean() {
	local bad
	bad=$(LC_ALL=C sed 's/\r\x1b\[K//g' "$TMP/.tty" | LC_ALL=C tr -d '\r\n\040-\176' | wc -c)
	if [ "$bad" -eq 0 ] && [ -s "$TMP/.tty" ]; then
		pass
	else
		fail "$1: $bad raw control byte(s) reached the terminal" \
			"$(LC_ALL=C od -c "$TMP/.tty" | head -6; head -3 "$TMP/.script-err")"
	fi
}

# on_both out|err NAME "FIELD..." CMD ARGS...: on a terminal, clean and each
# field shown sanitized; into a pipe, each field's stored bytes unchanged.
on_both() {
	local which=$1 name=$2 fields=$3 f got
	shift 3
	tty_run "$which" "$@"
	assert_clean "$name on a terminal"
	got=$(cat "$TMP/.tty")
	for f in $fields; do
		if [ "$f" = unit ]; then
			assert_contains "$name on a terminal shows the unit" "$got" "$UNIT_SHOWN"
		else
			assert_contains "$name on a terminal shows $f" "$got" "$(sv "$f")"
		fi
	done
	run "$@"
	if [ "$which" = out ]; then got=$OUT; else got=$ERR; fi
	for f in $fields; do
		if [ "$f" = unit ]; then
			assert_contains "$name into a pipe keeps the unit" "$got" "$UNIT"
		else
			assert_contains "$name into a pipe keeps $f" "$got" "$(ev "$f")"
		fi
	done
}

# ---- the data: every free-text field of every entity
{
	echo "code,name,kind,parent"
	echo "$(ev loc),$(ev locname),site,"
} >"$TMP/locations.csv"
{
	echo "tag,name,description,class,parent,location,criticality,status,install_date,serial,manufacturer,model"
	echo "$(ev par),$(ev pname),$(ev pdesc),$(ev pclass),,$(ev loc),3,in_service,2018-01-01,$(ev pser),$(ev pman),$(ev pmod)"
	echo "$(ev tag),$(ev name),$(ev desc),$(ev class),$(ev par),$(ev loc),3,in_service,2018-01-01,$(ev ser),$(ev man),$(ev mod)"
} >"$TMP/assets.csv"
{
	echo "asset,name,unit,kind"
	echo "$(ev tag),$(ev meter),$UNIT,runhours"
} >"$TMP/meters.csv"
{
	echo "asset,meter,at,value"
	echo "$(ev tag),$(ev meter),2024-01-01,100"
} >"$TMP/readings.csv"
{
	echo "code,title,asset,kind,interval,unit,floating,meter,meter_interval,lead_days,start_date,last_done,est_hours,assignee,team,priority,wo_type,active,checklist"
	echo "$(ev pm),$(ev pmtitle),$(ev tag),calendar,1,month,no,,,7,2024-01-01,2024-05-01,1.5,$(ev pmwho),$(ev team),high,preventive,yes,$(ev task)"
} >"$TMP/pms.csv"
{
	echo "number,title,type,status,priority,asset,assignee,requested_by,due,description,problem,cause,remedy,failure,downtime_start,downtime_end,pm,est_hours,created,started,completed,closed,completed_by"
	echo "$(ev num),$(ev title),corrective,in_progress,high,$(ev tag),$(ev who),$(ev asker),2024-05-01,$(ev wodesc),$(ev prob),$(ev cause),$(ev remedy),no,,,,2,2024-04-01,2024-04-02,,,"
	echo "$(ev old),$(ev oldtitle),corrective,closed,high,$(ev tag),$(ev who),$(ev asker),2023-05-01,,,,,yes,2023-04-01,2023-04-02,,2,2023-04-01,2023-04-01,2023-04-02,2023-04-03,$(ev doneby)"
} >"$TMP/workorders.csv"
{
	echo "asset,date,event,code,notes"
	for d in 2019-01-01 2019-07-01 2020-03-01 2021-01-01 2022-02-01 2023-03-01; do
		echo "$(ev tag),$d,failure,$(ev code),$(ev notes)"
	done
} >"$TMP/history.csv"

for e in locations assets meters readings pms workorders history; do
	w import "$e" "$TMP/$e.csv"
	check_rc "import $e" 0
done

# ---- the confirmations of the commands that add to a work order
NUM=$(ev num)
on_both out "wo note" "num" "$WRENCH" --db "$DB" --user "$(ev author)" wo note "$NUM" "$(ev body)"
on_both out "wo labor" "num user" "$WRENCH" --db "$DB" --user "$(ev user)" wo labor "$NUM" \
	--minutes 5 --note "$(ev lnote)"
on_both out "wo part" "num part" "$WRENCH" --db "$DB" wo part "$NUM" --code "$(ev part)" \
	--qty 2 --description "$(ev partdesc)"
on_both out "wo set" "num" "$WRENCH" --db "$DB" wo set "$NUM" --est-hours 3
on_both out "wo hold" "num" "$WRENCH" --db "$DB" wo hold "$NUM"
on_both out "wo start" "num" "$WRENCH" --db "$DB" wo start "$NUM"
# One note by the labour user too, so that both show in 'wo show'.
w --user "$(ev user)" wo note "$NUM" "second"
check_rc "second note" 0

# ---- what shows stored text
on_both out "wo show" "num title tag who asker wodesc prob cause remedy user lnote part partdesc author body" \
	"$WRENCH" --db "$DB" wo show "$NUM"
on_both out "wo show (closed)" "old oldtitle doneby" "$WRENCH" --db "$DB" wo show "$(ev old)"
on_both out "wo list" "num title tag who old" "$WRENCH" --db "$DB" wo list
on_both out "wo list csv" "num title tag who old" "$WRENCH" --db "$DB" wo list --format csv
on_both out "asset list" "tag name class loc par man mod ser pname pclass" \
	"$WRENCH" --db "$DB" asset list
on_both out "asset list csv" "tag name class loc par man mod ser" \
	"$WRENCH" --db "$DB" asset list --format csv
on_both out "asset show" "tag name desc class loc par man mod ser meter unit num title code old" \
	"$WRENCH" --db "$DB" asset show "$(ev tag)" --history 20
on_both out "asset show (children)" "par pname pdesc pclass tag name class" \
	"$WRENCH" --db "$DB" asset show "$(ev par)"
on_both out "pm list" "pm pmtitle tag" "$WRENCH" --db "$DB" pm list
on_both out "pm due" "pm pmtitle tag" "$WRENCH" --db "$DB" pm due --days 60
# A work order made from the PM carries its checklist.
w pm generate --days 60
check_rc "pm generate" 0
run "$WRENCH" --db "$DB" wo list --type preventive --format csv
PMWO=$(printf '%s\n' "$OUT" | tr -d '\r' | sed -n 2p | cut -d, -f1)
on_both out "wo show (checklist)" "pmtitle task tag" "$WRENCH" --db "$DB" wo show "$PMWO"
on_both out "rank" "tag class par pclass" "$WRENCH" --db "$DB" rank
on_both out "report mtbf" "tag class" "$WRENCH" --db "$DB" report mtbf
on_both out "report mttr" "tag class" "$WRENCH" --db "$DB" report mttr --from 2018-01-01
on_both out "report availability" "tag" "$WRENCH" --db "$DB" report availability --from 2023-01-01
on_both out "export assets" "tag name desc class loc par man mod ser" \
	"$WRENCH" --db "$DB" export assets
on_both out "export workorders" "num title tag who asker wodesc prob cause remedy doneby" \
	"$WRENCH" --db "$DB" export workorders
on_both out "export pms" "pm pmtitle tag pmwho team task" "$WRENCH" --db "$DB" export pms
on_both out "export meters" "tag meter unit" "$WRENCH" --db "$DB" export meters
on_both out "export history" "tag code notes" "$WRENCH" --db "$DB" export history
on_both out "export locations" "loc locname" "$WRENCH" --db "$DB" export locations

# The class summary under the ranking names every class.
tty_run out "$WRENCH" --db "$DB" rank
assert_contains "rank: the class summary on a terminal" "$(sed -n '/^classes/,$p' "$TMP/.tty")" \
	"$(sv class)"

# ---- error messages that quote a value
on_both err "not found" "num" "$WRENCH" --db "$DB" wo show "$(ev num)x"
on_both err "unknown status" "st" "$WRENCH" --db "$DB" wo list --status "$(ev st)"
on_both err "bad number" "qty" "$WRENCH" --db "$DB" wo part "$NUM" --code p --qty "$(ev qty)"
{
	echo "tag,name,class,status"
	echo "BAD-1,Pump,pump,$(ev state)"
} >"$TMP/bad_assets.csv"
on_both err "import: a bad enum value" "state" "$WRENCH" --db "$DB" import assets "$TMP/bad_assets.csv"
{
	echo "time,state"
	echo "100,$(ev fstate)"
} >"$TMP/bad_life.csv"
on_both err "fit: a bad state" "fstate" "$WRENCH" fit "$TMP/bad_life.csv"

# ---- JSON escapes the controls, C1 included, on a terminal and in a pipe
ESCAPED='\u001b[31m\u009b2J\u001b]52;c;aGk=\u0007\u0007'
json_case() {
	local name="$*" bad
	run "$WRENCH" --db "$DB" "$@"
	check_rc "$name" 0
	assert_json "$name is JSON" "$OUT"
	assert_contains "$name: controls are \\u escapes" "$OUT" "title$ESCAPED"
	assert_contains "$name: the string reads back as stored" \
		"$(printf '%s' "$OUT" | jq -r '.. | .title? // empty')" "$(ev title)"
	bad=$(printf '%s' "$OUT" | LC_ALL=C tr -d '\n\040-\176' | wc -c)
	assert_eq "$name: nothing but ASCII into a pipe" 0 "$bad"
	tty_run out "$WRENCH" --db "$DB" "$@"
	assert_clean "$name on a terminal"
}
json_case wo show "$NUM" --format json
json_case wo list --format json
json_case export workorders --format json

# ---- UTF-8 is kept on a terminal whose locale is UTF-8, C1 still replaced
w wo new --asset "$(ev tag)" --title "$(printf 'Caf\303\251 \302\233K')"
check_rc "wo new with UTF-8" 0
NEW=$OUT
tty_run out env LC_ALL=C.UTF-8 "$WRENCH" --db "$DB" wo show "$NEW"
assert_contains "UTF-8 kept on a UTF-8 terminal" "$(cat "$TMP/.tty")" "$(printf 'Caf\303\251 ?K')"
tty_run out "$WRENCH" --db "$DB" wo show "$NEW"
assert_contains "non-ASCII is '?' on a terminal without UTF-8" "$(cat "$TMP/.tty")" "Caf? ?K"

finish
