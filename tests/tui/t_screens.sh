#!/usr/bin/env bash
# Screens that show everything they claim, at 40x16 and at desk size: a
# long message wraps over the body's last rows and reads in full, and the
# message history (M) keeps it, errors first; a list's title count follows
# a status change; the selected row has one colour from column 0 on; the
# import path prompt replaces its suggestion when typed over, and Tab
# completes the path; an unclosed quote is in the import report.
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }

printf 'tag,name,class\nSC-1,Screen one,pump\n' >"$T_DIR/good.csv"
mkdir -p "$T_DIR/imports"
printf 'tag,name,class\nSC-2,Completed path,pump\n' >"$T_DIR/imports/completion-target.csv"
printf 'tag,name,class\nQ-1,Bad,pump,extra\nQ-2,"Open quote,pump\nQ-3,Three,pump\n' >"$T_DIR/quote.csv"
MISSING="$T_DIR/no-such-dir-abcdefghij-0123456789/missing-file-klmnopqrstuvwxyz.csv"

# joined: the screen's text as one line without blanks (for wrapped text).
joined() { screen | tr -d ' \n'; }
has_joined() { joined | grep -qF -- "$(printf '%s' "$1" | tr -d ' ')"; }
# msg_row: the message line (the row above the key bar).
msg_row() { screen | sed -n "$(($1 - 1))p"; }

# open_file_prompt: Enter on the import menu's File row.
open_file_prompt() {
	keys g j
	keys Enter
	wait_for "File: "
}

# sel_raw: the selected row (the first starting with ">") with its colours.
sel_raw() {
	local raw
	tm capture-pane -e -p -t main | while IFS= read -r raw; do
		case $(printf '%s' "$raw" | sed 's/\x1b\[[0-9;]*m//g') in
		'>'*) printf '%s\n' "$raw"; break ;;
		esac
	done
}
# one_colour: the selected row's attributes do not change after column 0
# (no strip of another colour under the ">").
one_colour() {
	local raw
	raw=$(sel_raw)
	[ -n "$raw" ] && ! printf '%s' "$raw" | grep -q $'>\e\\['
}

for size in "40 16" "120 40"; do
	set -- $size
	tag="$1x$2"
	start "$1" "$2"
	wait_for "My open work"

	# -- the selected row's colour, on the list, the detail and import.
	check "$tag: Home's selected row has one colour" retry 6 one_colour
	keys 2
	wait_for "Work orders"
	check "$tag: the list's selected row has one colour" retry 6 one_colour
	keys Enter
	wait_for "Status:"
	check "$tag: the detail's selected row has one colour" retry 6 one_colour
	keys q

	# -- the import path prompt.
	keys 6
	wait_for "Import/export: assets"
	check "$tag: the import menu's selected row has one colour" retry 6 one_colour
	open_file_prompt
	expect "File: assets.csv" "$tag: the path prompt suggests a file name"
	keys "$T_DIR/good.csv"
	expect_not "assets.csv$T_DIR" "$tag: typing does not append to the suggestion"
	keys Enter
	expect "File:   $T_DIR/good.csv" "$tag: the typed path replaced the suggestion"
	open_file_prompt
	keys BSpace
	keys v
	expect "File: $T_DIR/good.csv" "$tag: Backspace edits the suggestion instead"
	keys Escape
	open_file_prompt
	keys C-u
	keys "$T_DIR/imp"
	keys Tab
	expect "File: $T_DIR/imports/" "$tag: Tab completes a directory"
	expect_not "File:   $T_DIR/imp" "$tag: Tab does not end the prompt"
	keys Tab
	expect "completion-target.csv" "$tag: Tab completes the file"
	keys Enter
	keys Enter
	expect "Imported 1 rows: 1 inserted" "$tag: Enter takes the completed path"
	check "$tag: the completed path's file was imported" retry 6 w asset show SC-2
	keys q

	# -- an unclosed quote in the import report.
	open_file_prompt
	keys "$T_DIR/quote.csv"
	keys Enter
	keys Enter
	expect "1 bad row: nothing was imported" "$tag: the bad row is counted"
	if retry 6 has_joined "line 3: a quoted field is never closed"; then
		pass "$tag: the report shows the unclosed quote"
	else
		fail "$tag: the report shows the unclosed quote"
	fi
	expect "line 2: 4 fields but the header has 3" "$tag: and the bad row"
	keys q

	# -- a long message wraps, and the history keeps it, errors first.
	open_file_prompt
	keys "$MISSING"
	keys Enter
	keys Enter
	expect "Nothing was imported." "$tag: a missing file imports nothing"
	if retry 6 bash -c "$(declare -f screen tm msg_row); T_SOCK=$T_SOCK; msg_row $2 | grep -q 'directory *\$'"; then
		pass "$tag: the message line ends with the message's end (wrapped)"
	else
		fail "$tag: the message line ends with the message's end (wrapped)"
	fi
	keys q
	open_file_prompt
	keys "$T_DIR/good.csv"
	keys Enter
	keys j
	keys Enter
	expect "Dry run done: nothing written." "$tag: a dry run says so (the newest message)"
	keys M
	expect "Messages: 4, 2 errors" "$tag: M opens the message history"
	check "$tag: an error comes first, though older" grep -q "error" <<<"$(screen | sed -n 2p)"
	if has_joined "$(screen | sed -n 2p)cannot open $MISSING: No such file or directory"; then
		pass "$tag: the newest error first, in full"
	else
		fail "$tag: the newest error first, in full"
	fi
	keys G
	expect "Dry run done: nothing written." "$tag: the other messages follow the errors"
	keys q
	keys '?'
	wait_for "Keys on"
	for i in 1 2 3 4 5 6 7 8; do
		screen | grep -qF "Message history" && break
		keys Space
	done
	expect "Message history" "$tag: help lists the history key"
	keys q

	# -- the title count after a status change.
	keys 1
	wait_for "My open work"
	keys g
	keys Tab
	keys k
	keys Enter
	expect "Work orders 1/3" "$tag: my open work: three"
	keys Enter
	wait_for "Status:"
	keys t
	wait_for "done (work done)"
	keys 3
	# Corrective work opens its completion form first; s saves and completes.
	wait_for "Complete WO-"
	keys s
	wait_for "is now done"
	keys q
	expect "Work orders 1/2" "$tag: after one is done, the title counts two"
	keys Q
	expect "EXITED 0" "$tag: Q quits"
	# A fresh database for the next size (one work order was finished).
	rm -f "$DB"
	make_db || { fail "cannot rebuild the database"; break; }
done
finish
