#!/usr/bin/env bash
# run.sh - runs every CLI test (tests/cli/*.sh but lib.sh) and sums their
# results.  Needs WRENCH, the wrench binary to test.
here=$(cd "$(dirname "$0")" && pwd)
export WRENCH_SRC=${WRENCH_SRC:-$(cd "$here/../.." && pwd)}
scripts=()
for t in "$here"/*.sh; do
	case "$t" in
	*/lib.sh | */run.sh) ;;
	*) scripts+=("$t") ;;
	esac
done
exec bash "$here/../run_scripts.sh" "CLI tests" "${scripts[@]}"
