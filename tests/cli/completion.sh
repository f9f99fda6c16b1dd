# completion.sh - bash and zsh completion (assets/completion/) offer every
# command, subcommand and option that `wrench help` and each command's
# --help list, so that they cannot drift from the command table; values and
# arguments that are files complete as file names.  The bash function runs
# in bash with COMP_WORDS and COMP_CWORD set, as readline would call it;
# the zsh one is checked for syntax, registered by compinit, and run with
# words and CURRENT set and zsh's completion builtins replaced by functions
# that print what they are given.
. "$(dirname "$0")/lib.sh"

COMP_DIR="$WRENCH_SRC/assets/completion"
if ! command -v zsh >/dev/null 2>&1; then
	echo "completion.sh: needs zsh (Debian package zsh) to test the zsh completion" >&2
	exit 2
fi

# complete_bash WORD...: what bash offers for the last word after
# `wrench WORD...`, one a line.
complete_bash() {
	bash --norc --noprofile -c '
		source "$1" || exit 3
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_wrench || exit 4
		printf "%s\n" "${COMPREPLY[@]}"' _ "$COMP_DIR/wrench.bash" "$WRENCH" "$@"
}

# complete_zsh WORD...: the same in zsh; _files and _message print
# <files> and <message VALUE>.
complete_zsh() {
	zsh -f -c '
		fpath=("$1" $fpath)
		autoload -Uz _wrench
		shift
		_describe() { local -a a; a=("${(@P)4}"); print -rl -- "${(@)a%%:*}"; }
		_files() { print -r -- "<files>"; }
		_message() { print -r -- "<message $3>"; }
		compset() { return 0; }
		words=("$@")
		CURRENT=$#
		_wrench' _ "$COMP_DIR" "$WRENCH" "$@"
}

# The names under "commands:" in a help text.
help_commands() {
	printf '%s\n' "$1" | sed -n '/^commands:$/,/^$/p' | awk 'NR > 1 && NF { print $1 }'
}

# The options a help text lists: -x and --name of each option line.
help_options() {
	printf '%s\n' "$1" | sed -nE 's/^  -([A-Za-z]), (--[a-z][a-z0-9-]*).*/-\1 \2/p
		s/^      (--[a-z][a-z0-9-]*).*/\1/p' | tr ' ' '\n'
}

# offers NAME EXPECTED GOT: every line of EXPECTED is among GOT's.
offers() {
	local missing
	missing=$(comm -23 <(printf '%s\n' "$2" | sort -u) <(printf '%s\n' "$3" | sort -u) | tr '\n' ' ')
	if [ -n "$2" ] && [ -z "$missing" ]; then
		pass
	else
		fail "$1: not offered: ${missing:-(nothing expected: the help was not read)}" \
			"offered: $(printf '%s' "$3" | tr '\n' ' ')"
	fi
}

# ---- every command and option of the help, in both shells
for sh in bash zsh; do
	top=$("$WRENCH" help)
	offers "$sh: the commands of 'wrench help'" "$(help_commands "$top")" "$(complete_$sh "")"
	offers "$sh: wrench's own options" "$(help_options "$top")" "$(complete_$sh -)"
	for cmd in $(help_commands "$top"); do
		help=$("$WRENCH" "$cmd" --help)
		subs=$(help_commands "$help")
		if [ -z "$subs" ]; then
			offers "$sh: the options of $cmd" "$(help_options "$help")" "$(complete_$sh "$cmd" -)"
			continue
		fi
		offers "$sh: the commands of $cmd" "$subs" "$(complete_$sh "$cmd" "")"
		for sub in $subs; do
			offers "$sh: the options of $cmd $sub" "$(help_options "$("$WRENCH" "$cmd" "$sub" --help)")" \
				"$(complete_$sh "$cmd" "$sub" -)"
		done
	done
done

# ---- report: every NAME of its help is offered as a command word, and each
# then offers its options (settings, trend and monthly have their own)
report_help=$("$WRENCH" report --help)
report_names=$(printf '%s\n' "$report_help" | sed -n '/NAME is one of:$/,/^$/p' |
	awk 'NR > 1 && /^  [a-z]/ { print $1 }')
for sh in bash zsh; do
	offers "$sh: the report names of 'wrench report --help'" "$report_names" \
		"$(complete_$sh report "")"
	for name in $report_names; do
		case $name in
		trend | settings | monthly) help=$("$WRENCH" report "$name" --help) ;;
		*) help=$report_help ;;
		esac
		offers "$sh: the options of report $name" "$(help_options "$help")" \
			"$(complete_$sh report "$name" -)"
	done
