# basics.sh - global options, --help everywhere, usage errors and exit codes,
# init, the database location and what happens without a database.
. "$(dirname "$0")/lib.sh"

# ---- version and help
run "$WRENCH" --version
check_rc "--version" 0
assert_contains "--version prints the version" "$OUT" "wrench "

run "$WRENCH" --help
check_rc "--help" 0
for cmd in init import export asset wo pm report rank fit backtest demo ui; do
	assert_contains "--help lists $cmd" "$OUT" "  $cmd "
done

for cmd in init import export report rank fit backtest demo ui \
	"asset list" "asset show" "wo list" "wo show" "wo new" "wo set" "wo open" "wo start" \
	"wo hold" "wo done" "wo close" "wo cancel" "wo reopen" "wo note" "wo labor" "wo part" \
	"pm list" "pm due" "pm generate"; do
	# shellcheck disable=SC2086
	run "$WRENCH" $cmd --help
	check_rc "$cmd --help" 0
	assert_contains "$cmd --help shows usage" "$OUT" "usage: wrench $cmd"
	assert_eq "$cmd --help writes nothing on stderr" "" "$ERR"
	# shellcheck disable=SC2086
	run "$WRENCH" $cmd -h
	check_rc "$cmd -h" 0
done
for group in asset wo pm; do
	run "$WRENCH" $group --help
	check_rc "$group --help" 0
	assert_contains "$group --help lists commands" "$OUT" "commands:"
	run "$WRENCH" $group
	check_rc "$group without a command is a usage error" 2
done

# ---- the man page documents every command and every option --help shows
MAN="${WRENCH_SRC:-.}/assets/wrench.1"
if [ -f "$MAN" ]; then
	for cmd in init import export report rank fit backtest demo ui \
		"asset list" "asset show" "wo list" "wo show" "wo new" "wo set" "wo done" "wo note" \
		"wo labor" "wo part" "pm list" "pm due" "pm generate" sync conflicts; do
		sec=$cmd
		[ "$cmd" = "wo done" ] && sec="wo open|start|hold|done"
		assert_contains "man page has a section for $cmd" "$(grep '^\.SS' "$MAN")" \
			"wrench $(printf '%s' "$sec" | sed 's/-/\\-/g')"
		# shellcheck disable=SC2086
		for opt in $("$WRENCH" $cmd --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
			esc=$(printf '%s' "$opt" | sed 's/-/\\-/g')
			if grep -qF -- "$esc" "$MAN"; then
				pass
			else
				fail "man page does not mention $opt of $cmd"
			fi
		done
	done
	for var in WRENCH_USER WRENCH_TODAY WRENCH_BUSY_TIMEOUT XDG_DATA_HOME NO_COLOR; do
		assert_contains "man page documents $var" "$(cat "$MAN")" ".B $var"
	done
else
	fail "no man page at $MAN (set WRENCH_SRC)"
fi

# ---- usage errors: exit 2 with a hint on stderr, nothing on stdout
run "$WRENCH" frobnicate
check_rc "unknown command" 2
assert_contains "unknown command named" "$ERR" "unknown command 'frobnicate'"
assert_eq "usage error prints nothing on stdout" "" "$OUT"
run "$WRENCH" wo lsit
check_rc "unknown subcommand" 2
assert_contains "subcommand suggestion" "$ERR" "did you mean 'list'?"
run "$WRENCH" --db "$DB" wo list --prio high
check_rc "unknown option" 2
assert_contains "option suggestion" "$ERR" "did you mean '--priority'?"
assert_contains "option error names --help" "$ERR" "wrench wo list --help"
run "$WRENCH" --db "$DB" wo list --limit
check_rc "option without its value" 2
assert_contains "missing value named" "$ERR" "needs a value"
run "$WRENCH" --db "$DB" wo list --limit ten
check_rc "non-numeric --limit" 2
run "$WRENCH" --db "$DB" wo list --format xml
check_rc "bad --format" 2
assert_contains "bad --format lists choices" "$ERR" "table, csv or json"
# A command that shows one thing takes text or json, and says so.
for cmd in "wo show WO-000001" "asset show A-1" "part show P-1" "fit $TMP/x.csv" "sync --status"; do
	run "$WRENCH" --db "$DB" $cmd --format xml
	check_rc "$cmd: bad --format" 2
	assert_contains "$cmd: bad --format lists choices" "$ERR" "--format wants text or json, not 'xml'"
done
run "$WRENCH" --db "$DB" wo list --overdue=yes
check_rc "a flag given a value" 2
run "$WRENCH" --db "$DB" init extra
check_rc "unexpected argument" 2
run "$WRENCH" --db "$DB" wo show
check_rc "missing argument" 2
run "$WRENCH" --bogus
check_rc "unknown global option" 2
run "$WRENCH" --db
check_rc "--db without a path" 2
run "$WRENCH" report nonsense
check_rc "unknown report" 2
assert_contains "unknown report lists reports" "$ERR" "pm-compliance"
run "$WRENCH" import gizmos "$TMP/x.csv"
check_rc "unknown import entity" 2
assert_contains "unknown entity lists entities" "$ERR" "workorders"

# ---- no database yet: bad input (1) saying how to create one
w wo list
check_rc "wo list without a database" 1
assert_contains "missing database explained" "$ERR" "wrench init"
[ ! -e "$DB" ] && pass || fail "a read command must not create the database"

# ---- init creates, is idempotent, honours --db anywhere on the line
w init
check_rc "init" 0
assert_contains "init names the file" "$OUT" "$DB"
[ -f "$DB" ] && pass || fail "init did not create $DB"
w init
check_rc "init again" 0
run "$WRENCH" init --db "$TMP/other.db"
check_rc "--db after the command" 0
[ -f "$TMP/other.db" ] && pass || fail "--db after the command was ignored"
run "$WRENCH" --db="$TMP/eq.db" init
check_rc "--db=PATH" 0
[ -f "$TMP/eq.db" ] && pass || fail "--db=PATH was ignored"

# ---- the default database follows XDG_DATA_HOME
run "$WRENCH" init
check_rc "init at the default path" 0
[ -f "$XDG_DATA_HOME/wrench/wrench.db" ] && pass || fail "default path not under XDG_DATA_HOME"

# ---- an empty database lists nothing, in every format
w wo list --format json
check_rc "wo list json on an empty database" 0
assert_eq "empty json list" "[]" "$OUT"
w wo list --format csv
check_rc "wo list csv on an empty database" 0
assert_eq "empty csv has only the header" "0" "$(csv_rows "$OUT")"
w asset list
check_rc "asset list on an empty database" 0

# ---- the interface refuses to start without a terminal, with a usage error
run "$WRENCH" --db "$DB"
check_rc "no command without a terminal" 2
assert_contains "no terminal explained" "$ERR" "terminal"

# ---- a file that is not a database is bad input, not a crash
printf 'this is not sqlite\n' >"$TMP/junk.db"
run "$WRENCH" --db "$TMP/junk.db" wo list
check_rc "garbage database file" 1

finish
