# concurrency.sh - two writers at once through the CLI: two background loops
# of `wrench wo new` on the same database, then every row must be there,
# numbered uniquely, with no command failing on a locked database.
. "$(dirname "$0")/lib.sh"

export WRENCH_TODAY=2024-09-01
PER=25

w init
check_rc "init" 0
printf 'tag,name\nA-1,First\nB-1,Second\n' >"$TMP/assets.csv"
w import assets "$TMP/assets.csv"
check_rc "import assets" 0

writer() { # name asset
	i=1
	while [ "$i" -le "$PER" ]; do
		if ! "$WRENCH" --db "$DB" --user "$1" wo new --asset "$2" --title "$1 job $i" \
			>>"$TMP/$1.out" 2>>"$TMP/$1.err"; then
			echo "failed: $1 job $i" >>"$TMP/$1.fail"
		fi
		if ! "$WRENCH" --db "$DB" --user "$1" wo list --limit 1 --format csv >/dev/null \
			2>>"$TMP/$1.err"; then
			echo "reader failed: $1 $i" >>"$TMP/$1.fail"
		fi
		i=$((i + 1))
	done
}

writer alice A-1 &
PA=$!
writer bob B-1 &
PB=$!
wait "$PA"
wait "$PB"

[ ! -e "$TMP/alice.fail" ] && pass || fail "alice's writes failed" "$(cat "$TMP/alice.fail" "$TMP/alice.err")"
[ ! -e "$TMP/bob.fail" ] && pass || fail "bob's writes failed" "$(cat "$TMP/bob.fail" "$TMP/bob.err")"
assert_eq "alice printed a number per job" "$PER" "$(wc -l <"$TMP/alice.out" | tr -d ' ')"
assert_eq "bob printed a number per job" "$PER" "$(wc -l <"$TMP/bob.out" | tr -d ' ')"

w wo list --format json
check_rc "list after the writers" 0
assert_eq "every row present" "$((2 * PER))" "$(printf '%s' "$OUT" | jq length)"
assert_eq "numbers unique" "$((2 * PER))" "$(printf '%s' "$OUT" | jq '[.[].number] | unique | length')"
assert_eq "alice's rows" "$PER" "$(printf '%s' "$OUT" | jq '[.[] | select(.title | startswith("alice "))] | length')"
assert_eq "bob's rows" "$PER" "$(printf '%s' "$OUT" | jq '[.[] | select(.asset == "B-1")] | length')"
assert_eq "printed numbers are the stored ones" \
	"$(cat "$TMP/alice.out" "$TMP/bob.out" | sort | tr '\n' ' ')" \
	"$(printf '%s' "$OUT" | jq -r '.[].number' | sort | tr '\n' ' ')"
for i in 1 $PER; do
	w wo list --search "alice job $i" --format csv
	[ "$(csv_rows "$OUT")" -ge 1 ] && pass || fail "alice job $i missing"
done

# Two writers changing the same work order: both transactions land, in
# some order, and the version counts both.
w wo new --asset A-1 --title "Shared"
N=$OUT
"$WRENCH" --db "$DB" wo set "$N" --assignee alice --priority high >"$TMP/s1" 2>&1 &
P1=$!
"$WRENCH" --db "$DB" wo set "$N" --description "from bob" --est-hours 2 >"$TMP/s2" 2>&1 &
P2=$!
wait "$P1"
R1=$?
wait "$P2"
R2=$?
assert_eq "first concurrent wo set" "0" "$R1"
assert_eq "second concurrent wo set" "0" "$R2"
w wo show "$N" --format json
assert_eq "both changes kept" "alice|high|from bob|2" \
	"$(printf '%s' "$OUT" | jq -r '[.assignee, .priority, .description, (.est_hours|tostring)] | join("|")')"
assert_eq "version counts four changes" "5" "$(printf '%s' "$OUT" | jq .version)"

finish