done
assert_eq "bash: report settings --p" "--person-rate" "$(complete_bash report settings --p)"
# wrench --help's line for report names every report of its help, in order.
assert_eq "wrench --help: the report line" "$(printf '%s\n' $report_names | paste -sd, | sed 's/,/, /g')" \
	"$("$WRENCH" --help | sed -n 's/^  report    //p')"

# ---- bash: what is typed narrows the choice; values are skipped
assert_eq "bash: wo li" "list" "$(complete_bash wo li)"
assert_eq "bash: wo list --st" "--status" "$(complete_bash wo list --st)"
assert_eq "bash: --pr" "--print-config" "$(complete_bash --pr)"
assert_eq "bash: report mo" "monthly" "$(complete_bash report mo)"
assert_eq "bash: report monthly --mo" "--month" "$(complete_bash report monthly --mo)"
# Values named like commands: asset's commands are offered, not wo's or pm's.
assert_eq "bash: a global option's value is not a command" "list show" \
	"$(complete_bash --db wo --user pm asset "" | tr '\n' ' ' | sed 's/ $//')"
assert_eq "bash: a value after --db= is not a command" "show" \
	"$(complete_bash --db = wo asset sh)"
assert_eq "bash: a value that is not a file has no completion" "" \
	"$(complete_bash wo list --status "")"

# ---- file names where a value or an argument is a file
mkdir -p "$TMP/files" && cd "$TMP/files" || exit 2
: >plant.db
: >assets.csv
assert_eq "bash: --db completes a file" "plant.db" "$(complete_bash --db pl)"
assert_eq "bash: --db=FILE completes a file" "plant.db" "$(complete_bash --db = pl)"
assert_eq "bash: import's FILE completes a file" "assets.csv" "$(complete_bash import assets as)"
assert_eq "bash: export -o completes a file" "plant.db" "$(complete_bash export assets -o pl)"
assert_eq "zsh: --db completes files" "<files>" "$(complete_zsh --db "")"
assert_eq "zsh: --db=FILE completes files" "<files>" "$(complete_zsh --db=pl)"
assert_eq "zsh: import's FILE completes files" "<files>" "$(complete_zsh import assets "")"
assert_eq "zsh: a value that is not a file is named" "<message S[,S...]>" \
	"$(complete_zsh wo list --status "")"
assert_eq "zsh: a global option's value is not a command" "list show" \
	"$(complete_zsh --db wo --user pm asset "" | tr '\n' ' ' | sed 's/ $//')"
cd "$TMP" || exit 2

# ---- the zsh file: its syntax, and compinit registers it for wrench
if zsh -n "$COMP_DIR/_wrench" 2>"$TMP/.zsh-err"; then
	pass
else
	fail "zsh -n _wrench" "$(cat "$TMP/.zsh-err")"
fi
run zsh -f -c 'fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -D; print -r -- $_comps[wrench]' \
	_ "$COMP_DIR"
assert_eq "zsh: compinit completes wrench with _wrench" "_wrench" "$OUT"
if bash -n "$COMP_DIR/wrench.bash" 2>"$TMP/.bash-err"; then
	pass
else
	fail "bash -n wrench.bash" "$(cat "$TMP/.bash-err")"
fi

# ---- --complete-words itself: a listing, never a run
run "$WRENCH" --db "$TMP/none.db" --complete-words wo set
check_rc "--complete-words wo set" 0
assert_contains "--complete-words lists fields as options" "$OUT" $'option\t--title\tTEXT'
[ ! -e "$TMP/none.db" ] && pass || fail "--complete-words opened the database"
run "$WRENCH" --complete-words import
assert_contains "--complete-words names the arguments" "$OUT" $'argument\tENTITY FILE'

# ---- make install puts both where the shells look, make uninstall removes them
# (a make of its own, not a part of the make that runs the tests).
unset MAKEFLAGS MFLAGS MAKELEVEL
run make -s -C "$WRENCH_SRC" install-completion DESTDIR="$TMP/dest" PREFIX=/usr
check_rc "make install-completion" 0
cmp -s "$COMP_DIR/wrench.bash" "$TMP/dest/usr/share/bash-completion/completions/wrench" &&
	pass || fail "bash completion not installed"
cmp -s "$COMP_DIR/_wrench" "$TMP/dest/usr/share/zsh/site-functions/_wrench" &&
	pass || fail "zsh completion not installed"
run make -s -C "$WRENCH_SRC" uninstall-completion DESTDIR="$TMP/dest" PREFIX=/usr
check_rc "make uninstall-completion" 0
assert_eq "make uninstall-completion leaves no file" "" "$(find "$TMP/dest" -type f)"

finish
