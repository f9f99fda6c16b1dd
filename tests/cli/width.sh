# width.sh - tables on a terminal fit its width; into a pipe they are whole.
# Work-order titles hold an emoji, CJK ideographs (two columns each) and a
# combining accent (none).  On a pseudo-terminal (script(1)) at COLUMNS=40,
# 80 and 200 no line is wider than COLUMNS (measured by wc -L under
# C.UTF-8, i.e. by wcwidth), every work-order number is whole, and what was
# cut ends with an ellipsis; without COLUMNS the terminal's own width
# counts (stty cols), and COLUMNS wins over it.  Into a pipe, whatever
# COLUMNS says, the titles are whole.  Under a locale that is not UTF-8 the
# ellipsis is three dots.
. "$(dirname "$0")/lib.sh"

export WRENCH_TODAY=2024-06-01
UTF8=C.UTF-8
if ! command -v script >/dev/null 2>&1; then
	echo "width.sh: needs script(1) from util-linux (bsdutils)" >&2
	exit 2
fi
if ! LC_ALL=$UTF8 locale charmap 2>/dev/null | grep -q UTF-8; then
	echo "width.sh: needs the $UTF8 locale (glibc's C.UTF-8)" >&2
	exit 2
fi

EMOJI=$(printf 'Pump \360\237\224\247 seal leaks at the drive end of the motor, replace the seal kit')
CJK=$(printf '\345\206\267\345\215\264\346\260\264\343\203\235\343\203\263\343\203\227\343\201\256\347\202\271\346\244\234\343\201\250\346\270\205\346\216\203\343\200\201\343\203\231\343\202\242\343\203\252\343\203\263\343\202\260\344\272\244\346\217\233')
COMBINING=$(printf 'Cafe\314\201 machine: descale, check the gasket and the steam wand')
ELLIPSIS=$(printf '\342\200\246')

w init
check_rc "init" 0
printf 'tag,name,class\nP-1,Feed pump,pump\nK-2,%s,kitchen\n' "$CJK" >"$TMP/assets.csv"
w import assets "$TMP/assets.csv"
check_rc "import assets" 0
NUMS=()
for t in "$EMOJI" "$CJK" "$COMBINING"; do
	w wo new --asset P-1 --title "$t" --assignee akowalski --due 2024-06-20
	check_rc "wo new" 0
	NUMS+=("$OUT")
done

# on_tty [STTY_COLS] -- ENV... : runs `wrench --db DB ARGS` (ARGS in $ARGS)
# with the environment ENV on a pseudo-terminal, optionally stty cols
# first; what the terminal received, CR removed, goes to $TMP/.tty.
on_tty() {
	local stty=$1 cmd
	shift 2
	cmd=$(printf '%q ' env "$@" "$WRENCH" --db "$DB" "${ARGS[@]}")
	[ -n "$stty" ] && cmd="stty cols $stty; $cmd"
	SHELL=$BASH script -qec "$cmd" /dev/null </dev/null 2>"$TMP/.script-err" |
		tr -d '\r' >"$TMP/.tty"
}

widest() { # FILE: the display width of its widest line
	LC_ALL=$UTF8 wc -L <"$1" | tr -d ' '
}

# fits NAME COLS: no line wider than COLS, each number whole.
fits() {
	local got
	got=$(widest "$TMP/.tty")
	if [ -s "$TMP/.tty" ] && [ "$got" -le "$2" ]; then
		pass
	else
		fail "$1: a line of $got columns on a terminal $2 wide" "$(head -5 "$TMP/.tty")" \
			"$(head -3 "$TMP/.script-err")"
	fi
	for n in "${NUMS[@]}"; do
		if grep -q "^$n  " "$TMP/.tty"; then
			pass
		else
			fail "$1: work order $n is not whole at the start of its line" \
				"$(head -5 "$TMP/.tty")"
		fi
	done
}

ARGS=(wo list)
for cols in 40 80; do
	on_tty "" -- LC_ALL=$UTF8 COLUMNS=$cols
	fits "wo list at COLUMNS=$cols" "$cols"
	assert_contains "wo list at COLUMNS=$cols: cut with an ellipsis" "$(cat "$TMP/.tty")" \
		"$ELLIPSIS"
	assert_not_contains "wo list at COLUMNS=$cols: no whole emoji title" "$(cat "$TMP/.tty")" \
		"$EMOJI"
done

