#!/usr/bin/env bash
# Assets: the location tree (open, close, go up), the flat list with
# incremental search, the asset screen with its reliability card (the
# numbers the CLI's ranking gives), the R(t) plot, a meter reading (one
# going backwards is refused), an asset's work order, quick-create from an
# asset, and the desk layout with the card beside the list.
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }

# The selected row (drawn with ">" in the first column) contains TEXT.
selected() { screen | grep '^>' | grep -qF -- "$1"; }
expect_sel() {
	if retry selected "$1"; then pass "$2"; else fail "$2 (the selected row is not '$1')"; fi
}
# The card's numbers, from the CLI ranking of the plant (the card's model).
rank_field() {
	w rank --format csv | awk -F, -v t="$2" -v c="$3" \
		'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i } NR > 1 && $2 == t { print $col[c] }'
}
meter_value() { w asset show "$1" | awk '$1 == "hours" { print $2 }'; }

cls=$(w asset show AC-1001 | awk '$1 == "Class" { print $2 }')
p=$(rank_field "$cls" AC-1001 p_fail)
beta=$(rank_field "$cls" AC-1001 beta)
p_txt=$(awk -v p="$p" 'BEGIN { printf "%.1f%%", 100 * p }')
beta_txt=$(awk -v b="$beta" 'BEGIN { printf "%.2f", b }')
[ -n "$p" ] && [ -n "$beta" ] || { echo "no ranking for AC-1001"; echo "0 passed, 1 failed"; exit 1; }

# A name holding terminal escapes must show as text.
printf 'tag,name,class\nTST-EVIL-1,"Evil \033[31mred\033[0m name\007",pump\n' >"$T_DIR/evil.csv"
w import assets "$T_DIR/evil.csv" >/dev/null || { echo "cannot import"; echo "0 passed, 1 failed"; exit 1; }

