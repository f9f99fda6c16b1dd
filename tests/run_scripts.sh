#!/usr/bin/env bash
# run_scripts.sh NAME SCRIPT...: runs every test script of a suite (the CLI
# or the terminal tests), each to the end even after one fails, and sums
# the "N passed, M failed" line each prints last.  A script that exits
# non-zero without counting a failure, or prints no such line, counts as
# one failed check.  Ends with "N passed, M failed"; the status is non-zero
# when any failed.
set -u
name=$1
shift
log=$(mktemp "${TMPDIR:-/tmp}/wrench-suite.XXXXXX") || exit 2
trap 'rm -f "$log"' EXIT

nrun=0 passed=0 failed=0
bad=""
for t in "$@"; do
	nrun=$((nrun + 1))
	echo "== $t"
	bash "$t" 2>&1 </dev/null | tee "$log"
	status=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
	p=$(echo "$line" | awk '{ print $1 + 0 }')
	f=$(echo "$line" | awk '{ print $3 + 0 }')
	if [ -z "$line" ] || { [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; }; then
		echo "FAIL $t exited with status $status"
		f=$((f + 1))
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" -eq 0 ] || bad="$bad ${t##*/}"
done
echo "$name: $nrun scripts, $((passed + failed)) checks, $failed failed${bad:+ (in$bad)}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
