#!/usr/bin/env bash
# run_unit.sh BINARY...: runs every unit-test binary (check), each to the
# end even after one fails, and sums their "NN%: Checks: N, Failures: F,
# Errors: E" lines.  A binary that fails without saying so in that line
# (it crashed, or a sanitizer stopped it) counts as one failed check.
# Ends with "N passed, M failed"; the status is non-zero when any failed.
#
#   UNIT_WRAPPER  a command each binary runs under (make valgrind's)
set -u
log=$(mktemp "${TMPDIR:-/tmp}/wrench-unit.XXXXXX") || exit 2
trap 'rm -f "$log"' EXIT

nbin=0 checks=0 failed=0
bad=""
for t in "$@"; do
	nbin=$((nbin + 1))
	echo "== $t"
	# shellcheck disable=SC2086 # the wrapper is a command with its options
	${UNIT_WRAPPER:-} "$t" 2>&1 | tee "$log"
	status=${PIPESTATUS[0]}
	summary=$(grep -Eo '^[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' "$log" |
		awk -F'[:,] *' '{ n += $3; f += $5 + $7 } END { print n + 0, f + 0, NR }')
	read -r n f lines <<<"$summary"
	if [ "$lines" -eq 0 ] || { [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; }; then
		echo "FAIL $t exited with status $status"
		n=$((n + 1))
		f=$((f + 1))
	fi
	checks=$((checks + n))
	failed=$((failed + f))
	[ "$f" -eq 0 ] || bad="$bad ${t##*/}"
done
echo "unit tests: $nbin binaries, $checks checks, $failed failed${bad:+ (in$bad)}"
echo "$((checks - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
