#!/usr/bin/env bash
# Two terminals on one database, at 40x16 and at desk size: alice (session
# main) and bob (session two) edit the same work order.  The second save,
# based on the version its form was filled from, is refused with who
# changed it and when; reload and redo, save mine and keep theirs each do
# what they say, in the database too.  A status change is checked the same
# way.  An edit made from the command line shows on an open work-order
# detail and list without a key being pressed.
source "$(dirname "$0")/lib.sh"

w init >/dev/null || { echo "cannot create the database"; echo "0 passed, 1 failed"; exit 1; }
printf 'tag,name\nP-1,Feed pump\n' >"$T_DIR/assets.csv"
w import assets "$T_DIR/assets.csv" >/dev/null || { echo "0 passed, 1 failed"; exit 1; }

# The second terminal, on the same tmux server as main.
start_two() {
	tm new-session -d -s two -x "$1" -y "$2" \
		"env TERM=xterm-256color WRENCH_USER=bob \"$WRENCH\" --db \"$DB\" $3; echo EXITED \$?; sleep 600"
}
screen_two() { tm capture-pane -p -t two; }
keys_two() {
	tm send-keys -t two "$@"
	sleep 0.1
}
expect_two() {
	local end=$((SECONDS + T_WAIT))
	until screen_two | grep -qF -- "$1"; do
		if [ $SECONDS -ge $end ]; then
			fail "$2 (no '$1' in the second terminal)"
			screen_two | sed 's/^/2| /'
			return
		fi
		sleep 0.05
	done
	pass "$2"
}
title_is() { [ "$(db_field "$1" Title)" = "$2" ]; }
status_is() { [ "$(db_field "$1" Status)" = "$2" ]; }
assignee_is() { [ "$(db_field "$1" Assignee)" = "$2" ]; }

# edit_title WHO TEXT: replaces the title in the open edit form and saves.
edit_title() {
	if [ "$1" = main ]; then
		keys C-u
		keys "$2"
		keys C-s
	else
		keys_two C-u
		keys_two "$2"
		keys_two C-s
	fi
}

# both_edit TITLE: once both terminals show the work order with TITLE (the
# version just saved), both open its edit form.
both_edit() {
	expect "$1" "$tag: alice's detail shows '$1'"
	expect_two "$1" "$tag: bob's detail shows '$1'"
	keys e
	keys_two e
	expect "Edit work order" "$tag: alice's edit form opens"
	expect_two "Edit work order" "$tag: bob's edit form opens"
}

run_pair() {
	local cols=$1 rows=$2 tag="$1x$2" n
	n=$(w wo new --asset P-1 --title "Seal leak")
	new_session "$cols" "$rows" \
		"env TERM=xterm-256color WRENCH_USER=alice \"$WRENCH\" --db \"$DB\" ui $n"
	start_two "$cols" "$rows" "ui $n"
	expect "Status: open" "$tag: alice sees $n"
	expect_two "Status: open" "$tag: bob sees $n"

	# Both edit from the same version; alice saves first.
	both_edit "Seal leak"
	edit_title main "Alice title"
	expect "$n saved" "$tag: alice's save goes through"
	check "$tag: alice's title is in the database" retry title_is "$n" "Alice title"
	edit_title two "Bob title"
	expect_two "was changed by alice" "$tag: bob's save is refused, naming alice"
	expect_two "you had" "$tag: the refusal gives both versions"
	expect_two "Bob title" "$tag: the conflict shows bob's value"
	expect_two "Alice title" "$tag: the conflict shows alice's value"
	check "$tag: the refused save changed nothing" title_is "$n" "Alice title"

	# Reload and redo: the form opens again on alice's version.
	keys_two r
	expect_two "Edit work order" "$tag: r opens the form again"
	expect_two "Alice title" "$tag: the form holds the reloaded title"
	edit_title two "Bob redo"
	expect_two "$n saved" "$tag: the redone save goes through"
	check "$tag: the redone title is in the database" retry title_is "$n" "Bob redo"
	expect "Bob redo" "$tag: alice's open detail shows bob's change by itself"

	# Choose field by field: alice changed the title and the assignee, bob
	# the title; alice keeps bob's title and saves her assignee over it.
	both_edit "Bob redo"
	edit_title two "Bob first"
	expect_two "$n saved" "$tag: bob saves first this time"
	keys C-u
	keys "Alice mine"
	keys Enter Enter Enter
	keys "ann"
	keys C-s
	expect "was changed by bob" "$tag: alice's save is refused, naming bob"
	expect "Title: keep mine" "$tag: each field starts as mine"
	expect "Assignee" "$tag: the conflict lists both of alice's fields"
	keys Enter
	expect "Title: keep theirs" "$tag: Enter keeps theirs for the title"
	keys m
	expect "mine replaced theirs" "$tag: m saves as chosen"
	check "$tag: bob's title is kept" retry title_is "$n" "Bob first"
	check "$tag: alice's assignee is saved" retry assignee_is "$n" ann
	both_edit "Assignee: ann"
	edit_title two "Bob again"
	expect_two "$n saved" "$tag: bob saves first again"
	edit_title main "Alice mine"
	expect "was changed by bob" "$tag: alice is refused again"
	keys m
	expect "mine replaced theirs" "$tag: m saves alice's value"
	check "$tag: alice's value is in the database" retry title_is "$n" "Alice mine"

	# Keep theirs: bob drops his edit.
	both_edit "Alice mine"
	edit_title main "Alice keeps"
	expect "$n saved" "$tag: alice saves"
	edit_title two "Bob drops"
	expect_two "was changed by alice" "$tag: bob's save is refused again"
	keys_two t
	expect_two "kept theirs" "$tag: t keeps alice's value"
	expect_two "Alice keeps" "$tag: bob's detail shows alice's title"
	check "$tag: the database has alice's title" title_is "$n" "Alice keeps"

	# A status change based on a stale version is refused too.
	keys_two t
	expect_two "New status" "$tag: bob opens the status list"
	keys t
	expect "New status" "$tag: alice opens the status list"
	keys 1
	expect "is now in_progress" "$tag: alice starts the work"
	keys_two 2
	expect_two "was changed by alice" "$tag: bob's status change is refused"
	expect_two "on_hold" "$tag: the conflict shows bob's status"
	keys_two t
	check "$tag: the status is alice's" retry status_is "$n" in_progress

	# A change from the command line shows on the open detail, then on the
	# open list, with no key pressed.
	w wo set "$n" --title "From the CLI" >/dev/null
	expect "From the CLI" "$tag: a CLI edit shows on the open detail"
	keys q
	keys 2
	expect "Work orders" "$tag: alice opens the list"
	w wo set "$n" --title "Listed anew" >/dev/null
	expect "Listed anew" "$tag: a CLI edit shows on the open list"
	tm kill-session -t two
}

run_pair 40 16
run_pair 100 30
finish
