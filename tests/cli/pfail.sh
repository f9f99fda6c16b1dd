# pfail.sh - one p_fail per asset, date and horizon: `asset show` gives every
# asset of the demo plant the probability `rank` gives it (both read the one
# plant model), and says "not ranked" exactly for the assets rank leaves out.
. "$(dirname "$0")/lib.sh"

export WRENCH_TODAY=2025-03-15

run "$WRENCH" --db "$DB" demo --no-ui
check_rc "demo plant" 0
run "$WRENCH" --db "$DB" asset list --format json
check_rc "asset list" 0
TAGS=$(printf '%s' "$OUT" | jq -r '.[].tag')
NTAGS=$(printf '%s\n' "$TAGS" | wc -l | tr -d ' ')

# compare NAME RANK-OPTIONS...: rank once, then asset show for every asset
# with the same date and horizon; every p_fail must be the same number.
compare() {
	local name=$1 rank show tag
	shift
	run "$WRENCH" --db "$DB" rank "$@" --format json
	check_rc "$name: rank" 0
	rank=$OUT
	: >"$TMP/show.json"
	for tag in $TAGS; do
		if ! "$WRENCH" --db "$DB" asset show "$tag" "$@" --history 0 --format json \
			>>"$TMP/show.json" 2>"$TMP/show.err"; then
			fail "$name: asset show $tag failed" "$(cat "$TMP/show.err")"
			return
		fi
	done
	show=$(jq -s '[.[] | {tag, r: .reliability}]' "$TMP/show.json")
	assert_eq "$name: one document per asset" "$NTAGS" "$(printf '%s' "$show" | jq length)"
	assert_eq "$name: as many ranked by asset show as by rank" \
		"$(printf '%s' "$rank" | jq length)" \
		"$(printf '%s' "$show" | jq '[.[] | select(.r.ranked)] | length')"
	# Every ranked asset: asset show's p_fail is rank's, to every digit
	# printed.  The list of disagreements must be empty.
	# Through files: the documents are too long for the command line.
	printf '%s' "$rank" >"$TMP/rank.json"
	printf '%s' "$show" >"$TMP/shows.json"
	assert_eq "$name: p_fail of asset show = p_fail of rank, every asset" "[]" \
		"$(jq -cn --slurpfile rank "$TMP/rank.json" --slurpfile show "$TMP/shows.json" '
			($rank[0] | map({key: .asset, value: .p_fail}) | from_entries) as $p
			| $show[0] as $show
			| [$show[] | .tag as $t
			   | select(.r.ranked != ($p | has($t)) or (.r.ranked and .r.p_fail != $p[$t]))
			   | {tag, show: .r.p_fail, rank: $p[$t]}]')"
	assert_eq "$name: expected failures agree too" "[]" \
		"$(jq -cn --slurpfile rank "$TMP/rank.json" --slurpfile show "$TMP/shows.json" '
			($rank[0] | map({key: .asset, value: .expected_failures}) | from_entries) as $x
			| $show[0] as $show
			| [$show[] | select(.r.ranked and .r.expected_failures != $x[.tag]) | .tag]')"
}

compare "today, 30 days"
compare "2024-06-01, 90 days" --at 2024-06-01 --horizon 90d

# The text form says the same.
TOP=$("$WRENCH" --db "$DB" rank --top 1 --format json | jq -r '.[0].asset')
P=$("$WRENCH" --db "$DB" rank --top 1 --format json | jq '.[0].p_fail * 1000 | round / 10')
run "$WRENCH" --db "$DB" asset show "$TOP"
check_rc "asset show text" 0
assert_contains "text shows the ranking's p_fail" "$OUT" "P(fail)      $(printf '%.1f' "$P")%"

# A retired asset is not ranked, and says why.
RET=$("$WRENCH" --db "$DB" asset list --format json | jq -r '[.[] | select(.status == "retired")][0].tag')
run "$WRENCH" --db "$DB" asset show "$RET" --format json
assert_eq "retired: not ranked" "false" "$(printf '%s' "$OUT" | jq '.reliability.ranked')"
assert_contains "retired: the reason" "$OUT" "retired"

run "$WRENCH" --db "$DB" asset show "$TOP" --horizon soon
check_rc "bad --horizon" 2
run "$WRENCH" --db "$DB" asset show "$TOP" --format csv
check_rc "bad --format" 2

finish
