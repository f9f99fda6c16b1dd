#!/usr/bin/env bash
# Barcode scans (a fast burst ending in Enter, as tmux send-keys types a
# whole string): a work-order number opens it, an asset tag opens the
# asset, an unknown code says so, the same scan within 2 s is ignored, and
# in a text field the scan is just text.
#
# The 2 s window is real time, so the tests around it are built so that a
# slow machine cannot turn them: the repeat is sent in the same burst as
# the scan it repeats, and the scan after the window waits more than 2 s
# after the first one was handled (slowness only adds to that).
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }

for size in "80 24" "40 16"; do
	set -- $size
	tag="$1x$2"
	start "$1" "$2"
	wait_for "My open work"
	scan "$LEAK" "$LEAK"
	expect "Status: open" "$tag: scanning $LEAK on Home opens it"
	expect "Seal leaking again" "$tag: it is the right work order"
	expect "Ignored repeated scan '$LEAK'" "$tag: the same scan within 2 s is ignored"
	keys q
	expect "My open work" "$tag: one q returns Home: the repeat opened nothing"
	scan TST-PUMP-1
	expect "TST-PUMP-1" "$tag: scanning an asset tag opens the asset"
	expect "$FIXED" "$tag: the asset's work orders are listed"
	# A scan on a list screen opens the record too.
	scan "$EVIL"
	expect "Evil ?[31mred" "$tag: scanning on a list opens the work order"
	keys q
	keys q
	wait_for "My open work"
	scan NOPE-1234
	expect "no asset or work order 'NOPE-1234'" "$tag: an unknown code is named"
	# After 2 s the same code opens again.
	scan "$TWO"
	expect "Test open job for tech" "$tag: $TWO opens"
	keys q
	wait_for "My open work"
	sleep 2.1
	scan "$TWO"
	expect "Test open job for tech" "$tag: the same code opens again after 2 s"
	keys q
	wait_for "My open work"
	# In a text field a scan is typed text: the asset field takes the tag.
	keys c
	wait_for "New work order"
	scan "Scanned title"
	scan "TST-FAN-1"
	expect "Asset     TST-FAN-1" "$tag: a scan into the asset field fills it"
	expect "Title*    Scanned title" "$tag: and the title typed before it stays"
	keys Escape
	keys q
	keys y
	# Single keys typed at human speed are not scans.
	keys 2
	expect "Work orders 1/" "$tag: a typed 2 still switches screens"
	keys j
	keys j
	expect "Work orders 3/" "$tag: typed j keys still move"
	keys Q
	expect "EXITED 0" "$tag: Q quits"
done
finish
