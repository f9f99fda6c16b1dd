#!/usr/bin/env bash
# The parts inventory in the terminal, at 40x16 and at desk size (120x40):
# in a work order's part form, a scanned barcode (a fast burst ending in
# Enter, as a keyboard-wedge scanner types it) or a typed code picks the
# part (its code, name and cost filled); saving lowers its quantity on
# hand; L opens the parts low on stock, a shows every part.
source "$(dirname "$0")/lib.sh"

A=${ATLAS_TEMPLATES:-$WRENCH_SRC/../shared/data/atlas-cmms-templates}
if [ ! -r "$A/part.csv" ]; then
	echo "no Atlas part.csv in $A (set ATLAS_TEMPLATES)"
	echo "0 passed, 1 failed"
	exit 1
fi

# A small plant: one pump, one work order of mine, Atlas's four parts
# (O-rings 2505, barcode 82168288: 3 on hand, minimum 3; Display Units
# 2476: 17 on hand, minimum 10).
make_parts_db() {
	rm -f "$DB"
	w init >/dev/null || return 1
	printf 'tag,name\nTST-PUMP-1,Test pump\n' >"$T_DIR/assets.csv"
	w import assets "$T_DIR/assets.csv" >/dev/null || return 1
	w import parts "$A/part.csv" >/dev/null || return 1
	WO=$(w wo new --asset TST-PUMP-1 --title "Leaking pump seal" --assignee tech) || return 1
}

on_hand() { [ "$(w part show "$1" --format json | jq .on_hand)" = "$2" ]; }
used() { w wo show "$WO" --format json | jq -e --arg c "$1" --arg d "$2" --argjson q "$3" \
	'[.parts[] | select(.part_code == $c and .description == $d and .qty == $q)] | length == 1' \
	>/dev/null; }

for size in "40 16" "120 40"; do
	set -- $size
	tag="$1x$2"
	make_parts_db || { fail "$tag: cannot build the test database"; continue; }
	start "$1" "$2"
	wait_for "My open work"
	scan "$WO"
	expect "Leaking pump seal" "$tag: the work order opens"

	# A scanned barcode picks the O-rings and goes on to the quantity.
	keys p
	expect "Add part used" "$tag: p opens the part form"
	scan 82168288
	expect "O-rings: 3 on hand, low" "$tag: the scan names the part and its stock"
	expect "2505" "$tag: the part's code replaces its barcode"
	keys 2 F2
	check "$tag: saving lowers the O-rings to 1" retry on_hand 2505 1
	check "$tag: the use names the part and its name" used 2505 O-rings 2

	# A typed code picks the part when the field is left.
	keys p
	wait_for "Add part used"
	keys 2476
	keys Enter
	expect "Display Units: 17 on hand" "$tag: a typed code picks the part"
	keys F2
	check "$tag: a quantity left empty is one: 16 on hand" retry on_hand 2476 16
	check "$tag: its name was filled" used 2476 "Display Units" 1

	# An unknown code stays as written.
	keys p
	wait_for "Add part used"
	keys GASKET-9
	keys Enter
	expect "GASKET-9 is not in the inventory" "$tag: an unknown code is said"
	keys Escape q
	expect "Discard changes?" "$tag: leaving the unsaved form asks"
	keys y
	expect "Leaking pump seal" "$tag: back on the work order"

	# Low stock: the O-rings only; a shows all four.
	keys L
	expect "Low stock: 1" "$tag: L lists the parts low on stock"
	expect "O-rings" "$tag: the O-rings are low"
	keys a
	expect "Parts: 4" "$tag: a lists every part"
	expect "Display Units" "$tag: with those not low"
	keys a
	expect "Low stock: 1" "$tag: a again: low stock only"
	tm kill-server >/dev/null 2>&1 || true
done

finish