# Too narrow for every column: columns give way in the table's order
# before any text is cut to nothing.  At 40 the list keeps number, status,
# asset and title (each header whole); at 80 it has dropped only the type
# and the creation date; at 200 it drops nothing.
header() { head -1 "$TMP/.tty" | tr -s ' '; }
on_tty "" -- LC_ALL=$UTF8 COLUMNS=40
assert_eq "wo list at 40 keeps number, status, asset, title" "number status asset title" \
	"$(header)"
on_tty "" -- LC_ALL=$UTF8 COLUMNS=80
assert_eq "wo list at 80 drops type and created" \
	"number status priority asset assignee due title" "$(header)"
on_tty "" -- LC_ALL=$UTF8 COLUMNS=200
assert_eq "wo list at 200 drops nothing" \
	"number type status priority asset assignee due created title" "$(header)"
# A table that no narrowing fits (the pipe rule: lose nothing) is whole,
# and into a pipe no column is dropped whatever COLUMNS says.
LC_ALL=$UTF8 COLUMNS=40 run "$WRENCH" --db "$DB" wo list
assert_eq "wo list into a pipe keeps every column" \
	"number type status priority asset assignee due created title" \
	"$(printf '%s\n' "$OUT" | head -1 | tr -s ' ')"

# Wide enough: nothing is cut, and the terminal gets what a pipe gets.
on_tty "" -- LC_ALL=$UTF8 COLUMNS=200
fits "wo list at COLUMNS=200" 200
LC_ALL=$UTF8 COLUMNS=200 run "$WRENCH" --db "$DB" wo list
assert_eq "wo list at COLUMNS=200 is the whole table" "$OUT" "$(cat "$TMP/.tty")"
for t in "$EMOJI" "$CJK" "$COMBINING"; do
	assert_contains "wo list at COLUMNS=200 shows the whole title" "$(cat "$TMP/.tty")" "$t"
done

# Into a pipe COLUMNS does not count: every title whole, nothing cut.
LC_ALL=$UTF8 COLUMNS=40 run "$WRENCH" --db "$DB" wo list
check_rc "wo list into a pipe" 0
for t in "$EMOJI" "$CJK" "$COMBINING"; do
	assert_contains "wo list into a pipe at COLUMNS=40 keeps the title" "$OUT" "$t"
done
assert_not_contains "wo list into a pipe: no ellipsis" "$OUT" "$ELLIPSIS"
printf '%s\n' "$OUT" >"$TMP/.pipe"
[ "$(widest "$TMP/.pipe")" -gt 80 ] && pass || fail "wo list into a pipe is narrower than its titles"

# Without COLUMNS the terminal's width counts; COLUMNS wins over it, and a
# COLUMNS that is not a width is ignored.
on_tty 50 -- LC_ALL=$UTF8
fits "wo list on a terminal of 50 columns" 50
on_tty 50 -- LC_ALL=$UTF8 COLUMNS=70
fits "wo list at COLUMNS=70 on a terminal of 50" 70
[ "$(widest "$TMP/.tty")" -gt 50 ] && pass ||
	fail "COLUMNS=70 did not win over the terminal's 50 columns" "$(head -3 "$TMP/.tty")"
for bad in abc 0 -5 70x; do
	on_tty 50 -- LC_ALL=$UTF8 COLUMNS=$bad
	fits "wo list with COLUMNS=$bad on a terminal of 50" 50
done

# The key column of another table: asset tags stay whole beside CJK names.
ARGS=(asset list)
on_tty "" -- LC_ALL=$UTF8 COLUMNS=40
got=$(cat "$TMP/.tty")
[ "$(widest "$TMP/.tty")" -le 40 ] && pass || fail "asset list wider than 40" "$got"
assert_contains "asset list at 40: the tag P-1 whole" "$got" $'\nP-1  '
assert_contains "asset list at 40: the tag K-2 whole" "$got" $'\nK-2  '

# Not UTF-8: three dots, and nothing but ASCII reaches the terminal.
ARGS=(wo list)
on_tty "" -- LC_ALL=C COLUMNS=60
fits "wo list at COLUMNS=60 under LC_ALL=C" 60
assert_contains "wo list under LC_ALL=C: cut with three dots" "$(cat "$TMP/.tty")" "..."
bad=$(LC_ALL=C tr -d '\n\040-\176' <"$TMP/.tty" | wc -c)
assert_eq "wo list under LC_ALL=C: only ASCII on the terminal" 0 "$bad"

# CSV on a terminal is not a table: nothing is cut.
ARGS=(wo list --format csv)
on_tty "" -- LC_ALL=$UTF8 COLUMNS=40
assert_contains "csv on a terminal keeps the title" "$(cat "$TMP/.tty")" "$CJK"

finish
