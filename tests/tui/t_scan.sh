#!/usr/bin/env bash
# Barcode scans at 40x16 and at desk size (120x40).  A scan ends in Enter;
# `scan` types it as one burst, `paced MS` one key every MS milliseconds
# (5 ms and 50 ms scanners).  A work-order number opens it, an asset tag
# opens the asset, matching ignores case and surrounding blanks, an unknown
# code says so and does nothing else, the same scan within 2 s is ignored,
# and in a text field a scan is text whose Enter does not act.  With a menu
# (status list, filter pick list), a form or a confirmation open, no key of
# a scan acts on it: the menu closes unchosen and the record opens.
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }
# Tags with the digits that choose statuses (1 in_progress, 4 cancelled),
# a Y that answers a confirmation, and one stored in small letters.
printf 'tag,name,class\nAC-1041,Air compressor 1041,compressor\nAC-4004,Air compressor 4004,compressor\nKY-4001,Kettle Y,kettle\nac-2002,Small-letter compressor,compressor\n' \
	>"$T_DIR/scan_assets.csv"
w import assets "$T_DIR/scan_assets.csv" >/dev/null || { echo "import failed"; echo "0 passed, 1 failed"; exit 1; }

status_is() { [ "$(db_field "$1" Status)" = "$2" ]; }

for size in "40 16" "120 40"; do
	set -- $size
	tag="$1x$2"
	start "$1" "$2"
	wait_for "My open work"
	scan "$LEAK"
	expect "Seal leaking again" "$tag: scanning $LEAK on Home opens it"
	scan "$LEAK"
	expect "Ignored repeated scan '$LEAK'" "$tag: the same scan within 2 s is ignored"
	keys q
	expect "My open work" "$tag: one q returns Home: the repeat opened nothing"
	scan TST-PUMP-1
	expect "$FIXED" "$tag: scanning an asset tag opens the asset with its work orders"
	keys q
	wait_for "My open work"

	# Slow and fast scanners on Home: the record opens, no key is a command.
	for ms in 50 5; do
		paced "$ms" "$TWO"
		expect "Test open job for tech" "$tag: a ${ms} ms scan of $TWO on Home opens it"
		keys q
		wait_for "My open work"
		sleep 2.1        # the same code again after 2 s is a new scan
	done

	# Case and blanks: AC-2002 opens the asset stored as ac-2002.
	paced 5 "AC-2002 "
	expect "Small-letter compressor" "$tag: AC-2002 with a trailing blank opens ac-2002"
	keys q
	wait_for "My open work"
	paced 0 "NOPE-4001"
	expect "no asset or work order NOPE-4001" "$tag: an unknown code is named"
	expect "My open work" "$tag: and Home stays"

	# The status list of an open work order: scans of tags holding 1 and 4
	# (in_progress and cancelled) choose nothing.
	for ms in 5 50 100; do
		scan "$TWO"
		wait_for "Test open job for tech"
		keys t
		wait_for "New status"
		case $ms in
		5) code=AC-1041 shows="Air compressor 1041" ;;
		50) code=AC-4004 shows="Air compressor 4004" ;;
		*) code=TST-PUMP-1 shows=$FIXED ;;  # 100 ms: a scanner slowed by load
		esac
		paced "$ms" "$code"
		expect "$shows" "$tag: a ${ms} ms scan in the status list opens $code"
		check "$tag: ... and $TWO is still open after the ${ms} ms scan" retry 2 status_is "$TWO" open
		expect_not "New status" "$tag: ... and the status list is closed unchosen"
		keys q
		keys q
		wait_for "My open work"
		sleep 2.1
	done
	# An unknown code in the status list: a message, the list stays.
	scan "$TWO"
	wait_for "Test open job for tech"
	keys t
	wait_for "New status"
	paced 5 "NOPE-1004"
	expect "no asset or work order NOPE-1004" "$tag: an unknown code in the status list is named"
	expect "New status" "$tag: ... and the status list stays open"
	check "$tag: ... and $TWO is still open" status_is "$TWO" open
	# A digit typed alone still chooses.
	keys Escape
	wait_gone "New status"

	# The filter pick list of the work-order list.
	keys 2
	wait_for "Work orders"
	keys f
	wait_for "Filter"
	paced 50 "$LEAK"
	expect "Seal leaking again" "$tag: a 50 ms scan in the filter list opens $LEAK"
	keys q
	wait_for "Work orders"
	expect_not "Filter:" "$tag: ... and no filter was chosen"
	keys 1
	wait_for "My open work"

	# Quick-create: in the title field a scan is text and its Enter does not
	# move on; in choosing mode the record opens over the form, edits kept.
	keys c
	wait_for "New work order"
	paced 5 "TST-FAN-1"
	expect ">Title*    TST-FAN-1" "$tag: a 5 ms scan into the title field is its text"
	keys Escape
	paced 50 "AC-1041"
	expect "Air compressor 1041" "$tag: a 50 ms scan over the form opens the asset"
	keys q
	expect ">Title*    TST-FAN-1" "$tag: q returns to the form with its text"
	keys Down
	keys Enter
	paced 50 "KY-4001"
	expect "Asset     KY-4001" "$tag: a 50 ms scan into the asset field fills it"
	expect_not "Not saved" "$tag: ... and its Enter did not save"
	# A confirmation: "Discard changes?" and a tag with a Y in it.
	keys Escape
	keys q
	wait_for "Discard changes?"
	paced 5 "KY-4001"
	expect "Kettle Y" "$tag: a scan during a confirmation opens the asset"
	keys q
	expect "Asset     KY-4001" "$tag: ... and the Y in it discarded nothing"
	keys q
	wait_for "Discard changes?"
	keys y
	wait_for "My open work"

	# Single keys typed at human speed are not scans; 2 and j at once act.
	keys 2j
	expect "Work orders 2/" "$tag: 2 then j typed quickly switch screens and move"
	keys j
	expect "Work orders 3/" "$tag: typed j keys still move"
	keys Q
	expect "EXITED 0" "$tag: Q quits"
done

# A scanner that sends a prefix: detection is exact, whatever the timing.
start 40 16 WRENCH_SCAN_PREFIX=+
wait_for "My open work"
paced 300 "+$LEAK"
expect "Seal leaking again" "prefix: a slow scan after + opens $LEAK"
keys q
wait_for "My open work"
start 120 40 WRENCH_SCAN_WINDOW_MS=fast WRENCH_SCAN_PREFIX=+
expect "WRENCH_SCAN_WINDOW_MS: scanner window 'fast' must be a number" \
	"a bad WRENCH_SCAN_WINDOW_MS is named"
wait_for "My open work"
paced 300 "+$TWO"
expect "Test open job for tech" "the good WRENCH_SCAN_PREFIX beside it still applies"
finish
