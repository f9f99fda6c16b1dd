#!/usr/bin/env bash
# n and N repeat the last search forward and backward in every list: the
# work orders (after the search filter is cleared), the assets, the PM
# schedules and the risk ranking, each jumping to the next row holding it.
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }

selected() { screen | grep '^>' | grep -qF -- "$1"; }
expect_sel() {
	if retry 10 selected "$1"; then pass "$2"; else fail "$2 (the selected row is not '$1')"; fi
}

# Work orders holding "seal" (number, title or asset), newest first.
mapfile -t SEAL < <(sqlite3 "$DB" "SELECT w.number FROM wo w LEFT JOIN asset a ON a.id = w.asset_id
	WHERE w.number LIKE '%seal%' OR w.title LIKE '%seal%' OR a.tag LIKE '%seal%'
	ORDER BY w.id DESC LIMIT 3")
# PM schedules by code, and ranked assets, holding "pump": the first after
# the top row, and the one after it.
mapfile -t PM < <(w pm list --format csv | tail -n +3 | grep -i pump | cut -d, -f1 | head -2)
mapfile -t RK < <(w rank --format csv | tail -n +3 | cut -d, -f2,3 | grep -i pump | cut -d, -f1 | head -2)

for size in "120 40" "40 16"; do
	set -- $size
	tag="$1x$2"
	start "$1" "$2"
	wait_for "My open work"
	keys 2
	wait_for "Work orders 1/"
	keys n
	expect "No search to repeat" "$tag: n with no search says so"
	keys /
	keys s e a l Enter
	expect "/seal" "$tag: a search is kept"
	keys F
	expect "all work orders" "$tag: the filter is cleared, the search remembered"
	keys n
	expect_sel "${SEAL[0]}" "$tag: n jumps to the first row holding 'seal' (${SEAL[0]})"
	keys n
	expect_sel "${SEAL[1]}" "$tag: n again, the next (${SEAL[1]})"
	keys N
	expect_sel "${SEAL[0]}" "$tag: N goes back (${SEAL[0]})"
	keys c
	expect "New work order" "$tag: c is quick-create now"
	# Apart, not in one burst: fast keys over a form are dropped (a scan guard).
	keys Escape
	wait_for "Work orders 1/"
	keys q
	wait_for "My open work"

	# The asset list's search is remembered for the other lists too.
	keys 3
	wait_for "Assets"
	keys /
	keys p u m p Enter
	keys 4
	wait_for "PM schedules"
	keys n
	expect_sel "${PM[0]}" "$tag: PM list: n finds the next schedule on a pump (${PM[0]})"
	keys n
	expect_sel "${PM[1]}" "$tag: PM list: and the one after (${PM[1]})"
	keys N
	expect_sel "${PM[0]}" "$tag: PM list: N goes back"
	keys 5
	wait_for "Failure risk"
	keys n
	expect_sel "${RK[0]}" "$tag: risk: n finds the next pump (${RK[0]})"
	keys n
	expect_sel "${RK[1]}" "$tag: risk: and the next (${RK[1]})"
	keys N
	expect_sel "${RK[0]}" "$tag: risk: N goes back"
	# Typed ahead in one write with the 5 that opens the ranking, before
	# there are rows: n and n wait for the ranking and are done on it.
	keys 1
	wait_for "My open work"
	tm send-keys -t main 5 n n
	expect_sel "${RK[1]}" "$tag: risk: n n typed before the ranking is done on it (${RK[1]})"
	expect_not "No later row" "$tag: risk: and no n says that nothing matches"
	keys Q
	expect "EXITED 0" "$tag: Q quits"
done
finish
