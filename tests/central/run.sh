#!/usr/bin/env bash
# run.sh - the wrench-central integration tests: a throwaway PostgreSQL
# cluster in a temporary directory (Unix socket there, no TCP), each test
# file with databases and servers of its own, everything removed afterwards.
# Arguments name test files to run (e.g. t_push), by default all of them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${WRENCH_CENTRAL:?set WRENCH_CENTRAL to the wrench-central binary}"
for tool in curl jq psql; do
	command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed" >&2; exit 1; }
done
. "$here/lib.sh"
trap pg_teardown EXIT
pg_setup
tests=()
for name in "$@"; do tests+=("$here/${name%.sh}.sh"); done
[ $# -gt 0 ] || tests=("$here"/t_*.sh)
for t in "${tests[@]}"; do
	[ -f "$t" ] || { echo "FAIL: no test $t" >&2; exit 1; }
	echo "== $t"
	( set -euo pipefail
	  trap 'for p in ${SERVER_PIDS:-}; do kill -9 "$p" 2>/dev/null || true; done' EXIT
	  . "$t" ) || { echo "FAIL: $t ended with status $?" >&2; exit 1; }
done
echo "central tests passed"
