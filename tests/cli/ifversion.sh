# ifversion.sh - version-checked edits from scripts: wo set and the
# lifecycle moves with --if-version N change nothing and exit 3 when the
# work order has moved on from version N, saying who changed it and when.
. "$(dirname "$0")/lib.sh"

export WRENCH_USER=alice

w init
check_rc "init" 0
cat >"$TMP/assets.csv" <<'EOF'
tag,name
P-1,Feed pump
EOF
w import assets "$TMP/assets.csv"
check_rc "import assets" 0
w wo new --asset P-1 --title "Seal leaking"
check_rc "wo new" 0
N=$OUT

version() {
	w wo show "$N" --format json
	echo "$OUT" | jq -r .version
}

# ---- the text of wo show gives the version too
w wo show "$N"
assert_contains "wo show names the version" "$OUT" "Version"

V=$(version)
# ---- based on the version stored: changed, and the version moves on
w wo set "$N" --title "Seal replaced" --if-version "$V"
check_rc "wo set --if-version (current)" 0
assert_contains "wo set --if-version says what it did" "$OUT" "updated 1 field"
V2=$(version)
assert_eq "version after the checked set" "$((V + 1))" "$V2"

# ---- someone else (bob) changes it; a script still holding V2 is refused
WRENCH_USER=bob w wo set "$N" --assignee carol
check_rc "bob's change" 0
w wo set "$N" --title "Pump rebuilt" --priority high --if-version "$V2"
check_rc "wo set --if-version (stale) exits 3" 3
assert_contains "conflict names the work order" "$ERR" "$N was changed by bob at "
assert_contains "conflict names both versions" "$ERR" "(version $((V2 + 1)), you had $V2)"
w wo show "$N" --format json
assert_eq "stale set changed nothing (title)" "Seal replaced" "$(echo "$OUT" | jq -r .title)"
assert_eq "stale set changed nothing (priority)" "medium" "$(echo "$OUT" | jq -r .priority)"

# ---- lifecycle moves take it too
V3=$(version)
w wo start "$N" --if-version "$V2"
check_rc "wo start --if-version (stale) exits 3" 3
assert_contains "wo start conflict" "$ERR" "was changed by bob"
w wo show "$N" --format json
assert_eq "stale start changed nothing" "open" "$(echo "$OUT" | jq -r .status)"
w wo start "$N" --if-version "$V3"
check_rc "wo start --if-version (current)" 0
w wo done "$N" --note "done" --problem LEAK --if-version "$V3"
check_rc "wo done --if-version (stale) exits 3" 3
w wo show "$N" --format json
assert_eq "stale done changed nothing (status)" "in_progress" "$(echo "$OUT" | jq -r .status)"
assert_eq "stale done added no note" "0" "$(echo "$OUT" | jq '.notes | length')"
assert_eq "stale done set no code" "null" "$(echo "$OUT" | jq .problem)"

# ---- a stale version is the conflict even where the move itself would be
# refused (reopen wants done work)
w wo reopen "$N" --if-version "$V2"
check_rc "wo reopen --if-version (stale, not done) exits 3" 3

# ---- without --if-version nothing is checked, as before, and a move of
# several work orders with fields changes each from its own version
w wo set "$N" --title "Unchecked"
check_rc "wo set without --if-version" 0
w wo new --asset P-1 --title "Third"
K=$OUT
w wo start "$K"
w wo done "$N" "$K" --problem WEAR --note "both"
check_rc "wo done of two work orders with a field" 0

# ---- usage: a version is a positive whole number, for one work order
w wo set "$N" --title x --if-version abc
check_rc "--if-version abc is a usage error" 2
w wo set "$N" --if-version 3
check_rc "--if-version alone changes nothing: usage" 2
w wo new --asset P-1 --title "Second"
M=$OUT
w wo hold "$N" "$M" --if-version 3
check_rc "--if-version with two work orders: usage" 2

finish
