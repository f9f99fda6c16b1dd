#!/usr/bin/env bash
# The failure-risk ranking of one site: on a plant of two sites, l offers
# the sites (the pick list of the Reports screen), and choosing one ranks
# again with only its assets, with the numbers of `wrench rank --site` (its
# classes fitted on its assets alone, not the whole plant's rows
# filtered); the site is named in the title; "all sites" brings every
# asset back.
source "$(dirname "$0")/lib.sh"

# North has its pumps in a hall below the site; South has pumps and a fan
# at the site itself.
printf 'code,name,kind,parent\nNORTH,North works,site,\nN-HALL,North hall,area,NORTH\nSOUTH,South works,site,\n' \
	>"$T_DIR/locations.csv"
{
	echo "tag,name,class,install_date,location"
	for a in P-N1 P-N2 P-N3; do echo "$a,Pump $a,pump,2023-01-01,N-HALL"; done
	for a in P-S1 P-S2 P-S3; do echo "$a,Pump $a,pump,2023-01-01,SOUTH"; done
	echo "F-S1,Fan S1,fan,2023-01-01,SOUTH"
} >"$T_DIR/assets.csv"
{
	echo "asset,date,event,code,notes"
	i=0
	for a in P-N1 P-N2 P-N3 P-S1 P-S2 P-S3 F-S1; do
		i=$((i + 1))
		for d in 2023-06-1$i 2024-02-1$i 2024-09-0$i 2025-04-2$i 2025-11-1$i; do
			echo "$a,$d,failure,,Tripped"
		done
	done
	echo "P-N2,2025-12-20,failure,,Tripped"
	echo "P-S3,2026-01-14,failure,,Tripped"
} >"$T_DIR/history.csv"
{ w import locations "$T_DIR/locations.csv" && w import assets "$T_DIR/assets.csv" &&
	w import history "$T_DIR/history.csv"; } >/dev/null || {
	echo "cannot build the two-site plant"
	echo "0 passed, 1 failed"
	exit 1
}

selected() { screen | grep '^>' | grep -qF -- "$1"; }
expect_sel() {
	if retry selected "$1"; then pass "$2"; else fail "$2 (the selected row is not '$1')"; fi
}
# row TAG: the ranking shows a row of the asset.
row() { screen | grep -qE "^[ >]$1 "; }
no_row() { ! row "$1"; }
# rank ARGS: `wrench rank` as CSV rows (no heading): rank,asset,class,p_fail,...
rank() { w rank --format csv "$@" | tail -n +2 | tr -d '\r'; }
# first ARGS: the riskiest asset that `wrench rank ARGS` ranks, and its p%.
first() { rank "$@" | awk -F, 'NR == 1 { printf "%s %.1f\n", $2, 100 * $4 }'; }
tags() { rank "$@" | cut -d, -f2 | LC_ALL=C sort | tr '\n' ' '; }

[ "$(tags)" = "F-S1 P-N1 P-N2 P-N3 P-S1 P-S2 P-S3 " ] &&
	[ "$(tags --site NORTH)" = "P-N1 P-N2 P-N3 " ] &&
	[ "$(tags --site SOUTH)" = "F-S1 P-S1 P-S2 P-S3 " ] || {
	echo "wrench rank --site does not split the plant as this test expects"
	echo "0 passed, 1 failed"
	exit 1
}
read -r top_all p_all <<<"$(first)"
read -r top_n p_n <<<"$(first --site NORTH)"
read -r top_s p_s <<<"$(first --site SOUTH)"
# North's pumps are fitted without South's: a filter over the plant's
# ranking would show another probability than the site's own ranking.
p_n_plant=$(rank | awk -F, -v t="$top_n" '$2 == t { printf "%.1f", 100 * $4 }')
[ "$p_n_plant" != "$p_n" ] || {
	echo "$top_n has the same p_fail ranked with and without South ($p_n): the plant cannot tell"
	echo "0 passed, 1 failed"
	exit 1
}

for size in "40 16" "120 40"; do
	set -- $size
	tag="$1x$2"
	start "$1" "$2"
	wait_for "My open work"
	keys 5
	expect "Failure risk, 7 assets" "$tag: the ranking has both sites' seven assets"
	check "$tag: a North pump is ranked" retry row P-N1
	check "$tag: and South's fan" retry row F-S1

	# l: the sites, "all sites" first.
	keys l
	expect "all sites" "$tag: l offers every site, and all"
	expect "NORTH North works" "$tag: North is one"
	expect "SOUTH South works" "$tag: South the other"
	keys 2
	expect "Failure risk at NORTH, 3 assets" "$tag: North's three pumps, the site in the title"
	expect_sel "$top_n" "$tag: its riskiest first ($top_n), as wrench rank --site NORTH"
	expect_sel "$p_n" "$tag: with North's own probability ($p_n%, $p_n_plant% in the plant's ranking)"
	check "$tag: South's pump is gone" retry no_row P-S1
	check "$tag: and South's fan" retry no_row F-S1
	check "$tag: the hall's pumps below the site are there" row P-N3

	keys l
	expect "all sites" "$tag: l again"
	keys 3
	expect "Failure risk at SOUTH, 4 assets" "$tag: South's four assets"
	expect_sel "$top_s" "$tag: its riskiest first ($top_s, $p_s%)"
	expect_sel "$p_s" "$tag: with South's probability ($p_s%)"
	check "$tag: no North pump" retry no_row P-N1

	# The class filter keeps working within the site.
	keys c
	expect "all classes (4 assets)" "$tag: c offers the site's classes"
	keys 2
	expect "Failure risk at SOUTH, 1 of 4" "$tag: South's fans only"
	check "$tag: the fan is shown" retry row F-S1
	check "$tag: South's pumps are not" retry no_row P-S1
	keys c 1

	# All sites again: every asset, with the plant's numbers.
	keys l
	expect "all sites" "$tag: l once more"
	keys 1
	expect "Failure risk, 7 assets" "$tag: all sites bring every asset back"
	check "$tag: North's pumps again" retry row P-N1
	check "$tag: and South's fan" retry row F-S1
	keys g
	expect_sel "$top_all" "$tag: the plant's riskiest first ($top_all)"
	expect_sel "$p_all" "$tag: with the plant's probability ($p_all%)"
	expect_not "at NORTH" "$tag: no site in the title"
	keys Q
	expect "EXITED 0" "$tag: Q quits"
done
finish
