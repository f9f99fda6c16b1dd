#!/usr/bin/env bash
# run.sh - the wrench-central integration tests: a throwaway PostgreSQL
# cluster in a temporary directory (Unix socket there, no TCP), each test
# file with databases and servers of its own, everything removed afterwards.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${WRENCH_CENTRAL:?set WRENCH_CENTRAL to the wrench-central binary}"
for tool in curl jq psql; do
	command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed" >&2; exit 1; }
done
. "$here/lib.sh"
trap pg_teardown EXIT
pg_setup
# Arguments name test files to run (e.g. t_push), by default all of them.
# Every test file runs, even after one fails; each counts once in the
# closing "N passed, M failed" line that tests/check.sh sums.
tests=()
for name in "$@"; do tests+=("$here/${name%.sh}.sh"); done
[ $# -gt 0 ] || tests=("$here"/t_*.sh)
passed=0 failed=0
for t in "${tests[@]}"; do
	[ -f "$t" ] || { echo "FAIL: no test $t" >&2; failed=$((failed + 1)); continue; }
	echo "== $t"
	# Not in an `if`: errexit would be off inside the subshell there.
	set +e
	( set -euo pipefail
	  trap 'for p in ${SERVER_PIDS:-}; do kill -9 "$p" 2>/dev/null || true; done' EXIT
	  . "$t" )
	status=$?
	set -e
	if [ "$status" -eq 0 ]; then
		passed=$((passed + 1))
	else
		echo "FAIL: $t ended with status $status" >&2
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