n=0
for size in "80 24" "40 16"; do
	set -- $size
	tag="$1x$2"
	n=$((n + 1))
	start "$1" "$2"
	wait_for "My open work"

	# The tree: one site, opened; its areas in code order.
	keys 3
	expect "Assets: tree" "$tag: 3 opens the assets as a tree"
	expect "RIV  Riverside Bottling Plant" "$tag: the site is shown"
	expect "+ RIV-UTIL  Utilities" "$tag: the site is open, its areas closed"
	expect "(no location)" "$tag: assets without a location have a node"
	keys j j j
	expect_sel "RIV-UTIL" "$tag: j moves down the tree"
	keys l
	expect "RIV-UTIL-CMP  Compressor room" "$tag: l opens an area: its rooms"
	expect "- RIV-UTIL  Utilities" "$tag: the opened area is marked -"
	keys j j j
	expect_sel "RIV-UTIL-CMP" "$tag: on the compressor room"
	keys Right
	expect "AC-1001  Air compressor 1" "$tag: Right opens a room: its assets"
	expect_not "M-1034" "$tag: a sub-asset shows under its parent, not the room"
	keys j
	expect_sel "AC-1001" "$tag: on the first compressor"
	keys l
	expect "M-1034  Motor, Air" "$tag: l on an asset shows its sub-assets"
	keys h
	wait_gone "M-1034"
	pass "$tag: h closes the asset"
	keys h
	expect_sel "RIV-UTIL-CMP" "$tag: h on a closed node goes to its parent"
	keys Left
	wait_gone "AC-1001"
	pass "$tag: Left closes the room"
	keys Enter
	expect "AC-1001  Air compressor 1" "$tag: Enter opens a location too"

	# Open the asset: fields, then the card once computed.
	keys j
	keys Enter
	expect "Asset AC-1001" "$tag: Enter opens the asset screen"
	expect "air-compressor" "$tag: the asset's class is shown"
	expect "P(fail" "$tag: the reliability card is computed"
	expect "$p_txt" "$tag: the card's P(fail) is the CLI's ($p_txt)"
	expect "β $beta_txt" "$tag: the card shows β as the CLI ($beta_txt)"
	expect "η " "$tag: the card shows η"
	expect "MTBF" "$tag: the card shows the MTBF"
	expect "trend:" "$tag: the card shows the trend"

	# The reliability curve with the age marked.
	keys v
	expect "R(t), β $beta_txt" "$tag: v shows the reliability curve"
	expect "age " "$tag: the age is marked under the curve"
	expect "now (age)" "$tag: the legend explains the marker"
	keys v
	expect "Meters (1)" "$tag: v again returns to the asset"

	# A meter reading: one below the last is refused, then a good one.
	before=$(meter_value AC-1001)
	low=$(awk -v v="$before" 'BEGIN { printf "%d", v - 100 }')
	high=$(awk -v v="$before" -v n="$n" 'BEGIN { printf "%d", v + 10 * n }')
	keys r
	expect "Meter reading" "$tag: r opens the reading form"
	expect "< hours >" "$tag: the asset's meter is chosen"
	keys Enter
	keys "$low"
	keys Enter
	expect "Not saved:" "$tag: a reading below the last is refused"
	check "$tag: the refused reading is not stored" [ "$(meter_value AC-1001)" = "$before" ]
	keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
	keys "$high"
	keys Enter
	expect "Reading $high h recorded" "$tag: a good reading is saved"
	check "$tag: wrench asset show has the reading" retry \
		bash -c "[ \"\$(\"$WRENCH\" --db \"$DB\" asset show AC-1001 | awk '\$1 == \"hours\" { print \$2 }')\" = $high ]"
	# A message too long for the line covers the body's last row until
	# the next key (^L redraws and does nothing else).
	keys C-l
	expect "hours: $high h" "$tag: the screen shows the new reading"
	keys q
	expect "Assets: tree" "$tag: q returns to the tree"

	# The flat list and incremental search.
	keys /
	keys T S T - P
	expect "TST-PUMP-1" "$tag: / searches as you type"
	expect_not "AC-1001" "$tag: the search narrows the list"
	keys Escape
	expect "Assets: tree" "$tag: Esc on a new search returns to the tree"
	keys /
	keys "Steam boiler"
	expect "B-1002" "$tag: search by name finds the boilers"
	expect_not "AC-1001" "$tag: and nothing else"
	keys Enter
	expect "/Steam boiler" "$tag: Enter keeps the search"
	last=$(w asset list --search "Steam boiler" --format csv | tail -1 | cut -d, -f1)
	keys G
	expect_sel "$last" "$tag: G goes to the last match ($last)"
	keys t
	expect "Assets: tree" "$tag: t switches to the tree"
	keys t
	expect "/Steam boiler" "$tag: t again: the flat list kept its search"

	# Escapes in a name are shown, not obeyed, in the list and the asset.
	keys /
	keys C-u
	keys TST-EVIL
	expect "Evil ?[31mred?[0m name?" "$tag: an escape in a name is shown as text in the list"
	keys Enter
	keys Enter
	expect "TST-EVIL-1  Evil ?[31mred" "$tag: and on the asset screen"
	keys q

	# An asset's open work order, then quick-create from the asset.
	keys /
	keys C-u
	keys "TST-PUMP-1"
	keys Enter
	keys Enter
	expect "Asset TST-PUMP-1" "$tag: Enter opens the asset from the flat list"
	expect "not ranked" "$tag: an asset without a dated life is not ranked, and says so"
	expect "$LEAK" "$tag: its open work orders are listed"
	newest=$(w wo list --asset TST-PUMP-1 --status active --limit 1 --format csv | tail -1 |
		cut -d, -f1)
	keys Tab Tab Tab
	expect_sel "Open work orders" "$tag: Tab goes from section to section"
	keys j
	expect_sel "$newest" "$tag: the newest open work order comes first"
	expect "Recent work done" "$tag: the latest finished work follows"
	expect "$FIXED" "$tag: with $FIXED, done on it"
	keys Enter
	expect "$newest open" "$tag: Enter opens the work order"
	keys q
	expect "Asset TST-PUMP-1" "$tag: q returns to the asset"
	keys c
	expect "New work order" "$tag: c opens quick-create"
	expect "TST-PUMP-1" "$tag: with the asset filled in"
	keys "Bearing noise $tag"
	keys F2
	expect "Created WO-" "$tag: F2 saves it"
	check "$tag: the new work order is on the asset" \
		bash -c "\"$WRENCH\" --db \"$DB\" wo list --asset TST-PUMP-1 --format csv | grep -q 'Bearing noise $tag'"
	keys Q
	expect "EXITED 0" "$tag: Q quits"
done

# Desk: the selected asset's card and curve beside the list.
start 120 40
wait_for "My open work"
keys 3
keys /
keys AC-1001
keys Enter
expect "│" "120x40: a separator splits the list and the card"
expect "Reliability, next 30 days" "120x40: the card of the selected asset shows beside the list"
expect "P(fail within 30d) $p_txt" "120x40: with the wide card's wording"
expect "now (age)" "120x40: and the curve below it"
keys Enter
expect "Asset AC-1001" "120x40: Enter opens the asset"
expect "R(t), β" "120x40: the curve stands beside the asset's text"
keys Q
expect "EXITED 0" "120x40: Q quits"
finish
