#!/usr/bin/env bash
# Import/export: a CSV with bad rows shows the report (line: reason) and
# imports nothing; a dry run writes nothing; a good import writes, a .json
# file as JSON; exports
# (CSV, JSON, another entity from the pick list) are byte-identical to
# `wrench export`; replacing a file is asked first, and the database is never
# replaced; a missing file says so.
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }

selected() { screen | grep '^>' | grep -qF -- "$1"; }
expect_sel() {
	if retry selected "$1"; then pass "$2"; else fail "$2 (the selected row is not '$1')"; fi
}
has_asset() { w asset show "$1" >/dev/null 2>&1; }
no_asset() { ! has_asset "$1"; }

printf 'tag,name,class\nIO-1,Import one,pump\nIO-2,Import two,pump,extra\n,No tag,pump\nIO-4,Four,pump\n' \
	>"$T_DIR/bad.csv"
printf 'tag,name,class\nIO-1,Import one,pump\nIO-2,Import two,pump\n' >"$T_DIR/good.csv"
printf '[{"tag": "IO-J", "name": "From JSON", "class": "pump", "criticality": 4}]\n' >"$T_DIR/good.json"

# type_path PATH: from the menu's File row, types PATH in the prompt.
type_path() {
	keys g j
	keys Enter
	wait_for "File: "
	keys C-u
	keys "$1"
	keys Enter
}

