#!/usr/bin/env bash
# Quick-create from the list and from Home, and the unsaved-edit guard.
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }

count_title() { w wo list --search "$1" --format csv | tail -n +2 | wc -l; }

for size in "80 24" "40 16"; do
	set -- $size
	tag="$1x$2"
	start "$1" "$2"
	wait_for "My open work"
	keys 2
	wait_for "Work orders"
	# Typed but not saved: leaving asks first; n keeps the form.
	keys c
	expect "New work order" "$tag: c opens the quick-create form"
	keys "Unsaved pump $tag"
	keys Escape
	keys q
	expect "Discard changes? y/n" "$tag: q on an edited form asks first"
	keys n
	expect "Unsaved pump $tag" "$tag: n keeps the form and the text"
	keys q
	expect "Discard changes? y/n" "$tag: asked again"
	keys y
	expect "all work orders" "$tag: y discards and returns to the list"
	check "$tag: nothing was written" [ "$(count_title "Unsaved pump $tag")" -eq 0 ]
	# Quit with an unsaved edit asks too.
	keys c
	keys "Half typed"
	keys Escape
	keys Q
	expect "Discard unsaved changes and quit? y/n" "$tag: Q with an unsaved edit asks"
	keys n
	expect "Half typed" "$tag: n stays"
	keys q
	expect "Discard changes? y/n" "$tag: q asks before dropping the edit"
	keys y
	expect "all work orders" "$tag: y drops it"
	# A real one: title, asset, priority high, type corrective; Enter on
	# the last field saves.
	keys c
	keys "Pump noisy $tag"
	keys Enter
	keys TST-PUMP-1
	keys Enter
	keys Right
	keys Enter
	keys Enter
	expect "Created WO-" "$tag: Enter on the last field saves"
	expect "Pump noisy $tag" "$tag: the new work order opens"
	check "$tag: the database has it" [ "$(count_title "Pump noisy $tag")" -eq 1 ]
	num=$(w wo list --search "Pump noisy $tag" --format csv | awk -F, 'NR == 2 { print $1 }')
	check "$tag: with the asset, priority and type chosen" \
		bash -c "[ \"$(db_field "$num" Asset)/$(db_field "$num" Priority)/$(db_field "$num" Type)\" = TST-PUMP-1/high/corrective ]"
	# An unknown asset is refused with a message; the form stays.
	keys q
	keys c
	keys "Bad asset $tag"
	keys Enter
	keys NO-SUCH-TAG
	keys Enter
	keys s
	expect "no asset 'NO-SUCH-TAG'" "$tag: an unknown asset is refused"
	expect "New work order" "$tag: the form stays open with the edits"
	check "$tag: nothing was written for it" [ "$(count_title "Bad asset $tag")" -eq 0 ]
	keys Escape
	keys q
	keys y
	keys Q
	expect "EXITED 0" "$tag: Q quits"
done

# From Home: a request.
start 80 24
wait_for "My open work"
keys c
expect "New work order" "home: c opens quick-create"
keys "Request from home"
keys Enter
keys Enter
keys Enter
keys Right
keys s
expect "Created WO-" "home: s saves"
num=$(w wo list --search "Request from home" --format csv | awk -F, 'NR == 2 { print $1 }')
check "home: saved as a request, requested status" \
	bash -c "[ \"$(db_field "$num" Type)/$(db_field "$num" Status)\" = request/requested ]"
keys Q
expect "EXITED 0" "home: Q quits"
finish
