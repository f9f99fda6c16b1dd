#!/usr/bin/env bash
# run.sh - runs every terminal-interface test (tests/tui/t_*.sh) and sums
# their results.  Needs tmux and a built ./wrench (or $WRENCH).
here=$(cd "$(dirname "$0")" && pwd)
export WRENCH_SRC=${WRENCH_SRC:-$(cd "$here/../.." && pwd)}
passed=0
failed=0
for t in "$here"/t_*.sh; do
	echo "== $t"
	out=$(bash "$t" 2>&1)
	status=$?
	echo "$out"
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -1)
	p=$(echo "$line" | awk '{ print $1 }')
	f=$(echo "$line" | awk '{ print $3 }')
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ $status -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
		echo "FAIL $t exited with status $status"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