n=0
for size in "80 24" "40 16"; do
	set -- $size
	tag="$1x$2"
	n=$((n + 1))
	start "$1" "$2"
	wait_for "My open work"
	keys 3
	wait_for "Assets"
	keys i
	expect "Import/export: assets" "$tag: i opens import/export, assets chosen"
	expect "Dry run: check it, write nothing" "$tag: the actions are listed"

	# The entity from a pick list.
	keys Enter
	expect "Entity" "$tag: Enter on the entity opens a pick list"
	keys 2
	expect "Import/export: assets" "$tag: 2 chooses assets"

	# A file with two bad rows: the report, and nothing imported.
	type_path "$T_DIR/bad.csv"
	expect_sel "Import the file" "$tag: after the path, the cursor is on Import"
	keys Enter
	expect "2 bad rows: nothing was imported" "$tag: the import is refused"
	expect "line 3: 4 fields but the header has 3" "$tag: the report gives line and reason"
	expect "line 4: tag is empty" "$tag: every bad row is listed"
	check "$tag: the file's good rows were not imported either" no_asset IO-4
	keys q
	expect "r: the report of bad rows" "$tag: q returns to the menu, the summary stays"
	keys r
	expect "line 4: tag is empty" "$tag: r shows the report again"
	keys q

	# A dry run of a good file writes nothing.
	type_path "$T_DIR/good.csv"
	keys j
	keys Enter
	if [ $n -eq 1 ]; then
		expect "Dry run, 2 rows: 2 inserted" "$tag: the dry run counts the rows"
	else
		expect "Dry run, 2 rows: 0 inserted, 0 updated," "$tag: the dry run counts"
		expect "2 unchanged, 0 rejected" "$tag: every row unchanged"
	fi
	expect "Nothing was written" "$tag: and says nothing was written"
	if [ $n -eq 1 ]; then
		check "$tag: nothing was written" no_asset IO-1
	fi
	keys q

	# The import itself.
	keys g j j
	keys Enter
	if [ $n -eq 1 ]; then
		expect "Imported 2 rows: 2 inserted" "$tag: the import writes the rows"
	else
		expect "Imported 2 rows: 0 inserted, 0 updated," "$tag: re-import inserts nothing"
		expect "2 unchanged, 0 rejected" "$tag: re-import changes nothing"
	fi
	check "$tag: the database has them" has_asset IO-2
	keys q

	# A .json file is read as JSON.
	type_path "$T_DIR/good.json"
	keys Enter
	if [ $n -eq 1 ]; then
		expect "1 inserted" "$tag: a JSON file is imported"
	else
		expect "1 unchanged" "$tag: a JSON file again changes nothing"
	fi
	check "$tag: the database has the JSON record" has_asset IO-J
	keys q

	# Export CSV and JSON: the same bytes as wrench export.
	type_path "$T_DIR/out-$n.csv"
	keys j j
	expect_sel "Export as CSV" "$tag: on Export as CSV"
	keys Enter
	expect "Exported assets as CSV" "$tag: the export is done"
	w export assets >"$T_DIR/want.csv"
	check "$tag: the file is what wrench export writes" cmp -s "$T_DIR/out-$n.csv" "$T_DIR/want.csv"
	type_path "$T_DIR/out-$n.json"
	keys G
	keys Enter
	expect "Exported assets as JSON" "$tag: the JSON export is done"
	w export assets --format json >"$T_DIR/want.json"
	check "$tag: the JSON is what wrench export writes" cmp -s "$T_DIR/out-$n.json" "$T_DIR/want.json"
	ls "$T_DIR" | grep -q '\.tmp-' && fail "$tag: a temporary file was left" || pass "$tag: no temporary file left"

	# Replacing a file is asked first.
	printf 'keep me\n' >"$T_DIR/keep.csv"
	type_path "$T_DIR/keep.csv"
	keys j j
	keys Enter
	expect "The file exists: replace it? y/n" "$tag: an existing file is not replaced silently"
	keys n
	expect "Not exported." "$tag: n leaves it"
	check "$tag: the file is untouched" bash -c "[ \"\$(cat '$T_DIR/keep.csv')\" = 'keep me' ]"
	keys Enter
	keys y
	expect "Exported assets as CSV" "$tag: y replaces it"
	check "$tag: with the export" cmp -s "$T_DIR/keep.csv" "$T_DIR/want.csv"

	# The database is never an export's target, whatever the answer.
	type_path "$DB"
	keys j j
	keys Enter
	expect "The file exists: replace it? y/n" "$tag: the database is an existing file"
	keys y
	expect "refusing to write" "$tag: an export over the database is refused"
	check "$tag: the database is still a wrench database" has_asset IO-2

	# Another entity, chosen by number: readings (4).
	keys g
	keys Enter
	keys 4
	expect "Import/export: readings" "$tag: 4 in the pick list chooses readings"
	type_path "$T_DIR/readings-$n.csv"
	keys j j
	keys Enter
	expect "Exported readings as CSV" "$tag: readings are exported"
	w export readings >"$T_DIR/want-readings.csv"
	check "$tag: the readings file is what wrench export writes" \
		cmp -s "$T_DIR/readings-$n.csv" "$T_DIR/want-readings.csv"

	# A long import paints a progress line while it runs (300000 readings,
	# one a second from a time after the demo's last reading).
	if [ $n -eq 1 ]; then
		awk 'BEGIN { print "asset,meter,at,value";
			for (i = 0; i < 300000; i++) {
				s = i % 86400
				printf "AC-1001,hours,2026-03-%02d %02d:%02d:%02d,%d\n", 10 + int(i / 86400),
					int(s / 3600), int(s / 60) % 60, s % 60, 60000 + i } }' >"$T_DIR/big.csv"
		keys g Enter
		keys 4
		type_path "$T_DIR/big.csv"
		keys Enter
		if wait_for "Importing ["; then pass "$tag: a progress bar shows during a long import"
		else fail "$tag: a progress bar shows during a long import (no 'Importing [')"; fi
		if wait_for "Imported 300000 rows: 300000 inserted" $((4 * T_WAIT)); then
			pass "$tag: the long import completes"
		else
			fail "$tag: the long import completes"
		fi
		keys q
	fi

	# A file that does not exist.
	type_path "$T_DIR/missing.csv"
	keys Enter
	expect "Nothing was imported." "$tag: a missing file imports nothing"
	expect "missing.csv" "$tag: and the message names the file"
	keys Q
	expect "EXITED 0" "$tag: Q quits"
done
finish
