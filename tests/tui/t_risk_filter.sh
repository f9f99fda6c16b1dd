#!/usr/bin/env bash
# The failure-risk ranking on the planner's desk: / narrows the rows as it
# is typed (tag or class), c shows one class (the assets `wrench rank
# --class` ranks), and h ranks again for 7 or 90 days, with the numbers of
# `wrench rank --horizon`.
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }

selected() { screen | grep '^>' | grep -qF -- "$1"; }
expect_sel() {
	if retry selected "$1"; then pass "$2"; else fail "$2 (the selected row is not '$1')"; fi
}
# rank ARGS: `wrench rank` as CSV rows (no heading): rank,asset,class,p_fail,...
rank() { w rank --format csv "$@" | tail -n +2 | tr -d '\r'; }
rank >"$T_DIR/all.csv" || { echo "wrench rank failed"; echo "0 passed, 1 failed"; exit 1; }
ranked=$(wc -l <"$T_DIR/all.csv")

# The first class by name, and the assets of it.
cls=$(cut -d, -f3 "$T_DIR/all.csv" | LC_ALL=C sort -u | head -1)
in_cls=$(rank --class "$cls" | wc -l)
other=$(awk -F, -v c="$cls" '$3 != c { print $2; exit }' "$T_DIR/all.csv")
cls_top=$(awk -F, -v c="$cls" '$3 == c { print $2; exit }' "$T_DIR/all.csv")
# A search: the top asset's tag without its last two characters.
top=$(awk -F, 'NR == 1 { print $2 }' "$T_DIR/all.csv")
term=${top%??}
matches=$(awk -F, -v t="$(echo "$term" | tr 'A-Z' 'a-z')" \
	'index(tolower($2), t) || index(tolower($3), t)' "$T_DIR/all.csv" | wc -l)
nomatch=$(awk -F, -v t="$(echo "$term" | tr 'A-Z' 'a-z')" \
	'!index(tolower($2), t) && !index(tolower($3), t) { print $2; exit }' "$T_DIR/all.csv")
# The riskiest asset and its probability at 7 and at 90 days.
top_at() { rank --horizon "$1" | awk -F, 'NR == 1 { printf "%s %.1f\n", $2, 100 * $4 }'; }
read -r top7 p7 <<<"$(top_at 7d)"
read -r top90 p90 <<<"$(top_at 90d)"
# n and N with a search kept (Enter) and a class: the search is the top
# asset of the class without its last two characters; the rows of the
# class that match it, in the order of the whole ranking at 90 and at 7
# days (the screen filters the ranking of every asset).
cterm=${cls_top%??}
in_order() {
	rank --horizon "$1" | awk -F, -v c="$cls" -v t="$(echo "$cterm" | tr 'A-Z' 'a-z')" \
		'$3 == c && (index(tolower($2), t) || index(tolower($3), t)) { print $2 }'
}
mapfile -t C90 < <(in_order 90d)
mapfile -t C7 < <(in_order 7d)
[ "${#C90[@]}" -ge 3 ] || { echo "class $cls has too few assets for n and N"; echo "0 passed, 1 failed"; exit 1; }

for size in "40 16" "120 40"; do
	set -- $size
	tag="$1x$2"
	start "$1" "$2"
	wait_for "My open work"
	keys 5
	expect "Failure risk, $ranked assets" "$tag: the ranking has every asset ($ranked)"

	# /: each key narrows the rows; Esc brings them all back.
	keys /
	keys "$term"
	expect "Failure risk, $matches of $ranked" "$tag: / '$term' keeps the $matches matching rows"
	check "$tag: a row that does not match ($nomatch) is gone" \
		retry bash -c "! tmux -L '$T_SOCK' capture-pane -p -t main | grep -q '^[ >]$nomatch '"
	keys Escape
	expect "Failure risk, $ranked assets" "$tag: Esc cancels the search"

	# c: the class pick list; 2 is the first class by name.
	keys c
	expect "all classes ($ranked assets)" "$tag: c offers every class, and all"
	keys 2
	expect "Failure risk, $in_cls of $ranked" "$tag: class $cls shows its $in_cls assets, as wrench rank --class"
	expect_sel "$cls_top" "$tag: its riskiest first ($cls_top)"
	check "$tag: an asset of another class ($other) is not shown" \
		retry bash -c "! tmux -L '$T_SOCK' capture-pane -p -t main | grep -q '^[ >]$other '"
	keys c
	keys 1
	expect "Failure risk, $ranked assets" "$tag: all classes again"

	# h: another horizon, ranked again in the background.
	keys h
	expect "90 days" "$tag: h offers the horizons"
	keys 1
	keys g
	expect_sel "$top7" "$tag: at 7 days the riskiest is $top7, as wrench rank --horizon 7d"
	expect_sel "$p7" "$tag: with its 7-day probability ($p7%)"
	if [ "$1" -ge 100 ]; then
		expect "P(fail in 7 days)" "$tag: the heading names the horizon"
	else
		expect ", 7d (s col" "$tag: the heading names the horizon"
	fi
	keys h
	keys 3
	keys g
	expect_sel "$p90" "$tag: at 90 days $top90 has its 90-day probability ($p90%)"
	expect_sel "$top90" "$tag: and comes first"

	# n and N over the rows a kept search and a class leave, at 90 days,
	# then at 7 (the search, the class and n stay through the new ranking).
	keys /
	keys "$cterm"
	keys Enter
	keys c
	keys 2
	expect "Failure risk, ${#C90[@]} of $ranked, class" "$tag: / '$cterm' and class $cls keep ${#C90[@]} rows"
	keys g
	keys n
	expect_sel "${C90[1]}" "$tag: n goes to the next of them (${C90[1]})"
	keys n
	expect_sel "${C90[2]}" "$tag: n again (${C90[2]})"
	keys N
	expect_sel "${C90[1]}" "$tag: N goes back (${C90[1]})"
	keys h
	keys 1
	# The menu closed and the ranking for 7 days is in.
	if [ "$1" -ge 100 ]; then wait_for "p% = P(fail in 7 days)"; else wait_for ", 7d (s col"; fi
	expect "Failure risk, ${#C7[@]} of $ranked" "$tag: at 7 days the search and the class stay"
	keys g
	keys n
	expect_sel "${C7[1]}" "$tag: n at 7 days goes to ${C7[1]}, as wrench rank --horizon 7d"
	keys N
	expect_sel "${C7[0]}" "$tag: and N back to ${C7[0]}"
	keys Q
	expect "EXITED 0" "$tag: Q quits"
done
finish
